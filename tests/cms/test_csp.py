"""Content-Security-Policy: strict on the public site, with nonces on the few inline scripts and
styles; looser only for the Wagtail and Django admins and the API docs."""

import re

import pytest
from django.urls import reverse
from django.utils.csp import CSP

from tests.factories import (
    CooperativeFactory,
    ForumCategoryFactory,
    ProductPhotoFactory,
    ThreadFactory,
    UserFactory,
    placed_order,
    program_officer,
    seller,
)

pytestmark = pytest.mark.django_db

HEADER = str(CSP.HEADER_ENFORCE)


def directives(response) -> dict[str, list[str]]:
    policy = response.headers[HEADER]
    return {name: values for name, *values in (part.split() for part in policy.split("; "))}


def assert_no_inline_code_without_the_nonce(response):
    """Every inline <script> and <style> carries this response's nonce; no style="" or on...=""
    attributes, which no nonce can allow."""
    html = response.content.decode()
    nonces = re.findall(r"'nonce-([^']+)'", response.headers[HEADER])
    for tag in re.findall(r"<script\b[^>]*>", html):
        if "src=" in tag or 'type="application/json"' in tag:
            continue
        assert nonces and f'nonce="{nonces[0]}"' in tag, tag
    for tag in re.findall(r"<style\b[^>]*>", html):
        assert nonces and f'nonce="{nonces[0]}"' in tag, tag
    assert not re.search(r"<[^>]+\sstyle=\"", html)
    assert not re.search(r"<[^>]+\son[a-z]+=\"", html)
    assert not re.search(r"\shx-on[:-]", html)


def test_public_pages_get_the_strict_policy(client):
    response = client.get("/")

    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert_no_inline_code_without_the_nonce(response)


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_the_admins_get_inline_code_and_no_nonce(client, path):
    response = client.get(path)

    assert response.status_code == 200
    policy = directives(response)
    # A nonce would make browsers ignore 'unsafe-inline'.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["frame-ancestors"] == ["'self'"]  # Wagtail's preview frames its own pages
    assert policy["object-src"] == ["'none'"]


def test_the_admin_policy_is_not_taken_by_look_alike_paths(client):
    response = client.get("/administrasi/")

    assert "'unsafe-inline'" not in response.headers[HEADER]


def test_the_api_docs_run_redoc(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert "blob:" in policy["worker-src"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_json_answers_carry_the_policy_too(client):
    response = client.get("/api/v1/products/")

    assert response.status_code == 200
    assert directives(response)["default-src"] == ["'self'"]


def test_catalogue_and_product_pages(client):
    photo = ProductPhotoFactory()

    for url in ["/", "/products/", photo.product.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code_without_the_nonce(response)


def test_the_forum(client):
    thread = ThreadFactory(category=ForumCategoryFactory())

    for url in ["/forum/", thread.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code_without_the_nonce(response)


def test_the_dashboard_and_network_report(client):
    user, _enterprise = seller()
    client.force_login(user)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert_no_inline_code_without_the_nonce(response)

    client.force_login(program_officer())
    cooperative = CooperativeFactory()
    for url in ["/network/", f"/network/map/?cooperative={cooperative.slug}"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code_without_the_nonce(response)


def test_the_receipts_inline_style_carries_the_nonce_and_printing_needs_no_inline_script(client):
    buyer = UserFactory()
    order = placed_order(buyer=buyer)
    client.force_login(buyer)

    response = client.get(reverse("order_receipt", args=[order.number]))

    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", directives(response)["script-src"][1]).group(1)
    page = response.content.decode()
    assert f'<style nonce="{nonce}">' in page
    assert "<script nonce" not in page and "data-print" in page  # guyub.js prints
    assert directives(response)["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert_no_inline_code_without_the_nonce(response)


def test_each_response_gets_its_own_nonce(client):
    buyer = UserFactory()
    order = placed_order(buyer=buyer)
    client.force_login(buyer)

    first, second = (client.get(reverse("order_receipt", args=[order.number])) for _ in range(2))

    assert directives(first)["script-src"] != directives(second)["script-src"]


def test_vote_bars_are_drawn_by_a_nonced_style_not_style_attributes(client):
    from tests.enterprises.test_decisions import _decide, _detail_url, _members, _proposal

    cooperative = CooperativeFactory()
    members = _members(cooperative, 4)
    proposal = _decide(_proposal(cooperative, members[0], quorum=50, threshold=60),
                       [(members[0], "Yes"), (members[1], "Yes"), (members[2], "No")])
    client.force_login(members[0][0])

    response = client.get(_detail_url(proposal))

    assert response.status_code == 200
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", " ".join(directives(response)["style-src"])).group(1)
    style = html[html.index(f'<style nonce="{nonce}">'):]
    style = style[:style.index("</style>")]
    assert "#vote-bar-1 .vote-bar__fill { width: 66.7%; }" in style  # Yes: 2 of 3
    assert ".vote-bars .vote-bar__mark { left: 60.0%; }" in style
    assert ".vote-bar--turnout .vote-bar__fill { width: 75.0%; }" in style  # 3 of 4 voted
    assert 'id="vote-bar-1"' in html
    assert_no_inline_code_without_the_nonce(response)
