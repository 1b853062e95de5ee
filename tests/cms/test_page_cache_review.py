"""The anonymous page cache (cms.page_cache), continued: writes that send no signal, pages taken
down, and what a seller's text can make a shared page show."""

import pytest
from django.test import Client
from wagtail.models import Site

from cms.models import SiteSettings
from cms.page_cache import HEADER
from tests.cms.test_page_cache import CSRF_INPUT, hit
from tests.factories import ProductFactory, ThreadFactory, UserFactory, placed_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_settings():
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


def test_a_thread_a_moderator_hides_leaves_the_home_page_at_once(client):
    from knowledge.services.forum import thread_hide

    thread = ThreadFactory(title="Jual akun palsu murah")
    hit(client, "/")
    assert "Jual akun palsu murah" in client.get("/").content.decode()
    thread_hide(thread=thread, by=UserFactory(is_staff=True), hidden=True)
    assert "Jual akun palsu murah" not in client.get("/").content.decode()


def test_the_stock_a_product_page_shows_follows_an_order_that_leaves_some(client):
    product = ProductFactory(stock=10)
    hit(client, product.get_absolute_url())
    placed_order((product, 3))
    assert 'max="7"' in client.get(product.get_absolute_url()).content.decode()


def test_a_product_or_enterprise_taken_down_is_not_found_at_once(client):
    from marketplace.services import product_set_active

    product, other = ProductFactory(), ProductFactory()
    for shown in (product, other):
        hit(client, shown.get_absolute_url())
        hit(client, f"/api/v1/products/{shown.pk}/")
    product_set_active(product=product, is_active=False)
    other.enterprise.is_active = False
    other.enterprise.save()
    for hidden in (product, other):
        assert client.get(hidden.get_absolute_url()).status_code == 404
        assert client.get(f"/api/v1/products/{hidden.pk}/").status_code == 404


def test_a_sellers_text_cannot_make_a_shared_page_show_the_visitors_csrf_token():
    # The WhatsApp message carries the title to the seller: a token there would leak to them.
    product = ProductFactory(title="Keripik __csrf_token__")
    hit(Client(), product.get_absolute_url())
    response = Client().get(product.get_absolute_url())
    assert response[HEADER] == "hit"
    page = response.content.decode()
    token = CSRF_INPUT.search(page).group(1)
    assert token != "__csrf_token__"
    assert page.count(token) == 1
    assert "Keripik __csrf_token__" in page
