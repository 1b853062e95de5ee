"""Every photo upload (product photos, logos, article covers, transfer proofs) goes through
cms.forms.PhotoField: it is judged by its content, not its name, and refused when too large in
bytes or in pixels, before anything decodes it."""

import io
import struct
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cms.forms import ImageUploadsField, PhotoField
from enterprises.forms import EnterpriseForm
from enterprises.forms_cooperatives import CooperativeForm
from knowledge.forms.articles import ArticleForm
from marketplace.forms import ProductForm
from marketplace.forms_checkout import TransferProofForm


def png_bytes(width: int = 8, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes whose header claims width x height pixels: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


def refusal(field: forms.Field, name: str, content: bytes) -> forms.ValidationError:
    with pytest.raises(forms.ValidationError) as caught:
        field.clean(SimpleUploadedFile(name, content))
    return caught.value


def test_a_real_photo_is_accepted():
    upload = PhotoField().clean(SimpleUploadedFile("keripik.png", png_bytes()))

    assert upload.read(8) == b"\x89PNG\r\n\x1a\n"  # rewound for storage


@pytest.mark.parametrize("name, content", [
    ("bukti.jpg", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"),
    ("foto.png", b"<!doctype html><script>alert(document.cookie)</script>"),
    ("foto.jpg", b"<html><body onload=alert(1)></body></html>"),
])
def test_other_content_under_a_photo_name_is_refused(name, content):
    error = refusal(PhotoField(), name, content)

    assert error.code in {"invalid_image", "invalid_image_known_format"}


def test_a_png_named_jpg_is_refused_for_not_matching_its_content():
    error = refusal(PhotoField(), "foto.jpg", png_bytes())

    assert error.code == "invalid_image_known_format"


def test_svg_is_not_accepted_even_as_an_image():
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
           b"<script>alert(1)</script></svg>")

    for name in ("logo.svg", "logo.png"):
        assert refusal(PhotoField(), name, svg).code in {
            "invalid_image_extension", "invalid_image_known_format"}


def test_a_decompression_bomb_is_refused_by_its_header_before_decoding():
    bomb = png_claiming(100_000, 100_000)  # ten billion pixels in under 100 bytes
    assert len(bomb) < 200

    error = refusal(PhotoField(), "bom.png", bomb)

    assert error.code == "file_too_many_pixels"


def test_the_pixel_limit_follows_the_setting(settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 63

    assert refusal(PhotoField(), "foto.png", png_bytes(8, 8)).code == "file_too_many_pixels"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    padded = png_bytes() + b"\x00" * 2048

    assert refusal(PhotoField(), "foto.png", padded).code == "file_too_large"


def test_a_truncated_photo_is_refused_with_a_message():
    error = refusal(PhotoField(), "foto.png", png_bytes(64, 64)[:-40])

    assert error.code == "invalid_image"


def test_several_photos_are_each_checked():
    field = ImageUploadsField(max_files=2)

    with pytest.raises(forms.ValidationError):
        field.clean([SimpleUploadedFile("a.png", png_bytes()),
                     SimpleUploadedFile("b.jpg", b"%PDF-1.4")])
    with pytest.raises(forms.ValidationError):
        field.clean([SimpleUploadedFile(f"{n}.png", png_bytes()) for n in range(3)])


@pytest.mark.parametrize("form_class, field_name", [
    (ProductForm, "photo_uploads"),
    (EnterpriseForm, "logo_upload"),
    (CooperativeForm, "logo_upload"),
    (ArticleForm, "cover_photo"),
    (TransferProofForm, "proof"),
])
def test_every_upload_form_uses_the_checked_field(form_class, field_name):
    assert isinstance(form_class.base_fields[field_name], PhotoField)
