"""The template helpers every template can use: rupiah, whatsapp_link, query_replace."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from cms.templatetags.guyub import rupiah, whatsapp_link


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (15000, "Rp 15.000"),
        (0, "Rp 0"),
        (1234567, "Rp 1.234.567"),
        (999, "Rp 999"),
        (1000, "Rp 1.000"),
        (2_147_483_647, "Rp 2.147.483.647"),
        ("15000", "Rp 15.000"),
        (None, ""),
        ("", ""),
    ],
)
@pytest.mark.parametrize("language", ["id", "en"])
def test_rupiah_uses_dots_between_thousands_in_every_language(value, shown, language):
    with translation.override(language):
        assert rupiah(value) == shown
        assert render("{{ value|rupiah }}", value=value) == shown


def test_rupiah_ignores_localized_number_formatting(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("en"):
        assert render("{{ 1234567|rupiah }}") == "Rp 1.234.567"


def test_whatsapp_link_without_a_message():
    assert whatsapp_link("6281234567890") == "https://wa.me/6281234567890"


def test_whatsapp_link_prefills_an_encoded_message():
    link = whatsapp_link("6281234567890", "Halo, saya mau pesan Keripik & Kopi (2 pack)?")

    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    assert parse_qs(parts.query) == {"text": ["Halo, saya mau pesan Keripik & Kopi (2 pack)?"]}
    assert " " not in link
    assert "&" not in link


def test_whatsapp_link_in_a_template_stays_a_valid_attribute():
    html = render(
        '<a href="{% whatsapp_link number message %}">',
        number="6281234567890", message='Pesan "keripik" <besok>',
    )

    assert html.startswith('<a href="https://wa.me/6281234567890?text=')
    assert '"keripik"' not in html
    assert "<besok>" not in html


def test_query_replace_changes_one_parameter_and_keeps_the_others():
    request = RequestFactory().get("/products/", {"q": "keripik", "page": "2", "category": "kopi"})

    html = render("{% query_replace page=3 %}", request=request)

    assert parse_qs(html.replace("&amp;", "&")) == {
        "q": ["keripik"], "page": ["3"], "category": ["kopi"]
    }


def test_query_replace_drops_a_parameter_set_to_nothing():
    request = RequestFactory().get("/products/", {"q": "keripik", "page": "2"})

    html = render('{% query_replace page="" %}', request=request)

    assert html == "q=keripik"


def test_query_replace_keeps_repeated_parameters():
    request = RequestFactory().get("/products/?province=jawa-tengah&province=di-yogyakarta")

    html = render("{% query_replace page=2 %}", request=request)

    assert parse_qs(html.replace("&amp;", "&"))["province"] == ["jawa-tengah", "di-yogyakarta"]


@pytest.mark.django_db
def test_whatsapp_message_links_the_indonesian_page_even_from_english(client):
    from tests.factories import ProductFactory

    product = ProductFactory(title="Keripik Pedas")
    response = client.get(f"/en/products/{product.slug}/")

    chat = re.search(r'href="(https://wa\.me/[^"]+)"', response.content.decode()).group(1)
    message = parse_qs(urlsplit(chat.replace("&amp;", "&")).query)["text"][0]
    assert f"http://testserver/products/{product.slug}/" in message
    assert "/en/" not in message


def test_api_docs_load_their_script_from_our_static_files(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', response.content.decode())
    assert scripts and all(src.startswith("/static/") for src in scripts)
