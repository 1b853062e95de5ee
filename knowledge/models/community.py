"""What people do around the pages: helpful marks, RSVPs and attendance, the forum, mentoring."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enterprises.models import BilingualNameMixin


class HelpfulMark(models.Model):
    """A reader found an article helpful (recorded on the Indonesian original, page.canonical)."""

    article = models.ForeignKey("knowledge.ArticlePage", on_delete=models.CASCADE,
                                related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"],
                                               name="one_helpful_mark_per_reader")]

    def __str__(self) -> str:
        return f"{self.user} found {self.article_id} helpful"


class Rsvp(models.Model):
    """A place at an event (recorded on the Indonesian original, page.canonical), or a place in
    its waiting list. Rows are kept when cancelled: attendance and co-attendance ties are read
    from them."""

    class Status(models.TextChoices):
        GOING = "going", _("Going")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey("knowledge.EventPage", on_delete=models.CASCADE,
                              related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="rsvps")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="rsvps", verbose_name=_("attending for"),
        help_text=_("The enterprise you come for: the tie you make is recorded for it."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attended = models.BooleanField(_("attended"), null=True, blank=True,
                                   help_text=_("Marked by the organiser after the event."))
    # The waiting list is first come, first served: moved to the back on every re-join.
    requested_at = models.DateTimeField(_("requested at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_rsvp_per_person"),
        ]
        indexes = [
            models.Index(fields=["event", "status", "requested_at"], name="rsvp_queue"),
            models.Index(fields=["enterprise", "attended"], name="rsvp_attendance"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.event_id} ({self.status})"


# --- Forum ------------------------------------------------------------------------------------


class ForumCategory(BilingualNameMixin):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.CharField(_("description"), max_length=250, blank=True)
    description_en = models.CharField(_("description in English"), max_length=250, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = ["name", "name_en", "slug", "description", "description_en", "sort_order"]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")

    def get_absolute_url(self) -> str:
        return reverse("forum_category", kwargs={"slug": self.slug})


class Thread(models.Model):
    """A discussion or a question. Its first post is the opening text."""

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Discussion")
        QUESTION = "question", _("Question")

    category = models.ForeignKey(ForumCategory, on_delete=models.PROTECT,
                                 related_name="threads", verbose_name=_("category"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices,
                            default=Kind.DISCUSSION)
    title = models.CharField(_("title"), max_length=160)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="forum_threads")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="forum_threads", verbose_name=_("posting as"),
    )
    accepted_post = models.OneToOneField(
        "knowledge.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("accepted answer"),
    )
    is_locked = models.BooleanField(_("locked"), default=False,
                                    help_text=_("No new replies."))
    is_hidden = models.BooleanField(_("hidden"), default=False,
                                    help_text=_("Hidden by a moderator."))
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["category", "is_hidden", "-last_activity_at"],
                         name="thread_category_activity"),
            models.Index(fields=["author", "created_at"], name="thread_author_time"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("thread_detail", kwargs={"pk": self.pk})


class Post(models.Model):
    """The opening text of a thread or a reply. `body` is what the author typed; it is
    escaped and formatted on display (knowledge.formatting), never stored as HTML."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="forum_posts")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="forum_posts", verbose_name=_("posting as"),
    )
    body = models.TextField(_("text"), max_length=10_000)
    mentions = models.ManyToManyField("enterprises.Enterprise", blank=True,
                                      related_name="forum_mentions")
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["thread", "created_at"], name="post_thread_time"),
            models.Index(fields=["author", "created_at"], name="post_author_time"),
        ]

    def __str__(self) -> str:
        return f"{self.author} in {self.thread_id}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"


class PostReport(models.Model):
    """A reader reports a post to the moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Rude or abusive")
        FRAUD = "fraud", _("Scam or fraud")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["post", "reporter"],
                                               name="one_report_per_reader")]

    def __str__(self) -> str:
        return f"{self.reporter} reported {self.post_id}: {self.reason}"


# --- Mentoring ---------------------------------------------------------------------------------


class MentoringOffer(models.Model):
    """An experienced enterprise offers to mentor others in one of its skills."""

    mentor = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE,
                               related_name="mentoring_offers", verbose_name=_("mentor"))
    skill = models.ForeignKey("enterprises.Skill", on_delete=models.PROTECT,
                              related_name="mentoring_offers", verbose_name=_("skill"))
    description = models.TextField(_("what you can teach"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("taking requests"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["skill__name", "mentor__name"]
        verbose_name = _("mentoring offer")
        verbose_name_plural = _("mentoring offers")
        constraints = [models.UniqueConstraint(fields=["mentor", "skill"],
                                               name="one_mentoring_offer_per_skill")]
        indexes = [models.Index(fields=["skill", "is_active"], name="mentoring_offer_skill")]

    def __str__(self) -> str:
        return f"{self.mentor}: {self.skill}"


class MentoringRequest(models.Model):
    """An enterprise asks a mentor for help; an accepted request is a mentoring tie."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    offer = models.ForeignKey(MentoringOffer, on_delete=models.CASCADE, related_name="requests")
    mentee = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE,
                               related_name="mentoring_requests", verbose_name=_("mentee"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    message = models.TextField(_("what you would like to learn"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.REQUESTED)
    response = models.TextField(_("answer"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mentoring request")
        verbose_name_plural = _("mentoring requests")
        constraints = [
            models.UniqueConstraint(fields=["offer", "mentee"],
                                    condition=models.Q(status__in=["requested", "accepted"]),
                                    name="one_open_mentoring_request"),
        ]
        indexes = [models.Index(fields=["mentee", "status"], name="mentoring_request_mentee")]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.offer}"
