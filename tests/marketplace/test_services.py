"""Product writes: slugs, search text, validation, photos and hiding."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.images import get_image_model

from marketplace import services
from marketplace.models import Product, ProductPhoto
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    ProductFactory,
    ProductPhotoFactory,
    UserFactory,
)
from tests.helpers import image_upload

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    fields = {
        "category": CategoryFactory(), "title": "Keripik Singkong Balado", "price": 15000,
        "unit": "pack", "stock": 20, "min_order": 1, "description": "Pedas manis.",
    }
    return {**fields, **overrides}


def test_product_create_sets_a_slug_and_search_text():
    enterprise = EnterpriseFactory(name="Keripik Sari")

    product = services.product_create(enterprise=enterprise, **_fields())

    assert product.slug == "keripik-singkong-balado"
    assert product.is_active
    assert product.search_document == (
        "keripik singkong balado keripik chips keripik sari pedas manis."
    )


def test_two_products_with_the_same_title_get_different_slugs():
    enterprise = EnterpriseFactory()

    first = services.product_create(enterprise=enterprise, **_fields())
    second = services.product_create(enterprise=EnterpriseFactory(), **_fields())

    assert first.slug != second.slug
    assert second.slug.startswith(first.slug + "-")


def test_product_create_stores_photos_in_order():
    user = UserFactory()

    product = services.product_create(
        enterprise=EnterpriseFactory(), user=user,
        photo_files=[image_upload("a.jpg"), image_upload("b.png", "PNG")], **_fields(),
    )

    photos = list(product.photos.order_by("sort_order"))
    assert [photo.sort_order for photo in photos] == [0, 1]
    assert all(photo.image.title == product.title for photo in photos)
    assert all(photo.image.uploaded_by_user == user for photo in photos)
    assert product.cover == photos[0].image


@pytest.mark.parametrize(
    ("field", "value"),
    [("price", -1), ("stock", -5), ("min_order", 0), ("title", "")],
)
def test_product_create_rejects_invalid_values_and_writes_nothing(field, value):
    with pytest.raises(ValidationError) as error:
        services.product_create(
            enterprise=EnterpriseFactory(), photo_files=[image_upload()],
            **_fields(**{field: value}),
        )

    assert field in error.value.message_dict
    assert not Product.objects.exists()
    assert not get_image_model().objects.exists()


def test_the_database_refuses_a_minimum_order_below_one():
    from django.db import IntegrityError

    product = ProductFactory()

    with pytest.raises(IntegrityError):
        Product.objects.filter(pk=product.pk).update(min_order=0)


def test_product_update_changes_fields_and_refreshes_search_text():
    product = ProductFactory(title="Keripik Pisang")

    services.product_update(product=product, title="Kopi Robusta", price=45000)

    product.refresh_from_db()
    assert product.title == "Kopi Robusta"
    assert product.price == 45000
    assert product.search_document.startswith("kopi robusta ")
    assert "pisang" not in product.search_document


def test_product_update_keeps_the_slug():
    product = ProductFactory(title="Keripik Pisang", slug="keripik-pisang")

    services.product_update(product=product, title="Keripik Pisang Coklat")

    product.refresh_from_db()
    assert product.slug == "keripik-pisang"


def test_product_update_rejects_invalid_values_without_saving():
    product = ProductFactory(price=15000)

    with pytest.raises(ValidationError):
        services.product_update(product=product, price=-100)

    product.refresh_from_db()
    assert product.price == 15000


def test_product_update_removes_photos_and_appends_new_ones_last():
    product = ProductFactory()
    first, second, third = (
        ProductPhotoFactory(product=product, sort_order=position) for position in range(3)
    )

    services.product_update(product=product, remove_photo_ids=[first.pk, second.pk],
                            photo_files=[image_upload("baru.jpg")])

    photos = list(product.photos.order_by("sort_order", "pk"))
    assert len(photos) == 2
    assert photos[0] == third
    assert photos[1].image.title == product.title


def test_product_update_cannot_remove_another_products_photo():
    product = ProductFactory()
    others = ProductPhotoFactory()

    services.product_update(product=product, remove_photo_ids=[others.pk])

    assert ProductPhoto.objects.filter(pk=others.pk).exists()


def test_product_set_active_hides_and_shows_again():
    product = ProductFactory()

    services.product_set_active(product=product, is_active=False)
    product.refresh_from_db()
    assert not product.is_active

    services.product_set_active(product=product, is_active=True)
    product.refresh_from_db()
    assert product.is_active


def test_product_search_document_refresh_writes_only_when_changed(django_assert_num_queries):
    product = ProductFactory()
    product = Product.objects.select_related("category", "enterprise").get(pk=product.pk)

    with django_assert_num_queries(0):
        services.product_search_document_refresh(product=product)

    product.enterprise.name = "Keripik Sari"
    with django_assert_num_queries(1):
        services.product_search_document_refresh(product=product)
    assert "keripik sari" in Product.objects.get(pk=product.pk).search_document
