from django.db import transaction
from django.db.models import Max

from cms.page_cache import public_pages_changed, version_bump
from cms.services import image_create, slug_unique
from marketplace import selectors
from marketplace.models import Product, ProductPhoto

PRODUCT_FIELDS = (
    "category", "title", "description", "price", "unit", "stock", "min_order", "is_active",
)
MAX_PHOTOS = 8


def catalogue_changed() -> None:
    """Invalidate cached catalogue counts (selectors.product_count) and public pages. Saves of
    catalogue models call this through signals; code that writes with queryset.update() or
    bulk_create() must call it itself."""
    version_bump(selectors.CATALOGUE_VERSION_KEY)
    public_pages_changed()


def product_search_document(product: Product) -> str:
    parts = [
        product.title, product.category.name, product.category.name_en,
        product.enterprise.name, product.description,
    ]
    return " ".join(part for part in parts if part).lower()


def product_search_document_refresh(*, product: Product) -> None:
    document = product_search_document(product)
    if document != product.search_document:
        Product.objects.filter(pk=product.pk).update(search_document=document)
        product.search_document = document
        catalogue_changed()


def _add_photos(*, product: Product, photo_files, user) -> None:
    # After the last kept photo, even when earlier ones were removed.
    last = product.photos.aggregate(last=Max("sort_order"))["last"]
    start = 0 if last is None else last + 1
    for position, photo_file in enumerate(photo_files, start=start):
        image = image_create(file=photo_file, title=product.title, uploaded_by=user)
        ProductPhoto.objects.create(product=product, image=image, sort_order=position)


@transaction.atomic
def product_create(*, enterprise, user=None, photo_files=(), **fields) -> Product:
    values = {key: fields[key] for key in PRODUCT_FIELDS if key in fields}
    product = Product(enterprise=enterprise, **values)
    product.slug = slug_unique(model=Product, text=product.title, max_length=150)
    product.search_document = product_search_document(product)
    product.full_clean()
    product.save()
    _add_photos(product=product, photo_files=photo_files, user=user)
    return product


@transaction.atomic
def product_update(*, product: Product, user=None, photo_files=(), remove_photo_ids=(),
                   **fields) -> Product:
    for key in PRODUCT_FIELDS:
        if key in fields:
            setattr(product, key, fields[key])
    product.search_document = product_search_document(product)
    product.full_clean()
    product.save()
    if remove_photo_ids:
        product.photos.filter(pk__in=remove_photo_ids).delete()
    _add_photos(product=product, photo_files=photo_files, user=user)
    return product


@transaction.atomic
def product_set_active(*, product: Product, is_active: bool) -> Product:
    product.is_active = is_active
    product.save(update_fields=["is_active", "updated_at"])
    return product
