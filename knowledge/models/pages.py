"""Wagtail pages: the knowledge base (/knowledge/) and events (/events/).

Page trees are kept in sync across locales (WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE): every
Indonesian page has an English alias until an editor translates it. People's actions (RSVPs,
"helpful" marks) always attach to the page in the original (Indonesian) locale, `canonical`."""

import math

from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from enterprises.models import BilingualNameMixin
from knowledge.blocks import ArticleBodyBlock, EventBodyBlock

WORDS_PER_MINUTE = 200


class CanonicalPageMixin:
    """The same page in the original (Indonesian) locale, where people's actions are recorded."""

    @property
    def canonical(self):
        from knowledge.services.pages import original_locale

        original = original_locale()
        if self.locale_id == original.pk:
            return self
        return self.get_translation(original)


class Topic(BilingualNameMixin):
    """A subject of the knowledge base: production, packaging, permits, finance, marketing."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.CharField(_("description"), max_length=250, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = ["name", "name_en", "slug", "description", "sort_order"]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class KnowledgeIndexPage(Page):
    """/knowledge/: search, topics, tags and the newest articles and guides."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + ["intro"]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["knowledge.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("knowledge base")

    def get_context(self, request, *args, **kwargs):
        from knowledge.selectors.articles import knowledge_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(knowledge_index_context(page=self, request=request))
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("knowledge.ArticlePage", on_delete=models.CASCADE,
                                 related_name="tagged_items")


class ArticlePage(CanonicalPageMixin, Page):
    """An article or a step-by-step guide, written by editors or contributed by an enterprise
    (then published only after moderation)."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        GUIDE = "guide", _("Step-by-step guide")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles",
                              verbose_name=_("topic"))
    summary = models.CharField(_("summary"), max_length=250,
                               help_text=_("One or two sentences shown in lists and search."))
    cover_image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("cover image"),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="articles", verbose_name=_("credited enterprise"),
        help_text=_("The enterprise that wrote it, shown as the author."),
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    skills = ParentalManyToManyField("enterprises.Skill", blank=True, related_name="articles",
                                     verbose_name=_("related skills"))
    products = ParentalManyToManyField("marketplace.Product", blank=True,
                                       related_name="articles", verbose_name=_("related products"))
    reading_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=1,
                                                       editable=False)

    content_panels = Page.content_panels + [
        FieldRowPanel(["kind", "topic"]),
        "summary",
        "cover_image",
        "body",
        MultiFieldPanel(["enterprise", "tags", "skills", "products"],
                        heading=_("Credit and connections")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("kind"),
        index.FilterField("topic_id"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article or guide")
        verbose_name_plural = _("articles and guides")

    def get_context(self, request, *args, **kwargs):
        from knowledge.selectors.articles import article_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(article_page_context(page=self, request=request))
        return context

    def save(self, *args, **kwargs):
        words = len(strip_tags(self.body.render_as_block() if self.body else "").split())
        self.reading_minutes = max(1, math.ceil(words / WORDS_PER_MINUTE))
        super().save(*args, **kwargs)


class EventIndexPage(Page):
    """/events/: upcoming events and trainings, with the archive of past ones."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + ["intro"]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["knowledge.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("events")

    def get_context(self, request, *args, **kwargs):
        from knowledge.selectors.events import event_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_index_context(page=self, request=request))
        return context


class EventPage(CanonicalPageMixin, Page):
    """A training, a gotong royong work day, a market day, a meeting or a cultural event."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training (pelatihan)")
        GOTONG_ROYONG = "gotong_royong", _("Gotong royong / kerja bakti")
        MARKET_DAY = "market_day", _("Market day")
        COOPERATIVE_MEETING = "cooperative_meeting", _("Cooperative meeting")
        CULTURAL = "cultural", _("Cultural event")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    summary = models.CharField(_("summary"), max_length=250)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("place"), max_length=200, blank=True,
                             help_text=_("For example: Balai Desa Karanglewas."))
    regency = models.ForeignKey(
        "enterprises.Region", on_delete=models.PROTECT, null=True, blank=True,
        related_name="events", verbose_name=_("regency or city"),
        limit_choices_to={"level": "regency"},
    )
    online_url = models.URLField(_("online link"), blank=True,
                                 help_text=_("A video call link, for online events."))
    organiser_enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
        related_name="events_organised", verbose_name=_("organising enterprise"),
    )
    organiser_cooperative = models.ForeignKey(
        "enterprises.Cooperative", on_delete=models.PROTECT, null=True, blank=True,
        related_name="events_organised", verbose_name=_("organising cooperative"),
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True,
        help_text=_("Leave empty for no limit. When full, people join a waiting list."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("image"),
    )
    body = StreamField(EventBodyBlock(), blank=True, verbose_name=_("details"))

    content_panels = Page.content_panels + [
        FieldRowPanel(["kind", "capacity"]),
        "summary",
        FieldRowPanel(["starts_at", "ends_at"]),
        MultiFieldPanel(["venue", "regency", "online_url"], heading=_("Where")),
        FieldRowPanel(["organiser_enterprise", "organiser_cooperative"],
                      heading=_("Organiser")),
        "image",
        "body",
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("venue"),
        index.FilterField("kind"),
        index.FilterField("starts_at"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["knowledge.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")),
                                   name="event_ends_after_start"),
            models.CheckConstraint(
                condition=models.Q(organiser_enterprise__isnull=True)
                | models.Q(organiser_cooperative__isnull=True),
                name="event_one_organiser",
            ),
        ]

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.organiser_enterprise_id and self.organiser_cooperative_id:
            errors["organiser_cooperative"] = _("Choose an enterprise or a cooperative, not both.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from knowledge.selectors.events import event_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_page_context(page=self, request=request))
        return context

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def organiser(self):
        return self.organiser_cooperative or self.organiser_enterprise

    def user_can_manage(self, user) -> bool:
        """Organisers' people (owners/staff of the enterprise, the cooperative's managers) and
        Wagtail editors manage RSVPs and attendance."""
        from enterprises.selectors import user_can_manage_enterprise
        from enterprises.selectors.cooperatives import user_is_manager

        if not user.is_authenticated:
            return False
        if user.is_staff and user.has_perm("wagtailadmin.access_admin"):
            return True
        if self.organiser_enterprise_id:
            return user_can_manage_enterprise(user=user, enterprise=self.organiser_enterprise)
        if self.organiser_cooperative_id:
            return user_is_manager(user=user, cooperative=self.organiser_cooperative)
        return False
