"""RSVP on a phone: a villager takes a place at Mbak Rina's training and sees the places go
down; when the training is full, the next person joins the waiting list."""

import pytest
from playwright.sync_api import expect

from knowledge.models import Rsvp
from knowledge.services import events as services
from tests.e2e.conftest import ARTIFACTS
from tests.factories import RegencyFactory, UserFactory, event, seller

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "sandi-rahasia-123"


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"events-{name}.png", full_page=True)


def _log_in(page, username: str) -> None:
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()


def _phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(10_000)
    return context


def test_rsvp_on_a_phone_then_the_waiting_list(phone, browser, live_server):
    _rina, workshop = seller(name="Batik Rina", slug="batik-rina")
    training = event(title="Pelatihan foto produk", capacity=2, organiser_enterprise=workshop,
                     venue="Balai Desa Karangsari",
                     regency=RegencyFactory(name="Kabupaten Banyumas"))
    sari, keripik = seller(name="Keripik Sari")
    sari.first_name = "Sari"
    sari.save()

    # Sari finds the training in the list and opens it.
    phone.goto("/events/")
    phone.get_by_role("link", name="Pelatihan foto produk").click()
    phone.wait_for_url(f"**{training.url}")
    places = phone.locator("[data-places-left]")
    expect(places).to_have_attribute("data-places-left", "2")

    # Anonymous: the page asks her to log in, and brings her back.
    phone.locator(f"#rsvp a[href*='next={training.url}']").click()
    _log_in(phone, sari.username)
    phone.wait_for_url(f"**{training.url}")

    rsvp_form = phone.locator("#rsvp form[action$='/rsvp/']")
    expect(rsvp_form.locator("select[name=enterprise]")).to_have_value(str(keripik.pk))
    rsvp_form.locator("[type=submit]").click()
    phone.wait_for_url(f"**{training.url}")
    expect(phone.locator(".message--success")).to_be_visible()
    expect(phone.locator("#rsvp .event-status--going")).to_contain_text("Keripik Sari")
    expect(places).to_have_attribute("data-places-left", "1")
    expect(phone.locator("#rsvp form[action$='/rsvp/cancel/']")).to_be_visible()
    _screenshot(phone, "going")
    rsvp = Rsvp.objects.get(event=training, user=sari)
    assert (rsvp.status, rsvp.enterprise) == (Rsvp.Status.GOING, keripik)

    # Someone else takes the last place; Budi, on his own phone, finds it full.
    services.rsvp_join(event=training, user=UserFactory())
    budi = UserFactory(username="budi", first_name="Budi")
    context = _phone(browser, live_server)
    other = context.new_page()
    other.goto(f"/accounts/login/?next={training.url}")
    _log_in(other, budi.username)
    other.wait_for_url(f"**{training.url}")
    expect(other.locator("[data-places-left]")).to_have_attribute("data-places-left", "0")
    expect(other.locator("#rsvp select[name=enterprise]")).to_have_count(0)  # runs nothing
    other.locator("#rsvp form[action$='/rsvp/'] [type=submit]").click()
    other.wait_for_url(f"**{training.url}")
    expect(other.locator("#rsvp .event-status")).to_contain_text("1")
    expect(other.locator("#rsvp form[action$='/rsvp/cancel/']")).to_be_visible()
    _screenshot(other, "waiting")
    context.close()
    assert Rsvp.objects.get(event=training, user=budi).status == Rsvp.Status.WAITING

    # When Sari cancels, Budi gets her place.
    phone.locator("#rsvp form[action$='/rsvp/cancel/'] [type=submit]").click()
    phone.wait_for_url(f"**{training.url}")
    assert Rsvp.objects.get(event=training, user=budi).status == Rsvp.Status.GOING
