"""Writing in the forum: threads, replies, edits, reports, moderation and accepted answers.

Thread.reply_count is the number of visible replies (the opening post is not a reply); it is
changed with F() in the same transaction as the post it counts, with the thread row locked.
Rate limits are checked by the views (forum_rate_limit_check), not here: demo data and imports
write many posts at once."""

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.page_cache import public_pages_changed
from cms.services import Message, notifications_send, rate_window_record, rate_window_wait
from enterprises.models import Enterprise
from enterprises.selectors import user_can_manage_enterprise
from knowledge.formatting import mention_slugs
from knowledge.models import ForumCategory, Post, PostReport, Thread
from knowledge.selectors.forum import (
    EDIT_WINDOW,
    author_name,
    opening_post_id,
    post_edit_allowed,
    post_url,
    user_is_forum_moderator,
)

BODY_MIN_LENGTH = 2
BODY_MAX_LENGTH = Post._meta.get_field("body").max_length
TITLE_MIN_LENGTH = 5
TITLE_MAX_LENGTH = Thread._meta.get_field("title").max_length
NOTE_MAX_LENGTH = PostReport._meta.get_field("note").max_length
REASON_MAX_LENGTH = Post._meta.get_field("hidden_reason").max_length
# Open reports from this many different readers hide a post until a moderator looks at it.
REPORTS_TO_HIDE = 3
# Stored as Post.hidden_reason for a post hidden by reports; pages show it translated.
REPORTED_REASON = "reported"
EXCERPT_LENGTH = 240


# Checks shared by the writes


def _clean_text(text, *, field: str, min_length: int, max_length: int) -> str:
    # PostgreSQL refuses NUL characters in text; nobody types them on purpose.
    text = (text or "").replace("\x00", "").strip()
    if len(text) < min_length:
        raise ValidationError(
            {field: ngettext("Write at least %(count)d character.",
                             "Write at least %(count)d characters.", min_length)
             % {"count": min_length}},
            code="too_short",
        )
    if len(text) > max_length:
        raise ValidationError(
            {field: _("Please keep it to %(limit)d characters (it has %(length)d).")
             % {"limit": max_length, "length": len(text)}},
            code="too_long",
        )
    return text


def _clean_body(body) -> str:
    return _clean_text(body, field="body", min_length=BODY_MIN_LENGTH,
                       max_length=BODY_MAX_LENGTH)


def _check_signed_in(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Log in to write in the forum."))


def _check_posting_as(*, user, enterprise: Enterprise | None) -> None:
    if enterprise is None:
        return
    if not enterprise.is_active or not user_can_manage_enterprise(user=user,
                                                                   enterprise=enterprise):
        raise PermissionDenied(_("You can only post for an enterprise you run."))


def _check_moderator(user) -> None:
    if not user_is_forum_moderator(user=user):
        raise PermissionDenied(_("Only forum moderators can do this."))


def _lock_thread(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().get(pk=thread.pk)


def _refresh_counts(thread: Thread) -> None:
    thread.refresh_from_db(fields=["reply_count", "last_activity_at", "accepted_post",
                                   "is_locked", "is_hidden"])


def _mentions_set(*, post: Post) -> list[Enterprise]:
    """Store the enterprises the post's @names point to; returns the new ones."""
    slugs = mention_slugs(post.body)
    found = list(Enterprise.objects.filter(slug__in=slugs, is_active=True)) if slugs else []
    before = set(post.mentions.values_list("pk", flat=True)) if post.pk else set()
    post.mentions.set(found)
    return [enterprise for enterprise in found if enterprise.pk not in before]


def _excerpt(body: str) -> str:
    body = " ".join(body.split())
    return body if len(body) <= EXCERPT_LENGTH else body[: EXCERPT_LENGTH - 1] + "…"


def _poster_name(post: Post) -> str:
    name = author_name(post.author) or _("A Guyub member")
    if post.enterprise_id:
        return f"{name} ({post.enterprise.name})"
    return name


def _mention_messages(*, post: Post, enterprises: list[Enterprise]) -> list[Message]:
    """One message to each person running a mentioned enterprise (not the writer)."""
    if not enterprises:
        return []
    User = get_user_model()
    people = User.objects.filter(
        enterprise_memberships__enterprise__in=enterprises, is_active=True,
    ).exclude(pk=post.author_id).prefetch_related("enterprise_memberships__enterprise").distinct()
    mentioned_ids = {enterprise.pk for enterprise in enterprises}
    url = post_url(post=post)
    messages = []
    for person in people:
        names = sorted(m.enterprise.name for m in person.enterprise_memberships.all()
                       if m.enterprise_id in mentioned_ids)
        messages.append(Message(
            user=person, kind="forum_mention", url=url,
            title=_("%(name)s mentioned %(enterprise)s in “%(title)s”")
            % {"name": _poster_name(post), "enterprise": ", ".join(names),
               "title": post.thread.title},
            body=_excerpt(post.body),
        ))
    return messages


def _send(messages: list[Message]) -> None:
    if messages:
        notifications_send(messages=messages)


# Threads and replies


@transaction.atomic
def thread_start(*, category: ForumCategory, author, enterprise: Enterprise | None = None,
                 kind: str, title: str, body: str) -> Thread:
    """A new thread with its opening post; the enterprises it @mentions are told."""
    _check_signed_in(author)
    _check_posting_as(user=author, enterprise=enterprise)
    errors = {}
    if kind not in Thread.Kind.values:
        errors["kind"] = [_("Choose a discussion or a question.")]
    try:
        title = " ".join(_clean_text(title, field="title", min_length=TITLE_MIN_LENGTH,
                                     max_length=TITLE_MAX_LENGTH).split())
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        body = _clean_body(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    thread = Thread.objects.create(category=category, kind=kind, title=title, author=author,
                                   enterprise=enterprise, last_activity_at=now)
    post = Post.objects.create(thread=thread, author=author, enterprise=enterprise, body=body)
    mentioned = _mentions_set(post=post)
    with translation.override(settings.LANGUAGE_CODE):
        _send(_mention_messages(post=post, enterprises=mentioned))
    return thread


@transaction.atomic
def post_reply(*, thread: Thread, author, enterprise: Enterprise | None = None,
               body: str) -> Post:
    """A reply. The thread's author and earlier repliers are told (not the one replying), and
    the people of @mentioned enterprises (told once, as mentioned)."""
    _check_signed_in(author)
    _check_posting_as(user=author, enterprise=enterprise)
    body = _clean_body(body)
    locked = _lock_thread(thread)
    if locked.is_hidden:
        raise ValidationError(_("This thread was hidden by a moderator."), code="hidden")
    if locked.is_locked:
        raise ValidationError(_("This thread is locked: no new replies."), code="locked")
    post = Post.objects.create(thread=locked, author=author, enterprise=enterprise, body=body)
    Thread.objects.filter(pk=locked.pk).update(reply_count=F("reply_count") + 1,
                                               last_activity_at=post.created_at)
    _refresh_counts(thread)
    post.thread = thread
    mentioned = _mentions_set(post=post)
    with translation.override(settings.LANGUAGE_CODE):
        messages = _mention_messages(post=post, enterprises=mentioned)
        told = {message.user.pk for message in messages} | {author.pk}
        participant_ids = {thread.author_id} | set(
            Post.objects.filter(thread=thread, is_hidden=False).exclude(pk=post.pk)
            .values_list("author_id", flat=True)
        )
        participants = get_user_model().objects.filter(
            pk__in=participant_ids - told, is_active=True)
        url = post_url(post=post)
        messages += [
            Message(user=person, kind="forum_reply", url=url,
                    title=_("%(name)s replied in “%(title)s”")
                    % {"name": _poster_name(post), "title": thread.title},
                    body=_excerpt(post.body))
            for person in participants
        ]
        _send(messages)
    return post


@transaction.atomic
def post_edit(*, post: Post, by, body: str) -> Post:
    """The author corrects their post (see selectors.forum.post_edit_allowed). @mentions are
    linked to the enterprises, who are not told (only new posts notify)."""
    # Lock the post row only: PostgreSQL cannot lock the outer-joined (nullable) enterprise.
    post = Post.objects.select_for_update(of=("self",)).select_related(
        "thread", "author", "enterprise").get(pk=post.pk)
    if by is None or not by.is_authenticated or post.author_id != by.pk:
        raise PermissionDenied(_("Only the author can edit a post."))
    if not post_edit_allowed(post=post, user=by):
        raise ValidationError(
            _("This post can no longer be edited: posts can be changed for %(minutes)d minutes "
              "after writing, while the thread is open.")
            % {"minutes": EDIT_WINDOW.total_seconds() // 60},
            code="too_late",
        )
    body = _clean_body(body)
    if body == post.body:
        return post
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    # Mentions are linked but nobody is told: editing @names in and out would otherwise send a
    # notification on every edit, past the limits that hold for new posts.
    _mentions_set(post=post)
    return post


# Accepted answers


@transaction.atomic
def answer_accept(*, post: Post, by) -> Thread:
    """The asker (or a moderator) marks a reply as the answer to a question; a later choice
    replaces an earlier one. The answer's author is told."""
    thread = _lock_thread(post.thread)
    post = Post.objects.select_related("author").get(pk=post.pk)
    if not by.is_authenticated or (
        thread.author_id != by.pk and not user_is_forum_moderator(user=by)
    ):
        raise PermissionDenied(_("Only the person who asked, or a moderator, can accept an "
                                 "answer."))
    if thread.kind != Thread.Kind.QUESTION:
        raise ValidationError(_("Only questions have an accepted answer."), code="not_question")
    if thread.is_hidden:
        raise ValidationError(_("This thread was hidden by a moderator."), code="hidden")
    if post.pk == opening_post_id(thread=thread):
        raise ValidationError(_("The question itself cannot be its answer."), code="opening")
    if post.is_hidden:
        raise ValidationError(_("A hidden post cannot be the accepted answer."), code="hidden")
    if thread.accepted_post_id == post.pk:
        return thread
    thread.accepted_post = post
    thread.save(update_fields=["accepted_post"])
    if post.author_id != by.pk and post.author.is_active:
        post.thread = thread
        with translation.override(settings.LANGUAGE_CODE):
            _send([Message(
                user=post.author, kind="forum_accepted", url=post_url(post=post),
                title=_("Your answer was accepted in “%(title)s”") % {"title": thread.title},
                body=_excerpt(post.body),
            )])
    return thread


# Reports and moderation


def _set_hidden(*, post: Post, hidden: bool, reason: str) -> bool:
    """Hide or show a post, keeping reply_count and the accepted answer right. Expects the
    thread row locked. Returns whether anything changed."""
    if post.is_hidden == hidden and (not hidden or post.hidden_reason == reason):
        return False
    was_hidden = post.is_hidden
    post.is_hidden, post.hidden_reason = hidden, reason if hidden else ""
    post.save(update_fields=["is_hidden", "hidden_reason"])
    if was_hidden != hidden and post.pk != opening_post_id(thread=post.thread):
        Thread.objects.filter(pk=post.thread_id).update(
            reply_count=F("reply_count") + (-1 if hidden else 1))
    if hidden:
        Thread.objects.filter(pk=post.thread_id, accepted_post=post).update(accepted_post=None)
    return True


def _resolve_reports(*, post: Post, by) -> int:
    return PostReport.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by)


@transaction.atomic
def post_report(*, post: Post, reporter, reason: str, note: str = "") -> PostReport:
    """A reader tells the moderators about a post, once. When REPORTS_TO_HIDE different readers
    have open reports on it, the post is hidden until a moderator decides."""
    _check_signed_in(reporter)
    if reason not in PostReport.Reason.values:
        raise ValidationError({"reason": _("Choose why you report this post.")}, code="reason")
    note = (note or "").replace("\x00", "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Please keep it to %(limit)d characters (it has %(length)d).")
             % {"limit": NOTE_MAX_LENGTH, "length": len(note)}}, code="too_long")
    _lock_thread(post.thread)
    post = Post.objects.select_related("thread").get(pk=post.pk)
    if post.author_id == reporter.pk:
        raise ValidationError(_("You cannot report your own post."), code="own")
    if PostReport.objects.filter(post=post, reporter=reporter).exists():
        raise ValidationError(_("You have already reported this post. Thank you."),
                              code="already_reported")
    try:
        with transaction.atomic():
            report = PostReport.objects.create(post=post, reporter=reporter, reason=reason,
                                               note=note)
    except IntegrityError:
        raise ValidationError(_("You have already reported this post. Thank you."),
                              code="already_reported") from None
    open_reports = PostReport.objects.filter(post=post, resolved_at__isnull=True).count()
    if open_reports >= REPORTS_TO_HIDE and not post.is_hidden:
        _set_hidden(post=post, hidden=True, reason=REPORTED_REASON)
    return report


@transaction.atomic
def post_hide(*, post: Post, by, reason: str, hidden: bool = True) -> Post:
    """A moderator hides a post (with a reason the author and moderators see) or shows it again.
    Either way the post's open reports are resolved: a moderator has looked at it."""
    _check_moderator(by)
    reason = " ".join((reason or "").replace("\x00", "").split())
    if hidden and not reason:
        raise ValidationError({"reason": _("Say why the post is hidden.")}, code="required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Please keep it to %(limit)d characters (it has %(length)d).")
             % {"limit": REASON_MAX_LENGTH, "length": len(reason)}}, code="too_long")
    _lock_thread(post.thread)
    post = Post.objects.select_related("thread").get(pk=post.pk)
    _set_hidden(post=post, hidden=hidden, reason=reason)
    _resolve_reports(post=post, by=by)
    return post


@transaction.atomic
def post_reports_dismiss(*, post: Post, by) -> Post:
    """A moderator finds the reports unfounded: they are resolved, and a post that the reports
    hid is shown again (a post a moderator hid stays hidden)."""
    _check_moderator(by)
    _lock_thread(post.thread)
    post = Post.objects.select_related("thread").get(pk=post.pk)
    if post.is_hidden and post.hidden_reason == REPORTED_REASON:
        _set_hidden(post=post, hidden=False, reason="")
    _resolve_reports(post=post, by=by)
    return post


@transaction.atomic
def thread_lock(*, thread: Thread, by, locked: bool) -> Thread:
    """A moderator closes a thread to new replies, or opens it again."""
    _check_moderator(by)
    Thread.objects.filter(pk=thread.pk).update(is_locked=locked)
    thread.is_locked = locked
    return thread


@transaction.atomic
def thread_hide(*, thread: Thread, by, hidden: bool) -> Thread:
    """A moderator takes a whole thread off the forum (others get a 404), or brings it back."""
    _check_moderator(by)
    Thread.objects.filter(pk=thread.pk).update(is_hidden=hidden)
    public_pages_changed()  # the home page lists threads; update() sends no signal
    thread.is_hidden = hidden
    return thread


# Rate limits

EDIT_WINDOW_LIMIT = timedelta(minutes=10)


def _edit_key(user) -> str:
    return f"forum:edits:{user.pk}"


def _too_fast(*, frees_at, now) -> ValidationError:
    minutes = max(1, math.ceil((frees_at - now).total_seconds() / 60))
    return ValidationError(
        ngettext("You are posting too fast; try again in %(minutes)d minute.",
                 "You are posting too fast; try again in %(minutes)d minutes.", minutes)
        % {"minutes": minutes},
        code="rate_limited",
    )


def _edit_limit_check(*, user, now) -> None:
    wait = rate_window_wait(key=_edit_key(user), now=now.timestamp(),
                            limit=getattr(settings, "FORUM_EDITS_PER_10_MINUTES", 5),
                            seconds=EDIT_WINDOW_LIMIT.total_seconds())
    if wait:
        raise _too_fast(frees_at=now + timedelta(seconds=wait), now=now)


def forum_edit_record(*, user, now=None) -> None:
    """Count an edit for the edit limit (the views call it after a saved edit). Kept in the
    cache, shared by the processes (Redis in production): Post keeps only its last edit time."""
    if user_is_forum_moderator(user=user):
        return
    now = now or timezone.now()
    rate_window_record(key=_edit_key(user), seconds=EDIT_WINDOW_LIMIT.total_seconds(),
                       now=now.timestamp())


def forum_rate_limit_check(*, user, action: str, now=None) -> None:
    """Refuse a new thread or post beyond the limits in settings (FORUM_THREADS_PER_HOUR,
    FORUM_POSTS_PER_10_MINUTES), counted from the database so they hold across processes. Every
    post counts, opening posts included. `action="edit"` checks the edits (FORUM_EDITS_PER_10_
    MINUTES), counted in the shared cache by forum_edit_record. Moderators are exempt."""
    if user_is_forum_moderator(user=user):
        return
    now = now or timezone.now()
    if action == "edit":
        _edit_limit_check(user=user, now=now)
        return
    if action == "thread":
        limit = getattr(settings, "FORUM_THREADS_PER_HOUR", 3)
        window = timedelta(hours=1)
        rows = Thread.objects.filter(author=user)
    elif action == "post":
        limit = getattr(settings, "FORUM_POSTS_PER_10_MINUTES", 5)
        window = timedelta(minutes=10)
        rows = Post.objects.filter(author=user)
    else:
        raise ValueError(f"Unknown forum action: {action!r}")
    times = list(
        rows.filter(created_at__gt=now - window).order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(times) < limit:
        return
    # Wait until enough of them have left the window to leave room for one more.
    raise _too_fast(frees_at=times[len(times) - limit] + window, now=now)
