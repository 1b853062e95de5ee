"""Sellers connect a Stripe Express account from the dashboard (Stripe at the HTTP layer)."""

from urllib.parse import parse_qs

import pytest
import responses
from django.template.loader import render_to_string
from django.test import RequestFactory

from enterprises.models import Enterprise
from tests.factories import seller

pytestmark = pytest.mark.django_db
API = "https://api.stripe.com/v1"
LINK = "https://connect.stripe.com/setup/e/acct_new/abc"


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture(autouse=True)
def _stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_guyub"
    settings.STRIPE_CONNECT_COUNTRY = "ID"
    settings.PLATFORM_FEE_PERCENT = 5


@pytest.fixture
def stripe_api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def form(call) -> dict:
    return {key: values[0] for key, values in parse_qs(call.request.body or "").items()}


@pytest.fixture
def owner(client):
    user, enterprise = seller(name="Keripik Sari", slug="keripik-sari")
    user.email = "sari@example.com"
    user.save()
    client.force_login(user)
    return enterprise


def connect_url(slug="keripik-sari"):
    return f"/dashboard/stripe/{slug}/connect/"


def return_url(slug="keripik-sari"):
    return f"/dashboard/stripe/{slug}/return/"


def test_connecting_creates_the_account_once_and_sends_the_seller_to_stripe(client, owner,
                                                                          stripe_api):
    stripe_api.post(f"{API}/accounts", json={"id": "acct_new", "object": "account"})
    stripe_api.post(f"{API}/account_links", json={"object": "account_link", "url": LINK})

    response = client.post(connect_url())

    assert response.status_code == 302
    assert response["Location"] == LINK
    owner.refresh_from_db()
    assert owner.stripe_account_id == "acct_new"
    created = stripe_api.calls[0]
    assert created.request.headers["Idempotency-Key"] == f"connect-account-{owner.pk}"
    body = form(created)
    assert (body["type"], body["country"]) == ("express", "ID")
    assert body["capabilities[transfers][requested]"] == "true"
    assert body["metadata[enterprise_id]"] == str(owner.pk)
    assert body["email"] == "sari@example.com"
    link = form(stripe_api.calls[1])
    assert (link["account"], link["type"]) == ("acct_new", "account_onboarding")
    assert link["refresh_url"] == "http://testserver" + connect_url()
    assert link["return_url"] == "http://testserver" + return_url()

    # Again (say the link expired): a new link for the same account, no second account.
    client.post(connect_url())
    assert [call.request.url for call in stripe_api.calls[2:]] == [f"{API}/account_links"]


def test_the_start_page_explains_and_changes_nothing(client, owner, stripe_api):
    response = client.get(connect_url())

    assert response.status_code == 200
    assert b"Connect Stripe" in response.content
    assert b"platform fee (5%)" in response.content
    assert not stripe_api.calls
    assert Enterprise.objects.get(pk=owner.pk).stripe_account_id == ""


def test_stripe_down_sends_the_seller_back_with_a_message(client, owner, stripe_api):
    stripe_api.post(f"{API}/accounts", status=400, json={
        "error": {"type": "invalid_request_error", "message": "country not supported"}})

    response = client.post(connect_url(), follow=True)

    assert response.redirect_chain == [(connect_url(), 302)]
    assert b"Stripe could not be reached" in response.content
    assert Enterprise.objects.get(pk=owner.pk).stripe_account_id == ""


def test_people_of_another_enterprise_may_not_connect_it(client, stripe_api):
    _user, enterprise = seller(slug="bukan-milikku")
    stranger, _own = seller()
    client.force_login(stranger)

    assert client.post(connect_url("bukan-milikku")).status_code == 403
    assert client.get(connect_url("bukan-milikku")).status_code == 403
    assert client.get(return_url("bukan-milikku")).status_code == 403
    assert not stripe_api.calls
    assert Enterprise.objects.get(pk=enterprise.pk).stripe_account_id == ""


def test_anonymous_visitors_are_sent_to_log_in(client, owner, stripe_api):
    client.logout()
    response = client.post(connect_url())

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not stripe_api.calls


def test_unknown_enterprises_and_stripe_off_are_404(client, owner, settings, stripe_api):
    assert client.post(connect_url("tidak-ada")).status_code == 404
    settings.STRIPE_SECRET_KEY = ""
    assert client.post(connect_url()).status_code == 404
    assert client.get(return_url()).status_code == 404
    assert not stripe_api.calls


def test_coming_back_reads_whether_stripe_enabled_payouts(client, owner, stripe_api):
    Enterprise.objects.filter(pk=owner.pk).update(stripe_account_id="acct_new")
    stripe_api.get(f"{API}/accounts/acct_new", json={
        "id": "acct_new", "object": "account", "payouts_enabled": True,
        "capabilities": {"transfers": "active"}})

    response = client.get(return_url())

    assert response.status_code == 200
    assert b"Your Stripe account is ready" in response.content
    assert Enterprise.objects.get(pk=owner.pk).stripe_payouts_enabled is True
    assert b"Back to the dashboard" in response.content


def test_coming_back_before_stripe_has_checked(client, owner, stripe_api):
    Enterprise.objects.filter(pk=owner.pk).update(stripe_account_id="acct_new",
                                                  stripe_payouts_enabled=True)
    stripe_api.get(f"{API}/accounts/acct_new", json={
        "id": "acct_new", "object": "account", "payouts_enabled": False,
        "capabilities": {"transfers": "pending"}})

    response = client.get(return_url())

    assert b"Stripe has not finished checking your details" in response.content
    assert b"Continue on Stripe" in response.content
    assert Enterprise.objects.get(pk=owner.pk).stripe_payouts_enabled is False


@pytest.mark.parametrize(("account", "enabled", "expected", "button"), [
    ("", False, "Connect Stripe", True),
    ("acct_1", False, "Not finished", True),
    ("acct_1", True, "Connected", False),
])
def test_the_dashboard_panel_shows_each_state(account, enabled, expected, button):
    _user, enterprise = seller(stripe_account_id=account, stripe_payouts_enabled=enabled)
    request = RequestFactory().get("/dashboard/")

    html = render_to_string("marketplace/_stripe_connect_panel.html",
                            {"enterprise": enterprise}, request=request)

    assert expected in html
    assert (f'action="/dashboard/stripe/{enterprise.slug}/connect/"' in html) is button
