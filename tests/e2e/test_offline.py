"""Sari's phone loses its connection: pages she opened stay readable, others say she is offline,
and a form she sends is held back with a message instead of vanishing."""

import pytest
from playwright.sync_api import expect

from tests.factories import ProductFactory, ProductPhotoFactory, seller

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "sandi-rahasia-123"


def _wait_for_service_worker(page) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def _log_in(phone, user) -> None:
    """Log in on a phone whose service worker is running, landing on the dashboard."""
    phone.goto("/accounts/login/")
    _wait_for_service_worker(phone)
    phone.locator("[name=username]").fill(user.username)
    phone.locator("[name=password]").fill(PASSWORD)
    phone.locator("main form [type=submit]").click()
    phone.wait_for_url("**/dashboard/")


def test_visited_pages_work_offline_and_forms_wait_for_a_connection(phone):
    user, enterprise = seller(name="Keripik Sari", slug="keripik-sari")
    chips = ProductFactory(enterprise=enterprise, title="Keripik Singkong Balado", price=15000)
    ProductPhotoFactory(product=chips)
    unvisited = ProductFactory(enterprise=enterprise, title="Keripik Pisang Manis")
    context = phone.context

    _log_in(phone, user)
    expect(phone.locator("main")).to_contain_text("Keripik Sari")
    phone.goto("/products/")
    expect(phone.locator("#results")).to_contain_text(unvisited.title)
    phone.goto(chips.get_absolute_url())
    expect(phone.get_by_role("heading", level=1)).to_have_text(chips.title)
    photo_url = phone.evaluate("document.querySelector('main img').currentSrc")
    # Saving happens after each page is shown; wait until the worker has stored all three.
    phone.wait_for_function("""async () => {
        const cache = await caches.open("guyub-pages");
        const paths = (await cache.keys()).map((request) => new URL(request.url).pathname);
        return ["/dashboard/", "/products/", location.pathname]
            .every((path) => paths.includes(path));
    }""")
    assert phone.evaluate("caches.has('guyub-pages')")

    context.set_offline(True)

    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text(chips.title)
    expect(phone.locator("#offline-status")).to_be_visible()
    # The photo comes from the worker's image cache.
    phone.wait_for_function(
        "(url) => document.querySelector('main img').currentSrc === url"
        " && document.querySelector('main img').naturalWidth > 0",
        arg=photo_url,
    )

    phone.goto("/products/")
    expect(phone.locator("#results")).to_contain_text(chips.title)
    phone.goto("/dashboard/")
    expect(phone.locator("main")).to_contain_text("Keripik Sari")

    phone.goto(unvisited.get_absolute_url())
    expect(phone.locator("[data-offline-page]")).to_be_visible()
    expect(phone.get_by_role("heading", level=1)).not_to_have_text(unvisited.title)

    # Adding to the cart needs the server: the form stays, with its input, and says why.
    phone.goto(chips.get_absolute_url())
    form = phone.locator(f"form[action$='/cart/add/{chips.pk}/']")
    form.locator("[name=quantity]").fill("3")
    form.locator("[type=submit]").click()
    status = phone.locator("#offline-status")
    expect(status).to_have_attribute("role", "status")
    message = phone.locator("meta[name=guyub-offline]").get_attribute("content")
    expect(status).to_have_text(message)
    expect(form.locator("[name=quantity]")).to_have_value("3")
    assert phone.url.endswith(chips.get_absolute_url())

    context.set_offline(False)
    form.locator("[type=submit]").click()
    phone.wait_for_url(f"**{chips.get_absolute_url()}")
    expect(phone.locator(".message--success")).to_contain_text(chips.title)


def test_logging_out_forgets_the_saved_pages(phone):
    user, _enterprise = seller(name="Keripik Sari", slug="keripik-sari")
    _log_in(phone, user)
    phone.wait_for_function("""async () => {
        const cache = await caches.open("guyub-pages");
        return (await cache.keys()).some((r) => new URL(r.url).pathname === "/dashboard/");
    }""")

    phone.locator("footer form[action$='/accounts/logout/'] button").click()
    phone.wait_for_url("**/")
    phone.context.set_offline(True)
    phone.goto("/dashboard/")

    expect(phone.locator("[data-offline-page]")).to_be_visible()
    expect(phone.locator("main")).not_to_contain_text("Keripik Sari")
