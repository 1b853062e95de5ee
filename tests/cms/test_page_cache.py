"""The anonymous page cache (cms.page_cache): who is served a shared page, and when it is
forgotten."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail.models import Site

from cms.models import HomePage, SiteSettings
from cms.page_cache import HEADER, serve_cached
from marketplace.models import Product
from marketplace.services.reviews import review_save
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    ThreadFactory,
    UserFactory,
    placed_order,
)

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def site_settings():
    """The settings row exists, as on any site after its first page: creating it is a change."""
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


def hit(client, url: str, **headers):
    """A second GET of `url`: served from the cache, without one database query."""
    first = client.get(url, **headers)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, **headers)
    assert second[HEADER] == "hit"
    assert len(queries) == 0, [query["sql"] for query in queries]
    return first, second


@pytest.mark.parametrize("url", ["/", "/en/", "/products/", "/products/?q=keripik&ordering=price"])
def test_anonymous_pages_are_served_from_the_cache_without_queries(client, url):
    ProductFactory(title="Keripik Singkong")
    first, second = hit(client, url)
    assert first[HEADER] == "miss"
    assert second.content == first.content


def test_a_product_page_from_the_cache_carries_the_visitors_own_csrf_token():
    product = ProductFactory(title="Keripik Balado", stock=10)
    url = product.get_absolute_url()
    hit(Client(), url)
    buyer = Client(enforce_csrf_checks=True)
    response = buyer.get(url)
    assert response[HEADER] == "hit"
    token = CSRF_INPUT.search(response.content.decode()).group(1)
    assert token != "__csrf_token__"
    added = buyer.post(f"/cart/add/{product.pk}/", {"quantity": 2, "csrfmiddlewaretoken": token})
    assert added.status_code == 302
    assert 'class="count-badge"' in buyer.get("/cart/").content.decode()
    # With a cart (a session) the visitor gets their own page, showing their cart.
    own = buyer.get(url)
    assert HEADER not in own
    assert 'class="count-badge"' in own.content.decode()


def test_signed_in_people_never_get_a_shared_page(client):
    ProductFactory()
    hit(Client(), "/products/")
    client.force_login(UserFactory())
    response = client.get("/products/")
    assert HEADER not in response
    assert 'href="/dashboard/"' in response.content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client):
    ProductFactory()
    hit(Client(), "/products/")
    client.cookies["messages"] = "anything"
    assert HEADER not in client.get("/products/")


def test_htmx_results_and_languages_are_cached_apart(client):
    ProductFactory(title="Keripik Singkong")
    page = client.get("/products/?q=keripik")
    partial = client.get("/products/?q=keripik", headers={"HX-Request": "true"})
    english = client.get("/en/products/?q=keripik")
    assert {page[HEADER], partial[HEADER], english[HEADER]} == {"miss"}
    assert b"<html" in page.content and b"<html" not in partial.content
    assert b'lang="en"' in english.content


def test_editing_a_product_forgets_the_pages_showing_it(client):
    product = ProductFactory(title="Keripik Singkong", price=12_000)
    hit(client, "/products/")
    hit(client, product.get_absolute_url())
    product.title = "Keripik Pedas"
    product.save()
    assert "Keripik Pedas" in client.get("/products/").content.decode()
    assert "Keripik Pedas" in client.get(product.get_absolute_url()).content.decode()


def test_a_bulk_stock_change_by_an_order_forgets_the_product_page(client):
    product = ProductFactory(stock=5)
    hit(client, product.get_absolute_url())
    placed_order((product, 5))
    assert Product.objects.get(pk=product.pk).stock == 0
    assert client.get(product.get_absolute_url())[HEADER] == "miss"


def test_a_new_review_forgets_the_product_page(client):
    order = placed_order((ProductFactory(stock=5), 1))
    part = order.parts.get()
    part.status, part.completed_at = part.Status.COMPLETED, order.created_at
    part.save()
    product = part.lines.get().product
    hit(client, product.get_absolute_url())
    review_save(part=part, user=order.buyer, rating=5, text="Renyah dan enak.")
    assert "Renyah dan enak." in client.get(product.get_absolute_url()).content.decode()


def test_publishing_the_home_page_and_site_settings_forget_the_home_page(client, site_settings):
    hit(client, "/")
    home = HomePage.objects.get(locale__language_code="id")
    home.hero_title = "Pasar desa hari ini"
    home.save_revision().publish()
    assert "Pasar desa hari ini" in client.get("/").content.decode()
    hit(client, "/")
    settings = site_settings
    settings.tagline = "Gotong royong setiap hari"
    settings.save()
    assert "Gotong royong setiap hari" in client.get("/").content.decode()


def test_a_new_forum_thread_forgets_the_home_page(client):
    hit(client, "/")
    ThreadFactory(title="Harga singkong minggu ini")
    assert client.get("/")[HEADER] == "miss"


def test_a_new_category_forgets_the_catalogue(client):
    ProductFactory()
    hit(client, "/products/")
    CategoryFactory(name="Kerajinan Bambu")
    assert client.get("/products/")[HEADER] == "miss"


def test_pages_that_are_not_found_are_not_stored(client):
    assert client.get("/products/tidak-ada/").status_code == 404
    assert HEADER not in client.get("/products/tidak-ada/")


def test_a_page_that_used_a_csp_nonce_is_not_stored(rf):
    from django.http import HttpResponse
    from django.utils.csp import LazyNonce

    def render():
        return HttpResponse(f"<style nonce='{request._csp_nonce}'></style>")

    request = rf.get("/kuitansi/")
    request._csp_nonce = LazyNonce()
    request.session = Client().session
    assert HEADER not in serve_cached(request, render)
    request._csp_nonce = LazyNonce()
    assert HEADER not in serve_cached(request, render)


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_cache_can_be_turned_off(client):
    client.get("/products/")
    assert HEADER not in client.get("/products/")


def test_anonymous_api_reads_are_shared_and_forgotten_like_pages(client):
    product = ProductFactory(title="Keripik Singkong")
    first, second = hit(client, "/api/v1/products/?search=keripik")
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"
    product.title = "Keripik Pedas Singkong"
    product.save()
    assert client.get("/api/v1/products/?search=keripik").json()["results"][0]["title"] == (
        "Keripik Pedas Singkong")


def test_api_calls_with_credentials_or_html_are_not_shared(client):
    ProductFactory()
    hit(client, "/api/v1/products/")
    user = UserFactory()
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=user)
    with_token = client.get("/api/v1/products/", headers={"Authorization": f"Token {token.key}"})
    assert HEADER not in with_token
    # The browsable API puts the CSRF token in a script, which a shared copy could not replace.
    browsable = client.get("/api/v1/products/", headers={"Accept": "text/html"})
    assert browsable.status_code == 200
    assert HEADER not in browsable and HEADER not in client.get(
        "/api/v1/products/", headers={"Accept": "text/html"})


def test_signed_in_people_share_the_catalogue_results_but_not_the_page(client):
    product = ProductFactory(title="Keripik Singkong")
    for more in range(3):
        ProductFactory(title=f"Keripik {more}")
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as first:
        client.get("/products/?q=keripik")
    with CaptureQueriesContext(connection) as second:
        response = client.get("/products/?q=keripik")
    assert HEADER not in response

    def reads_products(queries) -> bool:
        return any('FROM "marketplace_product"' in query["sql"] for query in queries)

    # The results (products, photos, sellers, regions) are read once; the page is the person's.
    assert reads_products(first) and not reads_products(second)
    assert len(second) < len(first)
    product.title = "Keripik Pedas"
    product.save()
    response = client.get("/products/?q=keripik")
    assert "Keripik Pedas" in response.content.decode()
    assert 'href="/dashboard/"' in response.content.decode()


def test_an_order_that_sells_nothing_out_forgets_only_what_shows_the_stock(client):
    sold, other = ProductFactory(stock=10), ProductFactory(stock=10)
    for url in ("/", "/products/", other.get_absolute_url(), sold.get_absolute_url(),
                "/api/v1/products/"):
        hit(client, url)
    placed_order((sold, 3))
    assert client.get(sold.get_absolute_url())[HEADER] == "miss"
    assert client.get("/api/v1/products/")[HEADER] == "miss"
    for url in ("/", "/products/", other.get_absolute_url()):
        assert client.get(url)[HEADER] == "hit", url
