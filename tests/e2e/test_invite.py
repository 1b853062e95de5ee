"""Invite links on phones: Mbak Rina copies her enterprise's link from the dashboard and sends
it; Ibu Sari opens it, signs up, puts her enterprise on Guyub, and Rina's "Your network" shows
Sari's enterprise as referred by her."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from enterprises.models import Tie
from tests.e2e.conftest import ARTIFACTS
from tests.factories import RegencyFactory, seller

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "sandi-rahasia-123"


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"invite-{name}.png", full_page=True)


def _phone(browser, live_server, **options):
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  base_url=live_server.url, locale="id-ID", **options)
    context.set_default_timeout(10_000)
    return context


def test_an_invite_link_brings_in_an_enterprise_that_counts_as_referred(browser, live_server):
    RegencyFactory(name="Kabupaten Banyumas")
    rina, workshop = seller(name="Batik Rina", slug="batik-rina", village="Desa Wukirsari")

    # Rina, on her phone, copies her invite link from the dashboard.
    inviter = _phone(browser, live_server)
    inviter.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = inviter.new_page()
    page.goto("/accounts/login/?next=/dashboard/")
    page.locator("[name=username]").fill(rina.username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/dashboard/")
    panel = page.locator("[data-network-panel='batik-rina']")
    link_field = panel.locator("[data-invite-url]")
    link = link_field.input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/join/[a-z2-9]{{10}}/", link), link
    copy = panel.locator("button[data-copy]")
    expect(copy).to_be_visible()  # shown once the script runs; the field works without it
    copy.click()
    expect(copy).to_contain_text(copy.get_attribute("data-copied"))
    assert page.evaluate("navigator.clipboard.readText()") == link
    expect(panel.locator("a[href^='https://wa.me/?text=']")).to_have_attribute(
        "href", re.compile(re.escape(quote(link))))
    _screenshot(page, "dashboard")

    # Sari opens the link on her own phone: who invites her, then sign up.
    newcomer = _phone(browser, live_server)
    sari = newcomer.new_page()
    sari.goto(link)
    expect(sari.locator("h1")).to_contain_text("Batik Rina")
    expect(sari.locator("main")).to_contain_text("Desa Wukirsari")
    _screenshot(sari, "join")
    sari.locator("[data-join-signup]").click()
    sari.wait_for_url("**/accounts/signup/")
    sari.locator("[name=first_name]").fill("Sari")
    sari.locator("[name=username]").fill("sari")
    sari.locator("[name=email]").fill("sari@example.com")
    sari.locator("[name=password1]").fill("keripik-renyah-2026")
    sari.locator("[name=password2]").fill("keripik-renyah-2026")
    sari.locator("main form [type=submit]").last.click()

    sari.wait_for_url("**/dashboard/enterprises/new/")
    sari.locator("[name=name]").fill("Keripik Sari")
    sari.locator("[name=sector]").select_option("food")
    banyumas = sari.locator("[name=regency] option", has_text="Banyumas").first.get_attribute(
        "value")
    sari.locator("[name=regency]").select_option(banyumas)
    sari.locator("main form [type=submit]").last.click()
    sari.wait_for_url("**/products/new/")

    # Sari's dashboard names Rina as the referrer.
    sari.goto("/dashboard/")
    expect(sari.locator("#network")).to_contain_text("Batik Rina")

    # Rina's "Your network" shows Keripik Sari as referred by her.
    page.goto("/dashboard/network/batik-rina/")
    referred = page.locator("[data-referred]")
    expect(referred).to_contain_text("Keripik Sari")
    expect(page.locator("[data-referred-buyers]")).to_have_attribute("data-referred-buyers", "1")
    _screenshot(page, "network")
    tie = Tie.objects.get(kind=Tie.Kind.REFERRAL, to_enterprise__name="Keripik Sari")
    assert tie.from_enterprise == workshop and tie.origin == Tie.Origin.EXPLICIT

    inviter.close()
    newcomer.close()
