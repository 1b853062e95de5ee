"""GET /api/v1/network/impact/: staff and program officers only, the page's filters as query
parameters, JSON errors for bad ones, and a documented schema."""

import json

import pytest
from django.urls import reverse

from enterprises.models import Membership
from tests.enterprises.test_network_views import build_economy
from tests.factories import CooperativeFactory, UserFactory, cooperative_member, program_officer
from tests.helpers import assert_api_error

pytestmark = pytest.mark.django_db

URL = reverse("api-network-impact-list")


@pytest.fixture
def officer(client):
    user = program_officer()
    client.force_login(user)
    return user


def test_anonymous_callers_are_refused_as_json(client):
    body = assert_api_error(client.get(URL), 403)
    assert "credentials" in body["message"].lower() or body["message"]


def test_sellers_and_cooperative_managers_are_refused(client):
    cooperative = CooperativeFactory()
    manager, _own = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    client.force_login(manager)
    assert_api_error(client.get(URL), 403)


def test_a_token_of_someone_else_is_refused(client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=UserFactory())
    assert_api_error(client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}"), 403)


def test_a_program_officers_token_works(client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=program_officer())
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["staff", "officer"])
def test_the_report_for_staff_and_officers(client, who):
    economy = build_economy()
    client.force_login(UserFactory(is_staff=True) if who == "staff" else program_officer())
    response = client.get(URL, {"start": f"{economy['start']:%Y-%m}",
                                "end": f"{economy['end']:%Y-%m}"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok", body["reason"]
    for key in ("att", "se", "ci_low", "ci_high", "pre_mean", "pct_of_pre_mean", "n_units",
                "n_treated", "n_cohorts", "n_periods", "control_group", "pretrend", "caveats",
                "association", "marketplace_only", "income_by_network_size", "filters"):
        assert key in body, key
    assert body["ci_low"] < 200_000 < body["ci_high"]
    assert body["n_units"] == 30 and body["n_treated"] == 16 and body["n_cohorts"] == 4
    assert {"e", "att", "se", "ci_low", "ci_high"} <= set(body["event_study"][0])
    assert body["filters"]["start"] == f"{economy['start']:%Y-%m-%d}"


def test_a_refusal_is_a_200_with_a_reason(client, officer):
    response = client.get(URL, {"village": "Desa Entah"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "refused" and body["reason"]
    assert body["att"] is None and body["event_study"] == []


def test_filters_as_query_parameters(client, officer):
    cooperative = CooperativeFactory()
    response = client.get(URL, {"kinds": "referral,mentoring", "control_group": "never",
                                "cooperative": cooperative.slug, "village": "Desa Beji",
                                "sector": "coffee", "event": "tie"})
    assert response.status_code == 200
    filters = response.json()["filters"]
    assert filters["kinds"] == ["referral", "mentoring"]
    assert filters["control_group"] == "never"
    assert filters["cooperative_id"] == cooperative.pk
    assert (filters["village"], filters["sector"]) == ("Desa Beji", "coffee")
    repeated = client.get(f"{URL}?kinds=supplier&kinds=customer").json()["filters"]
    assert repeated["kinds"] == ["supplier", "customer"]


@pytest.mark.parametrize("params, field", [
    ({"start": "2025-13"}, "start"),
    ({"end": "2999-01"}, "end"),
    ({"start": "2025-06", "end": "2025-01"}, "start"),
    ({"start": "1990-01", "end": "2025-01"}, "start"),
    ({"kinds": "xyz"}, "kinds"),
    ({"kinds": "referral,xyz"}, "kinds"),
    ({"event": "birthday"}, "event"),
    ({"control_group": "everyone"}, "control_group"),
    ({"cooperative": "no-such-cooperative"}, "cooperative"),
    ({"village": "v" * 10_000}, "village"),
    ({"sector": "oil"}, "sector"),
])
def test_bad_parameters_are_400_with_field_errors(client, officer, params, field):
    assert_api_error(client.get(URL, params), 400, field)


def test_a_nul_character_is_refused(client, officer):
    assert client.get(URL, {"village": "a\x00b"}).status_code == 400


def test_only_get(client, officer):
    assert_api_error(client.post(URL, {}), 405)


def test_the_schema_documents_the_endpoint(client):
    response = client.get(reverse("api_schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/v1/network/impact/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"event", "kinds", "control_group", "village", "cooperative", "sector", "start",
            "end"} <= names
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ImpactReport"}
    report = schema["components"]["schemas"]["ImpactReport"]["properties"]
    assert {"att", "ci_low", "ci_high", "event_study", "pretrend", "association",
            "marketplace_only", "income_by_network_size", "caveats", "filters"} <= set(report)
