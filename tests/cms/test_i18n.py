"""Indonesian without a prefix, English under /en/, whatever the browser asks for."""

import re

import pytest

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/products/", "/enterprises/", "/skills/", "/accounts/login/", "/accounts/signup/"]


def html_lang(response) -> str:
    match = re.search(r'<html[^>]*\blang="([^"]+)"', response.content.decode())
    assert match, "page has no <html lang>"
    return match.group(1)


def switcher_links(response) -> dict[str, str]:
    """hreflang -> href of the language switcher's links."""
    content = response.content.decode()
    switcher = content[content.index('class="lang-switch"'):]
    switcher = switcher[: switcher.index("</nav>")]
    return {
        lang: href.replace("&amp;", "&")
        for href, lang in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', switcher)
    }


@pytest.mark.parametrize("path", PAGES)
def test_unprefixed_pages_are_indonesian(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert html_lang(response) == "id"
    assert response["Content-Language"] == "id"


@pytest.mark.parametrize("path", PAGES)
def test_en_prefixed_pages_are_english(client, path):
    response = client.get(f"/en{path}")

    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert response["Content-Language"] == "en"


def test_interface_text_follows_the_language(client):
    # The login form's labels come from Django's own catalogue, so they are translated already.
    indonesian = client.get("/accounts/login/").content.decode()
    english = client.get("/en/accounts/login/").content.decode()

    assert ">Nama pengguna<" in indonesian and ">Username<" not in indonesian
    assert ">Username<" in english and ">Nama pengguna<" not in english


def test_an_english_browser_still_gets_indonesian_on_unprefixed_urls(client):
    # Ibu Sari's phone may be set to English; shared links must open the same for everyone.
    response = client.get("/products/", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert response.status_code == 200
    assert html_lang(response) == "id"
    home = client.get("/", headers={"Accept-Language": "en"})
    assert home.status_code == 200
    assert html_lang(home) == "id"


def test_a_language_cookie_does_not_redirect_unprefixed_urls(client):
    client.cookies["django_language"] = "en"

    response = client.get("/products/")

    assert response.status_code == 200
    assert html_lang(response) == "id"


def test_language_switcher_points_to_the_same_page_in_the_other_language(client):
    indonesian = client.get("/products/?q=keripik")
    english = client.get("/en/products/?q=keripik")

    assert switcher_links(indonesian) == {"en": "/en/products/?q=keripik"}
    assert switcher_links(english) == {"id": "/products/?q=keripik"}


def test_language_switcher_on_the_home_page(client):
    assert switcher_links(client.get("/")) == {"en": "/en/"}
    assert switcher_links(client.get("/en/")) == {"id": "/"}


def test_language_switcher_on_a_product_page(client):
    product = ProductFactory(slug="keripik-sari")

    indonesian = client.get("/products/keripik-sari/")
    english = client.get("/en/products/keripik-sari/")

    assert indonesian.status_code == english.status_code == 200
    assert switcher_links(indonesian) == {"en": "/en/products/keripik-sari/"}
    assert switcher_links(english) == {"id": "/products/keripik-sari/"}
    assert product.title in english.content.decode()


def test_links_on_an_english_page_stay_in_english(client):
    content = client.get("/en/products/").content.decode()

    assert 'href="/en/enterprises/"' in content
    assert 'href="/enterprises/"' not in content


def test_pages_announce_both_languages_to_search_engines(client):
    content = client.get("/products/").content.decode()

    assert 'hreflang="id" href="http://testserver/products/"' in content
    assert 'hreflang="en" href="http://testserver/en/products/"' in content


def test_an_unknown_language_prefix_is_not_found(client):
    assert client.get("/fr/products/").status_code == 404


def test_the_api_has_no_language_prefix(client):
    assert client.get("/api/v1/products/").status_code == 200
    assert client.get("/en/api/v1/products/").status_code == 404
