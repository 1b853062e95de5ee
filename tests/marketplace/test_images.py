"""Bad photo uploads through the dashboard product form: each is a form message, never a 500,
and leaves no product and no image behind."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model

from marketplace.models import Product, ProductPhoto
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductPhotoFactory,
    image_bytes,
    seller,
)

pytestmark = pytest.mark.django_db

Image = get_image_model()


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG signature and header declaring `width` x `height`, with almost no pixel data:
    a decompression bomb's header, in a few dozen bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def jpeg_padded_to(size: int) -> bytes:
    """A real JPEG with junk after its end marker, so it is `size` bytes but decodes fine."""
    data = image_bytes(64, 48)
    return data + b"\x00" * (size - len(data))


def _form_data(**overrides):
    data = {
        "title": "Keripik Singkong", "category": CategoryFactory().pk, "price": "15000",
        "unit": "pack", "stock": "20", "min_order": "1", "is_active": "on",
    }
    return {**data, **overrides}


@pytest.fixture
def post_photos(client):
    """Post the new-product form as its seller with the given files as photos."""
    user, enterprise = seller()
    client.force_login(user)
    url = f"/dashboard/enterprises/{enterprise.slug}/products/new/"

    def post(*files):
        return client.post(url, _form_data(photo_uploads=list(files)))

    return post


def _assert_refused(response, *fragments: str) -> str:
    assert response.status_code == 200
    errors = response.context["form"].errors["photo_uploads"]
    content = response.content.decode().replace("&#x27;", "'")
    for message in errors:
        assert message in content
    text = " ".join(errors)
    for fragment in fragments:
        assert fragment in text, text
    assert not Product.objects.exists()
    assert not ProductPhoto.objects.exists()
    assert not Image.objects.exists()
    return text


def test_a_text_file_named_jpg_is_refused(post_photos):
    fake = SimpleUploadedFile("foto.jpg", b"this is not a photo\n" * 50, content_type="image/jpeg")

    _assert_refused(post_photos(fake))


def test_an_empty_file_is_refused(post_photos):
    response = post_photos(SimpleUploadedFile("foto.jpg", b"", content_type="image/jpeg"))

    _assert_refused(response)


def test_a_png_named_jpg_is_refused(post_photos):
    mismatch = SimpleUploadedFile("foto.jpg", image_bytes(fmt="PNG"), content_type="image/jpeg")

    _assert_refused(post_photos(mismatch), ".jpeg", "png")


def test_an_unsupported_extension_is_refused(post_photos):
    bitmap = SimpleUploadedFile("foto.bmp", image_bytes(fmt="BMP"), content_type="image/bmp")

    _assert_refused(post_photos(bitmap), "JPG")


def test_a_file_over_the_real_upload_limit_is_refused(post_photos, settings):
    big = SimpleUploadedFile(
        "besar.jpg", jpeg_padded_to(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE + 1),
        content_type="image/jpeg",
    )

    _assert_refused(post_photos(big), "MB")


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=2_000)
def test_a_file_over_an_overridden_upload_limit_is_refused(post_photos):
    big = SimpleUploadedFile("besar.jpg", jpeg_padded_to(5_000), content_type="image/jpeg")

    _assert_refused(post_photos(big))


def test_an_image_over_the_real_pixel_limit_is_refused(post_photos, settings):
    side = int(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS ** 0.5) + 100
    assert side * side < PILImage.MAX_IMAGE_PIXELS  # below Pillow's own bomb check
    # A real, decodable image: one bit per pixel keeps it a few MB in memory and bytes on disk.
    buffer = io.BytesIO()
    PILImage.new("1", (side, side)).save(buffer, "PNG")
    huge = SimpleUploadedFile("besar.png", buffer.getvalue(), content_type="image/png")

    _assert_refused(post_photos(huge), str(side * side))


def test_a_corrupt_image_claiming_many_pixels_is_refused(post_photos):
    corrupt = SimpleUploadedFile("rusak.png", png_claiming(3_000, 3_000),
                                 content_type="image/png")

    _assert_refused(post_photos(corrupt))


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=1_000)
def test_an_image_over_an_overridden_pixel_limit_is_refused(post_photos):
    photo = SimpleUploadedFile("foto.jpg", image_bytes(64, 48), content_type="image/jpeg")

    _assert_refused(post_photos(photo), str(64 * 48))


def test_a_decompression_bomb_beyond_pillows_limit_is_refused(post_photos):
    bomb = SimpleUploadedFile("bom.png", png_claiming(100_000, 100_000), content_type="image/png")

    _assert_refused(post_photos(bomb))


def test_one_bad_photo_among_good_ones_saves_nothing(post_photos):
    good = SimpleUploadedFile("baik.jpg", image_bytes(), content_type="image/jpeg")
    bad = SimpleUploadedFile("buruk.jpg", b"not an image", content_type="image/jpeg")

    _assert_refused(post_photos(good, bad))


def test_a_photo_cut_off_mid_upload_is_refused(post_photos):
    """Its header is fine, so only decoding it shows the damage; Pillow could not resize it."""
    whole = image_bytes(400, 300)
    truncated = SimpleUploadedFile("potong.jpg", whole[: len(whole) // 2],
                                   content_type="image/jpeg")

    _assert_refused(post_photos(truncated))


def test_a_bad_photo_on_edit_keeps_the_product_as_it_was(client):
    user, enterprise = seller()
    product = ProductFactory(enterprise=enterprise, price=15000)
    photo = ProductPhotoFactory(product=product)
    client.force_login(user)
    images_before = Image.objects.count()

    response = client.post(f"/dashboard/products/{product.slug}/edit/", _form_data(
        category=product.category.pk, price="20000", remove_photos=[photo.pk],
        photo_uploads=[SimpleUploadedFile("bom.png", png_claiming(100_000, 100_000),
                                          content_type="image/png")],
    ))

    assert response.status_code == 200
    assert response.context["form"].errors["photo_uploads"]
    product.refresh_from_db()
    assert product.price == 15000
    assert list(product.photos.all()) == [photo]
    assert Image.objects.count() == images_before


def test_a_good_webp_and_gif_are_accepted(post_photos):
    webp = io.BytesIO()
    PILImage.new("RGB", (32, 32), (10, 200, 10)).save(webp, "WEBP")
    gif = io.BytesIO()
    PILImage.new("P", (32, 32)).save(gif, "GIF")

    response = post_photos(
        SimpleUploadedFile("foto.webp", webp.getvalue(), content_type="image/webp"),
        SimpleUploadedFile("foto.gif", gif.getvalue(), content_type="image/gif"),
    )

    assert response.status_code == 302
    assert Product.objects.get().photos.count() == 2
