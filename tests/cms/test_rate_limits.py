"""Rate limits on sign-up (per address) and API writes (per person, per address when anonymous).

Login is throttled by django-axes (test_accounts.py) and forum posting by the forum service."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from marketplace.models import CartLine
from tests.factories import ProductFactory, UserFactory, seller

pytestmark = pytest.mark.django_db

JSON = "application/json"


def api_rates(write="3/minute", anon="2/minute"):
    from django.conf import settings

    return override_settings(REST_FRAMEWORK={
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_write": write, "api_write_anon": anon},
    })


@pytest.fixture
def product():
    _user, enterprise = seller()
    return ProductFactory(enterprise=enterprise, stock=50)


def set_cart(client, product, quantity=1, **extra):
    return client.post(
        "/api/v1/cart/", {"product": product.pk, "quantity": quantity}, content_type=JSON,
        **extra,
    )


# API writes


def test_api_writes_beyond_the_rate_answer_429_in_the_api_error_shape(client, product):
    client.force_login(UserFactory())
    with api_rates(write="3/minute"):
        answers = [set_cart(client, product, quantity=n).status_code for n in (1, 2, 3)]
        throttled = set_cart(client, product, quantity=4)
    assert all(code < 300 for code in answers), answers
    assert throttled.status_code == 429
    body = throttled.json()
    assert set(body) == {"message", "errors"}
    assert body["message"] and body["errors"] == {}
    assert int(throttled["Retry-After"]) > 0
    # The throttled write changed nothing: the line kept the last allowed quantity.
    assert CartLine.objects.get(product=product).quantity == 3


def test_reads_are_not_throttled_and_do_not_use_up_the_write_allowance(client, product):
    client.force_login(UserFactory())
    with api_rates(write="2/minute"):
        for _ in range(10):
            assert client.get("/api/v1/cart/").status_code == 200
            assert client.get("/api/v1/products/").status_code == 200
        assert set_cart(client, product).status_code < 300
        assert set_cart(client, product, quantity=2).status_code < 300
        assert set_cart(client, product, quantity=3).status_code == 429
        assert client.get("/api/v1/cart/").status_code == 200


def test_the_write_limit_is_per_person(client, product):
    first, second = UserFactory(), UserFactory()
    with api_rates(write="1/minute"):
        client.force_login(first)
        assert set_cart(client, product).status_code < 300
        assert set_cart(client, product).status_code == 429
        client.force_login(second)
        assert set_cart(client, product).status_code < 300


class OpenWriteView(APIView):
    """An endpoint anyone may write to (none of the real ones lets anonymous visitors write:
    they are refused before throttling)."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True}, status=201)


def test_anonymous_writes_are_limited_per_address():
    factory = APIRequestFactory()
    view = OpenWriteView.as_view()
    with api_rates(anon="2/minute"):
        for _ in range(2):
            assert view(factory.post("/", REMOTE_ADDR="10.0.0.1")).status_code == 201
        throttled = view(factory.post("/", REMOTE_ADDR="10.0.0.1"))
        assert view(factory.get("/", REMOTE_ADDR="10.0.0.1")).status_code == 200
        other_address = view(factory.post("/", REMOTE_ADDR="10.0.0.2"))
    assert throttled.status_code == 429
    assert set(throttled.data) == {"message", "errors"}
    assert other_address.status_code == 201


def last_hop(request):
    """Like production's client_ip_address with one trusted proxy."""
    return request.META["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()


@override_settings(AXES_CLIENT_IP_CALLABLE="tests.cms.test_rate_limits.last_hop")
def test_throttles_find_the_address_as_login_throttling_does():
    from cms.api import client_ip_address

    request = APIRequestFactory().post(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.8.7"
    )
    assert client_ip_address(request) == "10.9.8.7"


def test_the_default_rates_come_from_settings():
    from django.conf import settings

    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["api_write"] == "60/minute"
    assert rates["api_write_anon"] == "20/minute"


def test_the_rates_follow_the_environment(monkeypatch):
    import importlib

    import cms.settings.base as base

    monkeypatch.setenv("API_WRITE_RATE", "7/hour")
    monkeypatch.setenv("API_ANON_WRITE_RATE", "4/hour")
    monkeypatch.setenv("SIGNUPS_PER_HOUR", "9")
    try:
        importlib.reload(base)
        assert base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
            "api_write": "7/hour", "api_write_anon": "4/hour",
        }
        assert base.SIGNUPS_PER_HOUR == 9
    finally:
        monkeypatch.undo()
        importlib.reload(base)


# Sign-up


def signup_data(n: int) -> dict:
    return {
        "first_name": "Sari",
        "username": f"keripik{n}",
        "email": f"sari{n}@example.com",
        "password1": "singkong-renyah-2024",
        "password2": "singkong-renyah-2024",
    }


def sign_up(client, n: int, ip="10.1.1.1"):
    client.logout()
    return client.post("/en/accounts/signup/", signup_data(n), REMOTE_ADDR=ip)


@override_settings(SIGNUPS_PER_HOUR=3)
def test_signup_is_limited_per_address_with_a_clear_message(client):
    for n in range(3):
        assert sign_up(client, n).status_code == 302
    refused = sign_up(client, 99)
    assert refused.status_code == 429
    with translation.override("en"):
        assert "Too many accounts were created from your connection" in refused.text
    assert not get_user_model().objects.filter(username="keripik99").exists()
    # The visitor's input is shown back, and another address may still sign up.
    assert 'value="keripik99"' in refused.text
    assert sign_up(client, 100, ip="10.1.1.2").status_code == 302


@override_settings(SIGNUPS_PER_HOUR=1)
def test_invalid_signups_do_not_use_up_the_allowance(client):
    bad = signup_data(1) | {"password2": "something-else-2024"}
    for _ in range(3):
        assert client.post("/en/accounts/signup/", bad, REMOTE_ADDR="10.1.1.3").status_code == 200
    assert sign_up(client, 1, ip="10.1.1.3").status_code == 302
    assert sign_up(client, 2, ip="10.1.1.3").status_code == 429


@override_settings(SIGNUPS_PER_HOUR=1)
def test_the_signup_window_frees_up_after_an_hour(client, monkeypatch):
    import time

    assert sign_up(client, 1).status_code == 302
    assert sign_up(client, 2).status_code == 429
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    assert sign_up(client, 3).status_code == 302


def test_signup_message_is_translatable():
    assert gettext("Too many accounts were created from your connection. Try again in "
                   "%(minutes)d minute.")
