"""Review of the network report (issue 6): odd filters never answer 500, the event-time plot
hides months that fewer than five enterprises reached (privacy), and a snapshot whose worker
died does not show as "computing" for ever."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.impact import (
    SUPPRESS_BELOW,
    ImpactQuery,
    impact_estimate,
    impact_panel,
    impact_report,
)
from enterprises.models import NetworkSnapshot
from enterprises.selectors.network import STALE_AFTER, network_snapshot_pending
from enterprises.services.network import network_snapshot_request
from tests.enterprises.test_network_views import build_economy
from tests.factories import CooperativeFactory, UserFactory, program_officer
from tests.helpers import assert_api_error

pytestmark = pytest.mark.django_db

REPORT = reverse("network_report")
CSV_URL = reverse("network_panel_csv")
MAP = reverse("network_map")
API = reverse("api-network-impact-list")
STATUS = reverse("network_metrics_status")

ODD = ["", " ", "x" * 5000, "é漢字🙂", "-1", "0", "1.5", "9" * 30, "0001-01", "0000-00",
       "9999-12", "2025-13", "2025-00", "1e9", "null", "[]", "<script>", "0001-01-01",
       "2025-02-30", "1999-12"]
FILTERS = ["event", "kinds", "control_group", "village", "cooperative", "sector", "start", "end"]


@pytest.fixture
def officer(client):
    user = program_officer()
    client.force_login(user)
    return user


# --- Odd filters -------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{"end": "0001-01"}, {"end": "0001-02"},
                                    {"start": "0001-01", "end": "0001-02"},
                                    {"end": "0001-01-01"}, {"start": "1999-12"}])
def test_months_near_year_one_are_a_form_error_not_a_server_error(client, officer, english,
                                                                  params):
    """The default window (36 months before `end`) fell below year 1: ValueError, a 500."""
    client.raise_request_exception = False
    page = client.get(REPORT, params)
    assert page.status_code == 200
    assert page.context["report"] is None
    assert "Choose a month from 2000-01 on." in page.content.decode()

    assert client.get(CSV_URL, params).status_code == 400
    body = assert_api_error(client.get(API, params), 400)
    assert "Choose a month from 2000-01 on." in str(body["errors"])


def test_odd_filters_are_never_a_server_error(client, officer):
    client.raise_request_exception = False
    CooperativeFactory()
    failures = []
    for url in (REPORT, CSV_URL, MAP, API):
        for key in [*FILTERS, "polling"]:
            for value in ODD:
                response = client.get(url, {key: value})
                if response.status_code >= 500:
                    failures.append((url, key, value))
        for params in ({"kinds": ["referral", "referral"]}, {"kinds": ["x,y", "supplier"]},
                       {"start": "2020-01", "end": "2020-01"}, {"village": ["a", "b"]}):
            if client.get(url, params).status_code >= 500:
                failures.append((url, params))
    assert client.get(STATUS, {"polling": "x" * 5000}, HTTP_HX_REQUEST="true").status_code < 500
    assert not failures


@pytest.mark.parametrize("option", ["--to", "--from"])
def test_the_command_refuses_months_before_2000_in_plain_words(option):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as refused:
        call_command("impact_report", option, "0001-02")
    assert "must be 2000-01 or later" in str(refused.value)
    assert refused.value.returncode == 1


def test_an_inactive_officers_token_is_refused(client):
    from rest_framework.authtoken.models import Token

    user = UserFactory(is_staff=True, is_active=False)
    token = Token.objects.create(user=user)
    response = client.get(API, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code in (401, 403)


# --- Privacy: the event-time plot --------------------------------------------------------------


@pytest.fixture
def economy():
    """Four cohorts of four enterprises (two ties each) first tied at months 3, 6, 9 and 21 of
    36, and 14 never tied. Months 9 to 12 before the event are reached by the last cohort alone:
    four enterprises."""
    return build_economy(firms=30, cohorts=(2, 5, 8, 20), per_cohort=4)


def test_event_times_fewer_than_five_enterprises_reached_are_not_shown(economy, english):
    report = impact_report(query=ImpactQuery())
    assert report["status"] == "ok"

    shown = [row for row in report["event_study"] if not row["reference"]]
    assert shown and all(row["n_treated"] >= SUPPRESS_BELOW for row in shown)
    assert not {-12, -11, -10, -9} & {row["e"] for row in report["event_study"]}
    assert {-8, -2, 0, 12} <= {row["e"] for row in report["event_study"]}
    assert report["event_study_suppressed"] == 4
    assert any("fewer than 5 enterprises reached" in caveat for caveat in report["caveats"])
    # The marketplace-only estimate hides them too.
    assert not {-12, -11, -10, -9} & {row["e"] for row in report["marketplace_only"][
        "event_study"]}


def test_the_page_and_the_api_leave_those_months_out(client, officer, economy, english):
    page = client.get(REPORT)
    assert {row["e"] for row in page.context["event_rows"]}.isdisjoint({-12, -11, -10, -9})
    assert "fewer than 5 enterprises reached" in page.content.decode()

    body = client.get(API).json()
    assert {row["e"] for row in body["event_study"]}.isdisjoint({-12, -11, -10, -9})


def test_a_programmes_own_panel_is_not_suppressed(economy):
    """--from-csv data is the programme's own: every month is shown, with its count."""
    panel = impact_panel(query=ImpactQuery())
    result = impact_estimate(panel=panel, unit="enterprise_id", time="period",
                             outcome="income", first_treated="first_treated")
    by_e = {row["e"]: row for row in result["event_study"]}
    assert {-12, -11, -10, -9} <= set(by_e)
    assert by_e[-10]["n_treated"] == 4
    assert result["event_study_suppressed"] == 0


# --- A snapshot whose worker died --------------------------------------------------------------


def _lost(status: str, *, started: bool = True) -> NetworkSnapshot:
    snapshot = NetworkSnapshot.objects.create(status=status, progress="Betweenness 3/64")
    long_ago = timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    NetworkSnapshot.objects.filter(pk=snapshot.pk).update(
        created_at=long_ago, started_at=long_ago if started else None)
    snapshot.refresh_from_db()
    return snapshot


@pytest.mark.parametrize("status, started", [(NetworkSnapshot.Status.RUNNING, True),
                                             (NetworkSnapshot.Status.QUEUED, False)])
def test_a_snapshot_whose_worker_died_stops_showing_as_in_progress(client, officer, english,
                                                                   status, started):
    lost = _lost(status, started=started)

    assert network_snapshot_pending() is None
    html = client.get(REPORT).content.decode()
    assert "hx-trigger" not in html and "Betweenness 3/64" not in html
    assert 'data-snapshot-status="failed"' in html
    assert "Compute now" in html
    # A page still polling reloads, and then shows the button.
    polled = client.get(STATUS, {"polling": 1}, HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"

    client.post(reverse("network_metrics_refresh"))
    lost.refresh_from_db()
    assert lost.status == NetworkSnapshot.Status.FAILED and lost.error
    assert NetworkSnapshot.objects.filter(status=NetworkSnapshot.Status.DONE).count() == 1


def test_a_snapshot_still_within_its_time_shows_as_in_progress(client, officer, english):
    NetworkSnapshot.objects.create(status=NetworkSnapshot.Status.RUNNING,
                                   started_at=timezone.now() - STALE_AFTER / 2,
                                   progress="Betweenness 3/64")
    html = client.get(REPORT).content.decode()
    assert "Betweenness 3/64" in html and "hx-trigger" in html
    assert 'data-snapshot-status="failed"' not in html


def test_every_lost_snapshot_is_given_up_and_a_live_one_is_kept():
    older = _lost(NetworkSnapshot.Status.RUNNING)
    live = NetworkSnapshot.objects.create(status=NetworkSnapshot.Status.QUEUED)

    assert network_snapshot_request(user=program_officer()) == live

    older.refresh_from_db()
    live.refresh_from_db()
    assert older.status == NetworkSnapshot.Status.FAILED
    assert live.status == NetworkSnapshot.Status.QUEUED
