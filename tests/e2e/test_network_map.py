"""The network map in a browser: a program officer opens a cooperative's map, the picture
renders, hovering or focusing an enterprise highlights its ties and names it; and without
JavaScript the same page is a still picture with the ties listed."""

import pytest
from playwright.sync_api import expect

from enterprises.models import Tie
from tests.factories import CooperativeFactory, MembershipFactory, TieFactory, program_officer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cooperative_with_ties():
    cooperative = CooperativeFactory(name="Koperasi Kopi Sindoro")
    hub, *others = (MembershipFactory(cooperative=cooperative).enterprise for _ in range(5))
    hub.name = "Kopi Bu Sari"
    hub.save()
    for other in others[:3]:
        TieFactory(kind=Tie.Kind.SUPPLIER, from_enterprise=hub, to_enterprise=other)
    TieFactory(kind=Tie.Kind.MENTORING, from_enterprise=others[2], to_enterprise=others[3])
    return cooperative, hub, others


def log_in(page, user, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("[name=username]").fill(user.username)
    page.locator("[name=password]").fill("sandi-rahasia-123")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"**{next_url}")


def test_an_officer_explores_a_cooperatives_map(phone, cooperative_with_ties):
    cooperative, hub, others = cooperative_with_ties
    officer = program_officer()
    url = f"/network/map/?cooperative={cooperative.slug}"
    log_in(phone, officer, url)

    svg = phone.locator("svg[data-network-map]")
    expect(svg).to_be_visible()
    expect(svg).to_have_attribute("data-enhanced", "")
    assert phone.locator(".network__node").count() == 5
    assert phone.locator(".network__edges line").count() == 4

    # Focus (keyboard): the hub's three ties light up, the mentoring tie between others dims.
    hub_node = phone.locator(f'.network__node[data-id="{hub.pk}"]')
    hub_node.focus()
    expect(phone.locator("#network-map-focus")).to_contain_text("Kopi Bu Sari")
    active = phone.locator('.network__edges line[data-state="active"]')
    expect(active).to_have_count(3)
    expect(phone.locator('.network__edges line[data-state="dim"]')).to_have_count(1)
    assert active.first.get_attribute("stroke") == "#7a431d"
    # An enterprise without a tie to the hub is dimmed, its neighbours are not.
    lonely = others[3]
    expect(phone.locator(f'.network__node[data-id="{lonely.pk}"]')).to_have_attribute(
        "data-state", "dim")
    expect(phone.locator(f'.network__node[data-id="{others[0].pk}"]')).to_have_attribute(
        "data-state", "neighbour")

    # Escape clears; hovering with a mouse highlights another enterprise's ties.
    phone.keyboard.press("Escape")
    expect(phone.locator('.network__edges line[data-state="active"]')).to_have_count(0)
    mentor = phone.locator(f'.network__node[data-id="{others[2].pk}"]')
    mentor.hover()
    expect(phone.locator('.network__edges line[data-state="active"]')).to_have_count(2)

    # Zooming with the buttons changes the view; nothing is lost.
    phone.locator(".network-map__tools button").first.click()  # zoom in
    transform = phone.locator(".network__viewport").get_attribute("transform")
    assert transform and "scale(1.5)" in transform


def test_the_map_works_without_javascript(browser, live_server, cooperative_with_ties):
    cooperative, hub, _others = cooperative_with_ties
    officer = program_officer()
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    url = f"/network/map/?cooperative={cooperative.slug}"
    log_in(page, officer, url)
    svg = page.locator("svg[data-network-map]")
    expect(svg).to_be_visible()
    assert svg.get_attribute("data-enhanced") is None
    assert page.locator(".network-map__tools").count() == 0
    # The still picture: every enterprise is a link to its page, named on hover.
    hub_node = page.locator(f'.network__node[data-id="{hub.pk}"]')
    assert hub_node.get_attribute("href") == f"/network/enterprises/{hub.slug}/"
    assert "Kopi Bu Sari" in hub_node.locator("title").text_content()
    # The ties as a list.
    page.locator(".network-map__list summary").click()
    expect(page.locator(".network-map__list tbody tr")).to_have_count(4)
    context.close()
