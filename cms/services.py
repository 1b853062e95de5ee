from django.conf import settings
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


def notification_send(*, users, kind: str, title: str, body: str = "", url: str = "",
                      email: bool = True) -> list:
    """Tell `users` something, in the app and (after commit, through the task queue) by email.

    `title` and `body` are already in the recipients' language (Indonesian by default)."""
    from django.db import transaction

    from cms.models import Notification
    from cms.tasks import notification_email_send

    users = [user for user in users if user is not None]
    notifications = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, title=title[:200], body=body, url=url[:300])
        for user in users
    )
    if email:
        link = f"\n\n{settings.WAGTAILADMIN_BASE_URL}{url}" if url else ""
        for user in users:
            if user.email:
                transaction.on_commit(
                    lambda to=user.email: notification_email_send.enqueue(
                        to=to, subject=f"Guyub: {title}", body=f"{body}{link}"
                    )
                )
    return notifications


def notification_mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    from django.utils import timezone

    from cms.models import Notification

    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
