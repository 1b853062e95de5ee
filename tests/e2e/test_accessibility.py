"""Accessibility: axe-core over the main pages in headless Chromium (no serious or critical
violations), keyboard use of the header and the catalogue filters, and text alternatives for
images. axe-core is vendored for these tests only (tests/e2e/vendor/, see VERSION there)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import BulkOrder
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    EnterpriseFactory,
    ForumCategoryFactory,
    InviteFactory,
    PostFactory,
    ProductFactory,
    ProductPhotoFactory,
    RegencyFactory,
    ThreadFactory,
    TieFactory,
    TopCategoryFactory,
    UserFactory,
    article,
    cart_with,
    cooperative_member,
    event,
    placed_order,
    program_officer,
    seller,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "best-practice"]
BLOCKING = {"serious", "critical"}
PASSWORD = "sandi-rahasia-123"
WIDTHS = (390, 1280)


def _axe(page) -> list[dict]:
    """The violations axe-core finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
        "['violations']})",
        AXE_TAGS,
    )
    assert result["passes"], "axe checked nothing"
    return result["violations"]


def _describe(url: str, width: int, violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(
            " ".join(str(part) for part in node["target"]) for node in violation["nodes"][:6]
        )
        lines.append(f"{url} @{width}px [{violation['impact']}] {violation['id']}: "
                     f"{violation['help']} -> {targets}")
    return "\n".join(lines)


def _check(context, urls, *, setup=None) -> tuple[list[str], list[str]]:
    """Open each url at each width; (blocking violations, the rest) described one a line."""
    blocking, rest = [], []
    page = context.new_page()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, f"{url}: {response.status}"
            if setup:
                setup(page, url)
            violations = _axe(page)
            serious = [v for v in violations if v["impact"] in BLOCKING]
            other = [v for v in violations if v["impact"] not in BLOCKING]
            if serious:
                blocking.append(_describe(url, width, serious))
            if other:
                rest.append(_describe(url, width, other))
    page.close()
    return blocking, rest


def _open_filters(page, url):
    if url.startswith("/products/"):
        for details in page.locator("details").all():
            details.evaluate("d => d.open = true")


def _context(browser, live_server):
    # The site's CSP forbids injected scripts; axe is the test's own, so the page may run it.
    context = browser.new_context(base_url=live_server.url, locale="id-ID", bypass_csp=True)
    context.set_default_timeout(10_000)
    return context


def _log_in(context, username: str) -> None:
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.close()


def _village():
    """A small village economy touching every page under test."""
    regency = RegencyFactory(name="Kabupaten Banyumas")
    sari_user, sari = seller(name="Keripik Sari", slug="keripik-sari", regency=regency)
    kopi = EnterpriseFactory(name="Kopi Sindoro", slug="kopi-sindoro",
                             regency=RegencyFactory(name="Kabupaten Temanggung"))
    chips = ProductFactory(enterprise=sari, title="Keripik Singkong Balado", price=15000,
                           stock=20)
    ProductPhotoFactory(product=chips)
    ProductFactory(enterprise=sari, title="Keripik Pisang Manis", price=12000)
    coffee = ProductFactory(enterprise=kopi, title="Kopi Arabika Sindoro", price=85000,
                            category=CategoryFactory(name="Kopi", name_en="Coffee"))
    ProductPhotoFactory(product=coffee)
    cooperative = CooperativeFactory(name="Koperasi Kopi Sindoro")
    cooperative_member(cooperative)
    bulk = BulkOrder.objects.create(
        cooperative=cooperative, title="Pupuk NPK 50 kg", supplier_name="Agen Parakan",
        unit="kg", package_size=50, price_per_unit=2600, min_packages=1,
        deadline=timezone.now() + timedelta(days=3),
    )
    TieFactory(from_enterprise=sari, to_enterprise=kopi)
    guide = article(title="Cara mengurus P-IRT")
    training = event(title="Pelatihan foto produk", organiser_enterprise=sari, regency=regency)
    thread = ThreadFactory(category=ForumCategoryFactory(), author=sari_user,
                           title="Bagaimana cara mengurus P-IRT?")
    PostFactory(thread=thread, author=UserFactory())
    invite = InviteFactory(enterprise=sari)
    return {
        "seller": sari_user, "sari": sari, "chips": chips, "cooperative": cooperative,
        "bulk": bulk, "article": guide, "event": training, "thread": thread, "invite": invite,
    }


def test_main_pages_have_no_serious_or_critical_axe_violations(browser, live_server):
    village = _village()
    public = [
        "/", "/products/", "/products/?category=kopi&in_stock=on",
        village["chips"].get_absolute_url(), village["sari"].get_absolute_url(),
        village["cooperative"].get_absolute_url(), "/knowledge/", village["article"].url,
        "/events/", village["event"].url, "/forum/", village["thread"].get_absolute_url(),
        f"/join/{village['invite'].code}/", "/accounts/login/", "/accounts/signup/",
        "/enterprises/", "/skills/", "/cooperatives/", "/en/", "/en/products/",
    ]
    anonymous = _context(browser, live_server)
    blocking, rest = _check(anonymous, public, setup=_open_filters)
    # A form showing its errors: a wrong password.
    page = anonymous.new_page()
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(village["seller"].username)
    page.locator("[name=password]").fill("not-the-password")
    page.locator("main form [type=submit]").click()
    expect(page.locator("main .alert--error[role=alert]")).to_be_visible()
    serious = [v for v in _axe(page) if v["impact"] in BLOCKING]
    if serious:
        blocking.append(_describe("/accounts/login/ (errors)", 1280, serious))
    anonymous.close()

    # A buyer with an item in the cart; the seller's dashboard and a cooperative's bulk order.
    buyer = UserFactory()
    order = placed_order((village["chips"], 1), buyer=buyer)
    cart_with((village["chips"], 2), user=buyer)
    seller_context = _context(browser, live_server)
    _log_in(seller_context, village["seller"].username)
    found = _check(seller_context, ["/dashboard/", f"/bulk-orders/{village['bulk'].pk}/"])
    seller_context.close()
    blocking += found[0]
    rest += found[1]
    buyer_context = _context(browser, live_server)
    _log_in(buyer_context, buyer.username)
    found = _check(buyer_context, ["/cart/", "/checkout/", "/orders/",
                                    order.get_absolute_url(), "/notifications/"])
    # A page carrying a message, after adding to the cart.
    page = buyer_context.new_page()
    chips = village["chips"]
    page.goto(chips.get_absolute_url())
    page.locator(f"form[action$='/cart/add/{chips.pk}/'] [type=submit]").click()
    expect(page.locator(".message--success")).to_be_visible()
    serious = [v for v in _axe(page) if v["impact"] in BLOCKING]
    if serious:
        found[0].append(_describe(chips.get_absolute_url() + " (message)", 1280, serious))
    buyer_context.close()
    blocking += found[0]
    rest += found[1]
    officer_context = _context(browser, live_server)
    _log_in(officer_context, program_officer().username)
    found = _check(officer_context, ["/network/"])
    officer_context.close()
    blocking += found[0]
    rest += found[1]

    if rest:
        print("Moderate and minor axe findings:\n" + "\n".join(rest))
    assert not blocking, "axe found serious or critical violations:\n" + "\n".join(blocking)


FOCUS_STYLE = """el => {
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {
    visible: el.matches(':focus-visible') && (outline || style.boxShadow !== 'none'),
    tag: el.tagName.toLowerCase(),
    name: (el.getAttribute('aria-label') || el.innerText || el.name || el.id || '').trim(),
    inHeader: !!el.closest('header'),
    inFilters: !!el.closest('form.filters'),
  };
}"""


def _focused(page) -> dict:
    return page.evaluate_handle("document.activeElement").evaluate(FOCUS_STYLE)


def _tab_stops(page, *, within: str, most: int) -> list[dict]:
    """Each element Tab reaches while the focus stays `within` (a key of _focused)."""
    stops = []
    for _ in range(most):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if not focused[within]:
            break
        stops.append(focused)
    return stops


def test_the_skip_link_and_the_header_work_from_the_keyboard(browser, live_server):
    context = _context(browser, live_server)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert _focused(page)["visible"], "the skip link shows no focus ring"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    page.wait_for_url("**/#main")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert not _focused(page)["inHeader"], "after skipping, Tab went back into the header"

    # Every stop in the header shows where the focus is.
    page.goto("/")
    page.keyboard.press("Tab")
    stops = _tab_stops(page, within="inHeader", most=40)
    names = [stop["name"] for stop in stops]
    assert len(stops) >= 8, names
    assert not [s for s in stops if not s["visible"]], f"no focus ring on: {stops}"
    assert "input" in [stop["tag"] for stop in stops]  # the site search
    assert {"Produk", "Forum", "Masuk"} <= set(names), names
    context.close()


def test_the_catalogue_filters_work_from_the_keyboard(browser, live_server):
    crafts = TopCategoryFactory(name="Kerajinan", name_en="Crafts", slug="kerajinan")
    ProductFactory(category=CategoryFactory(name="Anyaman", parent=crafts), title="Tas Anyaman")
    ProductFactory(title="Keripik Tempe")
    context = _context(browser, live_server)
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/products/")
    details = page.locator("form.filters details")
    assert details.evaluate("d => d.open") is False  # closed on a phone

    page.locator("#id_q").focus()
    summary = details.locator("summary")
    for _ in range(4):
        page.keyboard.press("Tab")
        if summary.evaluate("s => s === document.activeElement"):
            break
    expect(summary).to_be_focused()
    assert _focused(page)["visible"], "the filters' summary shows no focus ring"
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open") is True

    stops = _tab_stops(page, within="inFilters", most=60)
    tags = [stop["tag"] for stop in stops]
    assert "input" in tags and "select" in tags, stops
    assert not [s for s in stops if not s["visible"]], f"no focus ring on: {stops}"

    # A category chosen with the arrow keys filters the list.
    page.locator("form.filters input[name=category]").first.focus()
    chosen = page.locator(f"form.filters input[name=category][value={crafts.slug}]")
    for _ in range(5):
        if chosen.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(chosen).to_be_checked()
    expect(page.locator("#results")).not_to_contain_text("Keripik Tempe")
    expect(page.locator("#results")).to_contain_text("Tas Anyaman")
    context.close()


def test_catalogue_images_have_text_alternatives(browser, live_server):
    _village()
    context = _context(browser, live_server)
    page = context.new_page()
    page.goto("/products/")
    images = page.locator("main img").evaluate_all(
        "imgs => imgs.map(img => ({alt: img.getAttribute('alt'), src: img.src,"
        " inCard: !!img.closest('.card'), title: img.closest('.card')?.innerText || ''}))"
    )
    assert len(images) >= 2, images
    assert all(image["alt"] is not None for image in images), images
    cards = [image for image in images if image["inCard"]]
    assert cards and all(image["alt"].strip() for image in cards), cards
    assert all(image["alt"] in image["title"] for image in cards), cards
    # Icons carry no meaning of their own.
    assert page.locator("main svg.icon:not([aria-hidden=true])").count() == 0
    context.close()
