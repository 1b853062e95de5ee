import contextlib
import contextvars
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from wagtail.images import get_image_model


def slug_unique(*, model: type[Model], text: str, max_length: int = 120, exclude_pk=None) -> str:
    """A slug from `text`, with a short random suffix when the plain one is taken."""
    base = slugify(text)[: max_length - 7].strip("-") or "item"
    slug = base
    taken = model.objects.exclude(pk=exclude_pk).filter
    while taken(slug=slug).exists():
        slug = f"{base}-{get_random_string(6, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug


def image_create(*, file: UploadedFile, title: str, uploaded_by=None):
    """Store an upload (already validated by a WagtailImageField) as a Wagtail image."""
    image = get_image_model()(title=title[:255], file=file)
    if uploaded_by is not None and uploaded_by.is_authenticated:
        image.uploaded_by_user = uploaded_by
    image.save()
    return image


@dataclass(frozen=True)
class Message:
    """One notification for one user; `title` and `body` already in their language."""

    user: object
    kind: str
    title: str
    body: str = ""
    url: str = ""


_muted = contextvars.ContextVar("notifications_muted", default=False)


@contextlib.contextmanager
def notifications_muted():
    """Nobody is told anything inside (demo data: thousands of made-up events)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def notifications_send(*, messages, email: bool = True) -> list:
    """Store the messages in one insert and, after commit, email each through the task queue."""
    if _muted.get():
        return []
    from django.db import transaction

    from cms.models import Notification
    from cms.tasks import notification_email_send

    messages = [message for message in messages if message.user is not None]
    notifications = Notification.objects.bulk_create(
        Notification(user=m.user, kind=m.kind, title=m.title[:200], body=m.body, url=m.url[:300])
        for m in messages
    )
    if email:
        for message in messages:
            if message.user.email:
                link = f"\n\n{settings.WAGTAILADMIN_BASE_URL}{message.url}" if message.url else ""
                transaction.on_commit(
                    lambda m=message, link=link: notification_email_send.enqueue(
                        to=m.user.email, subject=f"Guyub: {m.title}", body=f"{m.body}{link}"
                    ),
                    robust=True,  # a queue that cannot take it loses the email, not the request
                )
    return notifications


def notification_send(*, users, kind: str, title: str, body: str = "", url: str = "",
                      email: bool = True) -> list:
    """Tell `users` the same thing, in the app and by email (see notifications_send)."""
    return notifications_send(
        messages=[Message(user=user, kind=kind, title=title, body=body, url=url)
                  for user in users],
        email=email,
    )


def notification_mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    from django.utils import timezone

    from cms.models import Notification

    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


# Rate windows: at most `limit` events per `seconds` under a key (a person, an address), kept
# in the shared cache (Redis in production) so every process counts the same events.


def _window_times(*, key: str, seconds: float, now: float) -> list[float]:
    return [when for when in cache.get(key, []) if when > now - seconds]


def rate_window_wait(*, key: str, limit: int, seconds: float, now: float) -> float:
    """Seconds (timestamps in `now`'s clock) until one more event fits; 0 when it fits now."""
    times = _window_times(key=key, seconds=seconds, now=now)
    if len(times) < limit:
        return 0
    return times[len(times) - limit] + seconds - now


def rate_window_record(*, key: str, seconds: float, now: float) -> None:
    times = [*_window_times(key=key, seconds=seconds, now=now), now]
    cache.set(key, times, timeout=math.ceil(seconds))
