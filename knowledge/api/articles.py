"""Published articles and guides of the knowledge base under /api/v1/articles/ (read-only).

Lists are in one language at a time (`locale`, the site's default, id, unless asked), with the
same filters as the /knowledge/ page; the detail (by id, any language) adds the rendered body."""

import django_filters
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from wagtail.models import Locale

from enterprises.models import Enterprise
from knowledge.models import ArticlePage, Topic
from knowledge.selectors import articles as selectors

PK_MAX = 2**63 - 1


class ArticleEnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["slug", "name"]


class ArticleTopicSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(help_text=_("In the article's language."))


class ArticleKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ArticlePage.Kind.choices, **kwargs)


class ArticleKindFieldExtension(OpenApiSerializerFieldExtension):
    """One named enum for the kinds of articles, used by the list and the detail alike (the
    automatic naming would collide with the events' `kind`)."""

    target_class = ArticleKindField

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        component = ResolvedComponent(name="ArticleKindEnum", object="ArticleKindEnum",
                                      type=ResolvedComponent.SCHEMA, schema=schema)
        auto_schema.registry.register_on_missing(component)
        return component.ref


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("The page's path, with /en/ for English."))
    locale = serializers.CharField(source="locale.language_code", read_only=True)
    kind = ArticleKindField(read_only=True)
    topic = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    enterprise = ArticleEnterpriseSerializer(read_only=True, allow_null=True,
                                             help_text=_("The credited enterprise, if any."))
    helpful_count = serializers.IntegerField(
        read_only=True, help_text=_("Readers who marked it helpful (shared by its languages)."))

    class Meta:
        model = ArticlePage
        fields = ["id", "title", "url", "locale", "kind", "topic", "summary", "tags",
                  "reading_minutes", "enterprise", "first_published_at", "helpful_count"]
        read_only_fields = fields

    def get_url(self, article) -> str:
        parts = article.get_url_parts(request=self.context.get("request"))
        return parts[2] if parts else ""

    @extend_schema_field(ArticleTopicSerializer)
    def get_topic(self, article) -> dict:
        with translation.override(article.locale.language_code):
            return {"slug": article.topic.slug, "name": article.topic.display_name}

    def get_tags(self, article) -> list[str]:
        return sorted((item.tag.name for item in article.tagged_items.all()), key=str.lower)


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.SerializerMethodField(help_text=_("The body as HTML."))

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body"]
        read_only_fields = fields

    def get_body(self, article) -> str:
        with translation.override(article.locale.language_code):
            return str(article.body.render_as_block())


class ArticleFilter(django_filters.FilterSet):
    # Declared for validation and the schema; applied together in filter_queryset, so the
    # search runs last, on the filtered articles.
    locale = django_filters.ChoiceFilter(
        choices=settings.WAGTAIL_CONTENT_LANGUAGES, method="filter_nothing",
        label=_("Language of the articles (default: the site's language, id)"),
    )
    topic = django_filters.CharFilter(method="filter_nothing", label=_("Topic (slug)"))
    kind = django_filters.ChoiceFilter(choices=ArticlePage.Kind.choices, method="filter_nothing",
                                       label=_("Kind"))
    tag = django_filters.CharFilter(method="filter_nothing", label=_("Tag (slug)"))
    search = django_filters.CharFilter(method="filter_nothing", label=_("Search words"))

    class Meta:
        model = ArticlePage
        fields = []

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        code = data.get("locale") or Locale.get_default().language_code
        locale = Locale.objects.filter(language_code=code).first()
        topic = Topic.objects.filter(slug=data["topic"]).first() if data.get("topic") else None
        if locale is None or (data.get("topic") and topic is None):
            return queryset.none()
        queryset = selectors.article_filter(queryset.filter(locale_id=locale.pk), topic=topic,
                                            tag=data.get("tag") or "", kind=data.get("kind") or "")
        return selectors.article_search(queryset, q=data.get("search") or "")


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Published articles and step-by-step guides of the knowledge base."""

    filterset_class = ArticleFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, perhaps without a database
            return ArticlePage.objects.none()
        return selectors.article_list_api()

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def get_object(self):
        # Digits only, and no more than the database can store (SQLite raises OverflowError):
        # anything else is the API's JSON 404, not an error page (so no lookup_value_regex).
        lookup = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        if not lookup.isascii() or not lookup.isdigit() or int(lookup) > PK_MAX:
            raise NotFound
        try:
            return super().get_object()
        except (OverflowError, ValueError) as error:
            raise NotFound from error

    def filter_queryset(self, queryset):
        # An article's id finds it in any language; the list filters apply to lists only.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)
