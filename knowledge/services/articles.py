"""Contributions to the knowledge base from the public site, and readers' "helpful" marks.

An entrepreneur writes an article or a guide in plain text. It becomes a draft ArticlePage under
the Indonesian /knowledge/ page, credited to their enterprise, and goes through the page's Wagtail
moderation workflow ("Moderators approval"): nothing a contributor sends is ever published by the
public site itself. The owner hears, in the app and by email, when moderators publish it or ask
for changes (the receivers at the end, connected by `signals_connect`)."""

import re
from html import unescape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Locale, WorkflowState

from cms.services import image_create, notification_send, slug_unique
from enterprises.selectors import user_can_manage_enterprise
from knowledge.formatting import one_line
from knowledge.models import ArticlePage, HelpfulMark, Topic
from knowledge.services.pages import page_add, section_page

TITLE_MIN_LENGTH = 5
TITLE_MAX_LENGTH = 120
SUMMARY_MAX_LENGTH = ArticlePage._meta.get_field("summary").max_length
BODY_MIN_WORDS = 30
BODY_MAX_LENGTH = 20_000
MAX_TAGS = 8
TAG_MAX_LENGTH = 50
MAX_STEPS = 30
STEP_MAX_LENGTH = 200

# Blocks the public form writes from plain text; other blocks (photos, videos, callouts...) are
# added by editors in the admin and are kept when the owner edits the text again.
TEXT_BLOCKS = ("text", "steps")


# --- Plain text <-> body ------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def body_from_text(*, body_text: str, steps_text: str = "") -> list[tuple]:
    """Stream blocks from what a contributor typed: paragraphs (separated by an empty line) become
    one escaped text block, each line of `steps_text` one step of a steps block. Nothing they type
    is ever taken as HTML."""
    blocks = []
    html = "".join(
        "<p>" + "<br>".join(escape(line.strip()) for line in part.split("\n")) + "</p>"
        for part in _paragraphs(body_text)
    )
    if html:
        blocks.append(("text", html))
    steps = steps_from_text(steps_text)
    if steps:
        blocks.append(("steps", [{"title": step, "text": "", "image": None} for step in steps]))
    return blocks


def steps_from_text(steps_text: str) -> list[str]:
    return [line.strip() for line in (steps_text or "").splitlines() if line.strip()]


def body_to_text(body) -> tuple[str, str]:
    """The plain text of an article's text and steps blocks, as the public form edits it."""
    paragraphs, steps = [], []
    for child in body or []:
        if child.block_type == "text":
            html = re.sub(r"<br\s*/?>", "\n", child.value.source)
            for part in re.split(r"</(?:p|h2|h3|li)>", html):
                text = unescape(strip_tags(part)).strip()
                if text:
                    paragraphs.append(text)
        elif child.block_type == "steps":
            steps += [unescape(strip_tags(str(step["title"]))).strip() for step in child.value]
    return "\n\n".join(paragraphs), "\n".join(step for step in steps if step)


def tags_from_text(text: str) -> list[str]:
    """Comma-separated tags, trimmed, without repeats (ignoring case), in the order typed."""
    seen, tags = set(), []
    for name in (text or "").split(","):
        name = " ".join(name.split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            tags.append(name)
    return tags


def article_fields_validate(*, title: str, summary: str, body_text: str, steps_text: str = "",
                            kind: str = ArticlePage.Kind.ARTICLE, tags=()) -> None:
    """The rules for a contribution, shared by the form and the services (ValidationError with
    the form's field names)."""
    errors = {}
    title = (title or "").strip()
    if len(title) < TITLE_MIN_LENGTH:
        errors["title"] = _("Give it a title of at least %(count)d characters.") % {
            "count": TITLE_MIN_LENGTH}
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("Please keep the title to %(count)d characters.") % {
            "count": TITLE_MAX_LENGTH}
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = _("Write one or two sentences that say what readers will learn.")
    elif len(summary) > SUMMARY_MAX_LENGTH:
        errors["summary"] = _("Please keep the summary to %(count)d characters.") % {
            "count": SUMMARY_MAX_LENGTH}
    words = len((body_text or "").split())
    if words < BODY_MIN_WORDS:
        errors["body_text"] = _(
            "Please write at least %(count)d words, so readers can learn from it "
            "(it has %(words)d)."
        ) % {"count": BODY_MIN_WORDS, "words": words}
    elif len(body_text) > BODY_MAX_LENGTH:
        errors["body_text"] = _("Please keep the text to %(count)d characters.") % {
            "count": BODY_MAX_LENGTH}
    steps = steps_from_text(steps_text)
    if kind == ArticlePage.Kind.GUIDE and not steps:
        errors["steps_text"] = _("A step-by-step guide needs its steps: write one per line.")
    elif len(steps) > MAX_STEPS:
        errors["steps_text"] = _("At most %(count)d steps.") % {"count": MAX_STEPS}
    elif any(len(step) > STEP_MAX_LENGTH for step in steps):
        errors["steps_text"] = _(
            "Keep each step to one line of at most %(count)d characters; explain the details in "
            "the text above."
        ) % {"count": STEP_MAX_LENGTH}
    if len(tags) > MAX_TAGS:
        errors["tags"] = _("At most %(count)d tags.") % {"count": MAX_TAGS}
    elif any(len(tag) > TAG_MAX_LENGTH for tag in tags):
        errors["tags"] = _("Each tag can have at most %(count)d characters.") % {
            "count": TAG_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)


# --- Contributions ------------------------------------------------------------------------------


def _tags(tags) -> list[str]:
    return tags_from_text(tags if isinstance(tags, str) else ",".join(tags))


def _credit_check(*, user, enterprise) -> None:
    if enterprise is None or not enterprise.is_active or not user_can_manage_enterprise(
            user=user, enterprise=enterprise):
        raise PermissionDenied(_("You can only write in the name of an enterprise you run."))


def _reserved_slugs() -> set[str]:
    """The first parts of the paths under /knowledge/ (contribute, contributions, helpful): an
    article with one of them as its slug would be shadowed by those views, or shadow them."""
    from knowledge.urls.articles import urlpatterns

    return {str(pattern.pattern).split("/")[0] for pattern in urlpatterns} - {""}


def article_slug(*, title: str) -> str:
    """A unique slug for a new article that is none of the reserved ones."""
    slug = slug_unique(model=ArticlePage, text=title, max_length=80)
    if slug in _reserved_slugs():
        slug = slug_unique(model=ArticlePage, text=f"{slug}-artikel", max_length=80)
    return slug


def _cover(*, cover_image, title: str, user):
    """An uploaded photo becomes a Wagtail image; an existing image is used as it is."""
    if cover_image is None or isinstance(cover_image, get_image_model()):
        return cover_image
    return image_create(file=cover_image, title=title, uploaded_by=user)


def _workflow_submit(*, page: ArticlePage, user) -> WorkflowState:
    """Send the page's latest revision to the moderators: a new workflow, or the same one again
    after they asked for changes. Never publishes."""
    workflow = page.get_workflow()
    if workflow is None:
        # Without moderation a contribution would have no way to the public; refuse to pretend.
        raise ImproperlyConfigured(
            "No active moderation workflow applies to the knowledge base: assign one to the "
            "knowledge page or an ancestor in the Wagtail admin (Settings > Workflows)."
        )
    state = page.current_workflow_state
    if state is None:
        return workflow.start(page, user)
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
        return state
    raise ValidationError(_("This article is with the moderators. You can change it again when "
                            "they have answered."), code="in_moderation")


def _wagtail_emails_mute(user) -> None:
    """Wagtail emails whoever submitted a page when it is approved or rejected, with links into
    the admin. Contributors cannot open the admin, and hear from Guyub's own notifications
    instead (with a link they can use)."""
    from wagtail.users.models import UserProfile

    if user.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(user)
    if profile.approved_notifications or profile.rejected_notifications:
        profile.approved_notifications = profile.rejected_notifications = False
        profile.save(update_fields=["approved_notifications", "rejected_notifications"])


def _fill(page: ArticlePage, *, enterprise, topic: Topic, kind: str, title: str, summary: str,
          tags, skills, cover) -> None:
    page.enterprise = enterprise
    page.topic = topic
    page.kind = kind
    page.title = one_line(title)
    page.summary = one_line(summary)
    if cover is not None:
        page.cover_image = cover
    page.tags.set(list(tags))
    page.skills.set(list(skills))


@transaction.atomic
def article_submit(*, user, enterprise, topic: Topic, kind: str, title: str, summary: str,
                   body_text: str, steps_text: str = "", tags=(), skills=(),
                   cover_image=None) -> ArticlePage:
    """A contribution: a draft page (never live) under the Indonesian knowledge page, owned by
    `user`, credited to `enterprise` (which they must run), sent to the moderators."""
    _credit_check(user=user, enterprise=enterprise)
    title, summary = one_line(title), one_line(summary)
    tags = _tags(tags)
    article_fields_validate(title=title, summary=summary, body_text=body_text,
                            steps_text=steps_text, kind=kind, tags=tags)
    index = section_page("KnowledgeIndexPage")
    if index is None:
        raise ImproperlyConfigured("The knowledge page does not exist yet (run migrate).")
    page = ArticlePage(
        owner=user, slug=article_slug(title=title),
        body=body_from_text(body_text=body_text, steps_text=steps_text),
    )
    _fill(page, enterprise=enterprise, topic=topic, kind=kind, title=title, summary=summary,
          tags=tags, skills=skills,
          cover=_cover(cover_image=cover_image, title=title, user=user))
    page_add(parent=index, page=page, user=user, publish=False)
    _workflow_submit(page=page, user=user)
    _wagtail_emails_mute(user)
    return page


def article_can_edit(*, page: ArticlePage, user) -> bool:
    """The owner may change a contribution unless it is waiting for the moderators."""
    if not user.is_authenticated or page.owner_id != user.pk:
        return False
    state = page.current_workflow_state
    return state is None or state.status != WorkflowState.STATUS_IN_PROGRESS


@transaction.atomic
def article_update(*, page: ArticlePage, user, enterprise, topic: Topic, kind: str, title: str,
                   summary: str, body_text: str, steps_text: str = "", tags=(), skills=(),
                   cover_image=None) -> ArticlePage:
    """The owner's new version, saved as a revision and sent to the moderators again. A published
    article stays as it was until they approve the change; photos, videos and other blocks
    editors added in the admin are kept after the new text."""
    if not user.is_authenticated or page.owner_id != user.pk:
        raise PermissionDenied(_("Only the person who wrote this article can change it."))
    _credit_check(user=user, enterprise=enterprise)
    page = ArticlePage.objects.select_for_update().get(pk=page.pk)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise ValidationError(_("This article is with the moderators. You can change it again "
                                "when they have answered."), code="in_moderation")
    title, summary = one_line(title), one_line(summary)
    tags = _tags(tags)
    article_fields_validate(title=title, summary=summary, body_text=body_text,
                            steps_text=steps_text, kind=kind, tags=tags)
    draft = page.get_latest_revision_as_object()
    body = draft.body
    for position in reversed(range(len(body))):
        if body[position].block_type in TEXT_BLOCKS:
            del body[position]
    new_blocks = body_from_text(body_text=body_text, steps_text=steps_text)
    for block in reversed([block for block in new_blocks if block[0] == "text"]):
        body.insert(0, block)
    for block in new_blocks:
        if block[0] == "steps":
            body.append(block)
    _fill(draft, enterprise=enterprise, topic=topic, kind=kind, title=title, summary=summary,
          tags=tags, skills=skills,
          cover=_cover(cover_image=cover_image, title=title, user=user))
    draft.save_revision(user=user, log_action=True)
    _workflow_submit(page=draft, user=user)
    _wagtail_emails_mute(user)
    return draft


# --- Helpful marks ------------------------------------------------------------------------------


@transaction.atomic
def helpful_toggle(*, article: ArticlePage, user) -> bool:
    """Mark the article helpful for `user`, or take the mark back. Marks are recorded on the
    default-locale page, so the Indonesian and English versions share one count. Returns whether
    the user now marks it helpful."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to mark articles helpful."))
    canonical = article.canonical
    if canonical is None or not canonical.live:
        raise ValidationError(_("This article is not published."))
    if canonical.owner_id == user.pk:
        raise ValidationError(_("You cannot mark your own article helpful."))
    deleted, _rows = HelpfulMark.objects.filter(article=canonical, user=user).delete()
    if deleted:
        return False
    HelpfulMark.objects.get_or_create(article=canonical, user=user)
    return True


# --- What owners are told (receivers of Wagtail's signals) --------------------------------------


def _contribution_owner(page):
    """The owner of a contributed article, who cannot publish it themselves; None for editors'
    own pages, aliases and translations."""
    if not isinstance(page, ArticlePage) or page.alias_of_id or page.owner_id is None:
        return None
    if page.locale_id != Locale.get_default().pk:
        return None
    owner = page.owner
    if page.permissions_for_user(owner).can_publish():
        return None
    return owner


def article_published_notify(sender, instance, revision=None, alias=False, **kwargs) -> None:
    """page_published: tell the contributor their article (or their change to it) is live."""
    if alias:
        return
    owner = _contribution_owner(instance)
    if owner is None:
        return
    first = instance.first_published_at == instance.last_published_at
    with translation.override(settings.LANGUAGE_CODE):
        title = (_("Your article is published: %(title)s") if first
                 else _("Your changes are published: %(title)s")) % {"title": instance.title}
        notification_send(
            users=[owner], kind="article_published", title=title,
            body=_("Thank you for sharing what you know. Readers can now find it in the "
                   "knowledge base."),
            url=instance.url or "",
        )


def article_changes_requested_notify(sender, instance, user=None, **kwargs) -> None:
    """task_rejected: tell the contributor what the moderator asked to change."""
    page = instance.workflow_state.content_object
    page = getattr(page, "specific", page)
    owner = _contribution_owner(page)
    if owner is None or owner == user:
        return
    with translation.override(settings.LANGUAGE_CODE):
        comment = (instance.comment or "").strip()
        notification_send(
            users=[owner], kind="article_changes_requested",
            title=_("Changes requested: %(title)s") % {"title": page.draft_title or page.title},
            body=(_("The moderators wrote: %(comment)s") % {"comment": comment} if comment
                  else _("The moderators asked for changes before publishing it.")),
            url=reverse("article_edit", kwargs={"pk": page.pk}),
        )


def signals_connect() -> None:
    """Connect the receivers above (from KnowledgeConfig.ready; safe to call twice)."""
    from wagtail.signals import page_published, task_rejected

    page_published.connect(article_published_notify, dispatch_uid="knowledge-article-published")
    task_rejected.connect(article_changes_requested_notify,
                          dispatch_uid="knowledge-article-changes-requested")
