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
