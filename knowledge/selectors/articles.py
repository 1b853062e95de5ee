"""Reads for the knowledge base: the /knowledge/ index (search, topics, tags, kinds), article
pages, a contributor's own submissions, and the API's list."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Locale, WorkflowState

from knowledge.models import ArticlePage, ArticleTag, HelpfulMark, Topic
from knowledge.selectors.visibility import pages_visible
from marketplace import images

PAGE_SIZE = 20
QUERY_MAX_LENGTH = 100
# Rendition specs; the templates' {% image %} tags use exactly these (spaces for the pipes), so
# the prefetched renditions are the ones shown.
COVER_CARD = "fill-480x270|format-webp|webpquality-72"
COVER = "fill-960x540|format-webp|webpquality-78"  # the article page's own cover


def article_list_published() -> QuerySet[ArticlePage]:
    """Live articles nobody restricted (an English alias follows its original's restrictions).

    By id in a subquery: Wagtail search can only filter on its filter fields (id is one,
    alias_of is not), and these lists are searched."""
    return ArticlePage.objects.filter(id__in=pages_visible(ArticlePage.objects.all()).values("id"))


def article_filter(queryset, *, topic: Topic | None = None, tag: str = "", kind: str = ""):
    """Narrow `queryset` by topic, tag (slug) and kind, using only fields in the search index's
    filter fields, so the result can still be searched."""
    if topic is not None:
        queryset = queryset.filter(topic_id=topic.pk)
    if tag:
        queryset = queryset.filter(
            id__in=ArticleTag.objects.filter(tag__slug=tag).values("content_object_id")
        )
    if kind in ArticlePage.Kind.values:
        queryset = queryset.filter(kind=kind)
    return queryset


def article_search(queryset, *, q: str):
    """Wagtail search (the database backend) when there is a query, newest first otherwise."""
    q = " ".join((q or "").split())[:QUERY_MAX_LENGTH]
    if q:
        return queryset.search(q)
    return queryset.order_by("-first_published_at", "-pk")


def article_list_cards(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Everything an article card shows, in a fixed number of queries however many cards."""
    covers = get_image_model().objects.prefetch_renditions(COVER_CARD)
    return queryset.select_related("topic", "enterprise").prefetch_related(
        Prefetch("cover_image", queryset=covers)
    )


def article_list_for_locale(*, locale: Locale, q: str = "", topic: Topic | None = None,
                            tag: str = "", kind: str = ""):
    """Published articles and guides in `locale` (aliases of untranslated Indonesian pages
    included), filtered, then searched or newest first."""
    queryset = article_filter(article_list_published().filter(locale=locale), topic=topic,
                              tag=tag, kind=kind)
    return article_search(article_list_cards(queryset), q=q)


def topic_list_counts(*, locale: Locale) -> list[Topic]:
    """Topics with published articles in `locale`, each with `article_count`."""
    visible = article_list_published().filter(locale=locale).values("pk")
    published = Q(articles__in=visible)
    return list(
        Topic.objects.annotate(article_count=Count("articles", filter=published))
        .filter(article_count__gt=0)
    )


def tag_list_popular(*, locale: Locale, limit: int = 12) -> list[dict]:
    """The most used tags in `locale`: dicts of name, slug and count."""
    return list(
        ArticleTag.objects.filter(
            content_object__in=article_list_published().filter(locale=locale).values("pk"))
        .values("tag__name", "tag__slug").annotate(count=Count("id"))
        .order_by("-count", "tag__name")[:limit]
    )


def _param(request, name: str) -> str:
    return (request.GET.get(name) or "").strip()


def knowledge_index_context(*, page, request) -> dict:
    """The index in its own locale: search `q`, filters `topic` (slug), `tag` (slug), `kind`,
    `page` (20 a page)."""
    locale = page.locale
    q = " ".join(_param(request, "q").split())[:QUERY_MAX_LENGTH]
    topic = Topic.objects.filter(slug=_param(request, "topic")).first() if _param(
        request, "topic") else None
    tag_slug = _param(request, "tag")
    tag = Tag.objects.filter(slug=tag_slug).first() if tag_slug else None
    kind = _param(request, "kind")
    kind = kind if kind in ArticlePage.Kind.values else ""
    articles = article_list_for_locale(locale=locale, q=q, topic=topic,
                                       tag=tag.slug if tag else "", kind=kind)
    if tag_slug and tag is None:
        articles = ArticlePage.objects.none()
    paginated = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "articles": paginated,
        "query": q,
        "current_topic": topic,
        "current_tag": tag,
        "current_kind": kind,
        "topics": topic_list_counts(locale=locale),
        "popular_tags": tag_list_popular(locale=locale),
        "filtered": bool(q or topic or tag_slug or kind),
        "total_count": paginated.paginator.count,
    }


def helpful_count(*, article: ArticlePage) -> int:
    return HelpfulMark.objects.filter(article=article).count()


def article_helpful_context(*, page, user) -> dict:
    """The helpful button: the count shared by the article's language versions, and whether
    `user` marked it (or may: not their own article)."""
    canonical = page.canonical if page.locale_id != Locale.get_default().pk else page
    if canonical is None:
        return {"helpful_count": 0, "helpful_marked": False, "can_mark_helpful": False}
    return {
        "helpful_count": helpful_count(article=canonical),
        "helpful_marked": bool(
            user.is_authenticated
            and HelpfulMark.objects.filter(article=canonical, user=user).exists()
        ),
        "can_mark_helpful": canonical.owner_id is None or canonical.owner_id != user.pk,
    }


def article_page_context(*, page, request) -> dict:
    """What an article page shows besides its fields: the helpful count, related skills and
    products, and more in the same topic."""
    from marketplace.selectors import product_list_cards, product_list_visible

    related = article_list_cards(
        article_list_published().filter(locale_id=page.locale_id, topic_id=page.topic_id)
        .exclude(pk=page.pk)
    ).order_by("-first_published_at", "-pk")[:3]
    return {
        **article_helpful_context(page=page, user=request.user),
        "tags": list(page.tags.all()),
        "skills": list(page.skills.all()),
        "products": list(
            product_list_cards(product_list_visible().filter(articles=page))
            .order_by("title")[:8]
        ),
        "related_articles": list(related),
    }


# --- A contributor's own submissions -------------------------------------------------------------


@dataclass(frozen=True)
class ContributionStatus:
    code: str  # draft, in_moderation, changes_requested, published
    label: str
    comment: str = ""


STATUS_LABELS = {
    "draft": _("Draft"),
    "in_moderation": _("Waiting for the moderators"),
    "changes_requested": _("Changes requested"),
    "published": _("Published"),
}


def contribution_status(page: ArticlePage) -> ContributionStatus:
    """Where a contribution stands (uses the states `contribution_list_for_user` prefetches)."""
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        code = "in_moderation"
    elif state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        comment = state.current_task_state.comment if state.current_task_state else ""
        return ContributionStatus("changes_requested", str(STATUS_LABELS["changes_requested"]),
                                  comment or "")
    elif page.live:
        code = "published"
    else:
        code = "draft"
    return ContributionStatus(code, str(STATUS_LABELS[code]))


def contribution_list_for_user(*, user) -> QuerySet[ArticlePage]:
    """The user's own articles and guides (the Indonesian pages they own), newest change first,
    with their workflow states."""
    if not user.is_authenticated:
        return ArticlePage.objects.none()
    return (
        ArticlePage.objects.filter(owner=user, locale=Locale.get_default())
        .select_related("topic", "enterprise")
        .prefetch_related(
            # What Wagtail's prefetch_workflow_states() does for specific querysets: on an
            # ArticlePage queryset the relation must match the specific content type.
            Prefetch("_specific_workflow_states", to_attr="_current_workflow_states",
                     queryset=WorkflowState.objects.active().select_related(
                         "current_task_state__task")),
            Prefetch("cover_image", queryset=get_image_model().objects.prefetch_renditions(
                images.THUMB)),
        )
        .order_by("-latest_revision_created_at", "-pk")
    )


# --- The API ------------------------------------------------------------------------------------


def article_list_api() -> QuerySet[ArticlePage]:
    """Published articles with what the API shows: topic, enterprise, locale, tags and the helpful
    count of the default-locale version."""
    # The default language by code, not Locale.get_default(): building the queryset (the API
    # schema does, without a database) runs no query.
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    marks = (
        HelpfulMark.objects.filter(article__translation_key=OuterRef("translation_key"),
                                   article__locale__language_code=default)
        .order_by().values("article__translation_key").annotate(n=Count("pk")).values("n")
    )
    return (
        article_list_published()
        .select_related("topic", "enterprise", "locale")
        .prefetch_related(Prefetch("tagged_items",
                                   queryset=ArticleTag.objects.select_related("tag")))
        .annotate(helpful_count=Coalesce(Subquery(marks, output_field=IntegerField()), 0))
    )
