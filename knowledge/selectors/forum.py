"""Reading the forum: who moderates, categories and thread lists in fixed queries, a thread's
posts page by page.

Hidden threads and posts stay in the database: moderators see them (marked), others get a 404
for a hidden thread and a short notice in place of a hidden post (its author sees the text)."""

from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from enterprises.models import Enterprise
from knowledge.models import ForumCategory, Post, PostReport, Thread

MODERATORS_GROUP = "Forum moderators"
THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 30
LATEST_THREADS = 10
EDIT_WINDOW = timedelta(minutes=30)


def user_is_forum_moderator(*, user) -> bool:
    """Staff always moderate; so do members of the optional auth group "Forum moderators"
    (create it in the Django admin when you need moderators who are not staff). Remembered on the
    user object, so a page asks the database at most once."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    cached = getattr(user, "_forum_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._forum_moderator = cached
    return cached


def author_name(user) -> str:
    """How the forum names a person: the name they gave (never the e-mail address)."""
    return (user.first_name or "").strip()


# Categories and thread lists


def category_list_with_counts(*, user=None) -> QuerySet[ForumCategory]:
    """Categories in their order with `thread_count` (threads the user can see)."""
    visible = Q() if user_is_forum_moderator(user=user) else Q(threads__is_hidden=False)
    # Aggregating queries ignore Meta.ordering: order explicitly.
    return ForumCategory.objects.annotate(
        thread_count=Count("threads", filter=visible)).order_by("sort_order", "name")


def thread_list_visible(*, user=None) -> QuerySet[Thread]:
    threads = Thread.objects.all()
    if not user_is_forum_moderator(user=user):
        threads = threads.filter(is_hidden=False)
    return threads


def thread_list_cards(queryset: QuerySet[Thread]) -> QuerySet[Thread]:
    """What a thread row shows (category, asker, enterprise) in one query; the last poster's
    name is added to the rows shown by threads_with_last_poster."""
    return (
        queryset.select_related("category", "author", "enterprise")
        .only(
            "title", "kind", "is_locked", "is_hidden", "reply_count", "created_at",
            "last_activity_at", "accepted_post_id",
            "category__name", "category__name_en", "category__slug",
            "author__first_name", "enterprise__name", "enterprise__slug",
        )
        .order_by("-last_activity_at", "-pk")
    )


def threads_with_last_poster(threads: list[Thread]) -> list[Thread]:
    """Set `last_poster_name` on the threads shown, in one query. (As a subquery of the whole
    list, PostgreSQL would run it for every row an OFFSET skips: 10,000 times on page 500.)"""
    last_post = Post.objects.filter(thread=OuterRef("pk"), is_hidden=False).order_by(
        "-created_at", "-pk")
    names = dict(
        Thread.objects.filter(pk__in=[thread.pk for thread in threads])
        .annotate(name=Subquery(last_post.values("author__first_name")[:1]))
        .values_list("pk", "name")
    ) if threads else {}
    for thread in threads:
        thread.last_poster_name = names.get(thread.pk)
    return threads


def thread_list_filtered(*, user=None, category: ForumCategory | None = None,
                         kind: str = "", unanswered: bool = False, text: str = ""
                         ) -> QuerySet[Thread]:
    """Threads newest activity first. `unanswered` keeps questions with no accepted answer yet;
    `text` looks in titles and in the visible posts."""
    threads = thread_list_visible(user=user)
    if category is not None:
        threads = threads.filter(category=category)
    if kind in Thread.Kind.values:
        threads = threads.filter(kind=kind)
    if unanswered:
        threads = threads.filter(kind=Thread.Kind.QUESTION, accepted_post__isnull=True)
    text = (text or "").strip()
    if text:
        in_posts = Post.objects.filter(thread=OuterRef("pk"), is_hidden=False,
                                       body__icontains=text)
        threads = threads.filter(Q(title__icontains=text) | Exists(in_posts))
    return thread_list_cards(threads)


def thread_list_latest(*, user=None, limit: int = LATEST_THREADS) -> list[Thread]:
    return threads_with_last_poster(list(thread_list_filtered(user=user)[:limit]))


def thread_page(*, queryset: QuerySet[Thread], number=None) -> Page:
    page = Paginator(queryset, THREADS_PER_PAGE).get_page(number)
    page.object_list = threads_with_last_poster(list(page.object_list))
    return page


# One thread


def thread_for_view(*, pk: int, user) -> Thread:
    """The thread with what its page header shows; 404 when hidden, except for moderators."""
    try:
        return thread_list_visible(user=user).select_related("category", "author",
                                                             "enterprise").get(pk=pk)
    except Thread.DoesNotExist:
        raise Http404 from None


def _mentions_prefetch() -> Prefetch:
    return Prefetch("mentions", queryset=Enterprise.objects.filter(is_active=True).only(
        "slug", "name"))


def post_list(*, user=None) -> QuerySet[Post]:
    """Posts with their author, enterprise and linked mentions; for signed-in readers,
    `reported_by_me` says whether they have reported the post already."""
    posts = (
        Post.objects.select_related("author", "enterprise")
        .prefetch_related(_mentions_prefetch())
        .order_by("created_at", "pk")
    )
    if user is not None and user.is_authenticated:
        posts = posts.annotate(reported_by_me=Exists(
            PostReport.objects.filter(post=OuterRef("pk"), reporter=user)))
    return posts


def opening_post(*, thread: Thread, user=None) -> Post | None:
    return post_list(user=user).filter(thread=thread).first()


def opening_post_id(*, thread: Thread) -> int | None:
    return (
        Post.objects.filter(thread=thread).order_by("created_at", "pk")
        .values_list("pk", flat=True).first()
    )


def reply_list(*, thread: Thread, opening: Post | None, user=None) -> QuerySet[Post]:
    replies = post_list(user=user).filter(thread=thread)
    if opening is not None:
        replies = replies.exclude(pk=opening.pk)
    return replies


def reply_page(*, thread: Thread, opening: Post | None, user=None, number=None) -> Page:
    return Paginator(reply_list(thread=thread, opening=opening, user=user),
                     POSTS_PER_PAGE).get_page(number)


def accepted_answer(*, thread: Thread, user=None) -> Post | None:
    if thread.accepted_post_id is None:
        return None
    return post_list(user=user).filter(pk=thread.accepted_post_id).first()


def post_page_number(*, post: Post) -> int:
    """The page of its thread a reply is on (the opening post is on every page)."""
    earlier = Post.objects.filter(thread_id=post.thread_id).filter(
        Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk)
    ).count()
    # `earlier` counts the opening post too; replies start at index 0.
    return max(earlier - 1, 0) // POSTS_PER_PAGE + 1


def post_url(*, post: Post) -> str:
    """The address of the post on its page of the thread."""
    url = post.thread.get_absolute_url()
    page = post_page_number(post=post)
    if page > 1:
        url += f"?page={page}"
    return f"{url}#post-{post.pk}"


def post_edit_allowed(*, post: Post, user, now=None) -> bool:
    """Authors may correct their post for EDIT_WINDOW after writing it, while the thread is
    open and the post is not hidden."""
    if user is None or not user.is_authenticated or post.author_id != user.pk:
        return False
    if post.is_hidden or post.thread.is_locked or post.thread.is_hidden:
        return False
    return (now or timezone.now()) <= post.created_at + EDIT_WINDOW


# Moderation


def reported_post_list() -> QuerySet[Post]:
    """Posts with open reports, most reported first: `open_reports` and, prefetched as
    `open_report_list`, the reports themselves with their reporters."""
    open_reports = Q(reports__resolved_at__isnull=True)
    reported = PostReport.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)
    return (
        Post.objects.filter(Exists(reported))
        .select_related("author", "enterprise", "thread", "thread__category")
        .prefetch_related(
            _mentions_prefetch(),
            Prefetch("reports", to_attr="open_report_list",
                     queryset=PostReport.objects.filter(resolved_at__isnull=True)
                     .select_related("reporter").order_by("created_at")),
        )
        .annotate(open_reports=Count("reports", filter=open_reports))
        .order_by("-open_reports", "created_at", "pk")
    )


def report_page(*, number=None) -> Page:
    return Paginator(reported_post_list(), THREADS_PER_PAGE).get_page(number)
