"""The strict Content-Security-Policy in a browser: the public pages, the network map and the
video block work under it and the browser reports no violation."""

import pytest
from django.utils.csp import CSP
from playwright.sync_api import expect
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from enterprises.models import Tie
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    ProductPhotoFactory,
    TieFactory,
    article,
    program_officer,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIDEO = "https://www.youtube.com/watch?v=csp"
# Collects every violation the page reports, including those before the test looks.
LISTEN = """document.addEventListener("securitypolicyviolation", (event) => {
  (window.cspViolations = window.cspViolations || []).push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});"""


def violations(page) -> list[str]:
    return page.evaluate("window.cspViolations || []")


@pytest.fixture
def watched(phone):
    phone.add_init_script(LISTEN)
    errors = []
    phone.on("console", lambda message: message.type == "error" and errors.append(message.text))
    phone.csp_errors = errors
    return phone


def assert_clean(page):
    assert violations(page) == []
    assert not [text for text in page.csp_errors if "Content Security Policy" in text]


def test_public_pages_run_under_the_strict_policy(watched):
    product = ProductPhotoFactory().product

    for url in ["/", "/products/", product.get_absolute_url()]:
        response = watched.goto(url)
        assert "'unsafe-inline'" not in response.headers[str(CSP.HEADER_ENFORCE).lower()]
        watched.wait_for_load_state("networkidle")
        assert_clean(watched)
    # htmx still filters the catalogue in place.
    watched.goto("/products/")
    watched.locator("#site-search-q").fill("keripik")
    watched.locator("#site-search-q").press("Enter")
    watched.wait_for_load_state("networkidle")
    assert_clean(watched)


def test_the_network_map_runs_under_the_strict_policy(watched):
    cooperative = CooperativeFactory()
    hub, other = (MembershipFactory(cooperative=cooperative).enterprise for _ in range(2))
    TieFactory(kind=Tie.Kind.SUPPLIER, from_enterprise=hub, to_enterprise=other)
    url = f"/network/map/?cooperative={cooperative.slug}"
    officer = program_officer()
    watched.goto(f"/accounts/login/?next={url}")
    watched.locator("[name=username]").fill(officer.username)
    watched.locator("[name=password]").fill("sandi-rahasia-123")
    watched.locator("main form [type=submit]").click()
    watched.wait_for_url(f"**{url}")

    expect(watched.locator("svg[data-network-map]")).to_have_attribute("data-enhanced", "")
    assert_clean(watched)


def test_the_video_block_loads_its_player_on_tap(watched):
    Embed.objects.create(
        url=VIDEO, max_width=720, hash=get_embed_hash(VIDEO, 720, None), type="video",
        html='<iframe src="https://www.youtube.com/embed/csp" title="Video kemasan"></iframe>',
        title="Video kemasan", provider_name="YouTube",
    )
    page = article(title="Video kemasan", body=[("video", VIDEO)])
    # The player is not fetched from YouTube in a test: only that the frame is made matters.
    watched.route("https://www.youtube.com/**", lambda route: route.fulfill(body="<p>player</p>"))

    watched.goto(page.url)
    expect(watched.locator(".video iframe")).to_have_count(0)
    watched.locator("[data-video-play]").click()

    expect(watched.locator('.video iframe[src="https://www.youtube.com/embed/csp"]')).to_be_visible()
    watched.wait_for_load_state("networkidle")
    assert_clean(watched)
