"""The network report pages (/network/): who may see them, what they show, and that odd
filters answer with a form error, never a server error."""

import csv
import io
import random
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from enterprises.models import IncomeRecord, Membership, NetworkSnapshot, Tie
from enterprises.views.network import officers_only
from tests.factories import (
    CooperativeFactory,
    EnterpriseFactory,
    IncomeRecordFactory,
    MembershipFactory,
    TieFactory,
    UserFactory,
    cooperative_member,
    program_officer,
    seller,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

REPORT = reverse("network_report")
CSV_URL = reverse("network_panel_csv")
MAP = reverse("network_map")
VILLAGE = "Desa Karangsari"


def month_add(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def build_economy(*, firms: int = 30, cohorts=(8, 11, 14, 17), per_cohort: int = 4,
                  effect: int = 200_000, months: int = 36, village: str = VILLAGE) -> dict:
    """Enterprises with 36 months of income (30% sales on Guyub, the rest self-reported) and
    supplier ties made in four different months; each tie raises both ends' income by `effect`
    from its month on. Enough for the estimate not to refuse."""
    end = month_add(timezone.localdate().replace(day=1), -1)
    start = month_add(end, -(months - 1))
    enterprises = EnterpriseFactory.create_batch(firms, village=village)
    first: dict[int, date] = {}
    for number, offset in enumerate(cohorts):
        group = enterprises[number * per_cohort:(number + 1) * per_cohort]
        month = month_add(start, offset)
        for giver, taker in zip(group[::2], group[1::2], strict=True):
            TieFactory(kind=Tie.Kind.SUPPLIER, from_enterprise=giver, to_enterprise=taker,
                       started_on=month)
        for enterprise in group:
            first[enterprise.pk] = month
    rng = random.Random(6)
    records = []
    for index, enterprise in enumerate(enterprises):
        base = 800_000 + 25_000 * (index % 7)
        for offset in range(months):
            month = month_add(start, offset)
            amount = base + 4_000 * offset + rng.randint(-30_000, 30_000)
            if enterprise.pk in first and month >= first[enterprise.pk]:
                amount += effect
            market = amount * 3 // 10
            records += [
                IncomeRecord(enterprise=enterprise, month=month, amount=market,
                             source=IncomeRecord.Source.MARKETPLACE),
                IncomeRecord(enterprise=enterprise, month=month, amount=amount - market,
                             source=IncomeRecord.Source.SELF_REPORTED),
            ]
    IncomeRecord.objects.bulk_create(records)
    return {"enterprises": enterprises, "start": start, "end": end}


@pytest.fixture
def officer(client):
    user = program_officer()
    client.force_login(user)
    return user


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    return user


def snapshot_done(**summary) -> NetworkSnapshot:
    base = {"enterprises": 3, "ties": 2, "ties_by_kind": {"supplier": 2}, "components": 1,
            "largest_component": 3, "isolated": 0, "transitivity": 0.0, "mean_degree": 1.33,
            "ties_gained_by_month": [{"month": "2026-01", "by_kind": {"supplier": 2},
                                      "total": 2}],
            "cross_village_share": 0.5, "cross_cooperative_share": None, "seconds": 0.1}
    return NetworkSnapshot.objects.create(status=NetworkSnapshot.Status.DONE,
                                          summary={**base, **summary},
                                          finished_at=timezone.now())


# --- Who may see the pages ---------------------------------------------------------------------


def officer_urls(enterprise, cooperative) -> list[str]:
    return [REPORT, CSV_URL, MAP, f"{MAP}?cooperative={cooperative.slug}",
            reverse("network_enterprise", args=[enterprise.slug]),
            reverse("network_metrics_status")]


def test_anonymous_visitors_are_sent_to_log_in(client):
    enterprise = EnterpriseFactory()
    for url in officer_urls(enterprise, CooperativeFactory()):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_seller_cannot_see_the_report_nor_their_own_income_page(client, english):
    user, own = seller()
    IncomeRecordFactory(enterprise=own, amount=4_321_000)
    client.force_login(user)
    for url in officer_urls(own, CooperativeFactory()):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"4.321.000" not in response.content
    assert "Program officers" in client.get(REPORT).content.decode()


def test_a_cooperative_manager_cannot_see_their_cooperatives_map(client):
    """Ties are business relationships members gave for measurement, not for their managers."""
    cooperative = CooperativeFactory()
    manager, _own = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    cooperative_member(cooperative)
    client.force_login(manager)
    assert client.get(f"{MAP}?cooperative={cooperative.slug}").status_code == 403
    assert client.get(REPORT).status_code == 403


def test_posting_a_refresh_needs_an_officer(client):
    user, _own = seller()
    client.force_login(user)
    assert client.post(reverse("network_metrics_refresh")).status_code == 403
    assert not NetworkSnapshot.objects.exists()
    client.logout()
    assert client.post(reverse("network_metrics_refresh")).status_code == 302
    assert not NetworkSnapshot.objects.exists()


def test_the_decorator_denies_inactive_staff():
    request = RequestFactory().get("/network/")
    request.user = UserFactory(is_staff=True, is_active=False)
    response = officers_only(lambda request: None)(request)
    assert response.status_code == 403
    request.user = AnonymousUser()
    assert officers_only(lambda request: None)(request).status_code == 302


@pytest.mark.parametrize("who", ["staff", "officer"])
def test_staff_and_program_officers_see_every_page(client, who, english):
    user = UserFactory(is_staff=True) if who == "staff" else program_officer()
    client.force_login(user)
    cooperative = CooperativeFactory()
    member = MembershipFactory(cooperative=cooperative).enterprise
    for url in officer_urls(member, cooperative)[:-1]:
        assert client.get(url).status_code == 200, url


# --- The report ---------------------------------------------------------------------------------


def test_the_report_shows_the_estimate_in_plain_words(client, officer, english):
    build_economy()
    snapshot_done()
    response = client.get(REPORT)
    assert response.status_code == 200
    report = response.context["report"]
    assert report["status"] == "ok", report["reason"]
    assert report["ci_low"] < 200_000 < report["ci_high"]
    html = response.content.decode()
    assert 'data-report-status="ok"' in html
    assert "95% interval" in html
    assert "% of their mean income before" in html
    assert 'aria-labelledby="event-study-title event-study-desc"' in html
    assert 'aria-labelledby="income-groups-title income-groups-desc"' in html
    assert "data-pretrend" in html and "data-marketplace-only" in html
    assert "Association, not an effect" in html
    assert "Ties are chosen, not assigned" in html  # the caveats
    # Income by number of ties, with the months of groups too small to show hidden.
    assert 'aria-labelledby="income-groups-title income-groups-desc"' in html
    assert "Hidden: fewer than five enterprises" in html
    assert response.context["words"]["excludes_zero"]
    # The links: CSV with the same filters, the map, the methodology note.
    assert f'href="{CSV_URL}"' in html and f'href="{MAP}"' in html
    assert 'href="#methodology"' in html and 'id="methodology"' in html


def test_a_refusal_is_an_explanation_not_an_error(client, officer, english):
    build_economy(firms=12, cohorts=(8, 11), per_cohort=2)
    response = client.get(REPORT)
    assert response.status_code == 200
    assert response.context["report"]["status"] == "refused"
    html = response.content.decode()
    assert 'data-report-status="refused"' in html
    assert "cannot estimate an effect" in html
    assert response.context["report"]["reason"] in html


def test_filters_are_passed_to_the_report_and_the_csv_link(client, officer):
    cooperative = CooperativeFactory()
    response = client.get(REPORT, {"village": "Desa Beji", "cooperative": cooperative.slug,
                                   "control_group": "never", "kinds": ["referral", "mentoring"],
                                   "start": "2024-01", "end": "2025-06", "event": "tie",
                                   "sector": "food"})
    assert response.status_code == 200
    filters = response.context["report"]["filters"]
    assert filters["village"] == "Desa Beji" and filters["cooperative_id"] == cooperative.pk
    assert filters["control_group"] == "never" and filters["kinds"] == ["referral", "mentoring"]
    assert (filters["start"], filters["end"]) == ("2024-01-01", "2025-06-01")
    assert filters["sector"] == "food"
    assert f"{CSV_URL}?village=Desa+Beji" in response.content.decode()


@pytest.mark.parametrize("params, field", [
    ({"start": "2025-13"}, "start"),
    ({"start": "yesterday"}, "start"),
    ({"end": "2999-01"}, "end"),
    ({"start": "2025-06", "end": "2025-01"}, "start"),
    ({"start": "2000-01", "end": "2025-01"}, "start"),
    ({"kinds": "xyz"}, "kinds"),
    ({"event": "wedding"}, "event"),
    ({"control_group": "all"}, "control_group"),
    ({"cooperative": "no-such-cooperative"}, "cooperative"),
    ({"village": "x" * 5000}, "village"),
    ({"sector": "<script>"}, "sector"),
])
def test_odd_filters_are_form_errors(client, officer, params, field):
    response = client.get(REPORT, params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["report"] is None
    assert b'role="alert"' in response.content
    assert b"<script>" not in response.content.split(b"</header>")[1]


def test_a_nul_character_is_refused(client, officer):
    assert client.get(REPORT, {"village": "a\x00b"}).status_code == 400


def test_the_empty_state_offers_to_compute(client, officer, english):
    html = client.get(REPORT).content.decode()
    assert "No network figures yet" in html
    assert f'action="{reverse("network_metrics_refresh")}"' in html
    assert "Compute now" in html


def test_compute_now_makes_a_snapshot_and_shows_its_figures(client, officer, english):
    one, two, three = EnterpriseFactory.create_batch(3)
    TieFactory(kind=Tie.Kind.SUPPLIER, from_enterprise=one, to_enterprise=two)
    TieFactory(kind=Tie.Kind.SUPPLIER, from_enterprise=two, to_enterprise=three)
    response = client.post(reverse("network_metrics_refresh"))
    assert response.status_code == 302 and response["Location"] == REPORT
    snapshot = NetworkSnapshot.objects.get()
    assert snapshot.status == NetworkSnapshot.Status.DONE  # the immediate task backend
    response = client.get(REPORT)
    html = response.content.decode()
    assert "No network figures yet" not in html
    assert response.context["summary"]["ties"] == 2
    assert 'aria-labelledby="ties-by-month-title ties-by-month-desc"' in html
    broker = reverse("network_enterprise", args=[two.slug])
    assert f'href="{broker}"' in html  # the broker between the other two, linked
    assert client.get(reverse("network_metrics_refresh")).status_code == 405


def test_a_running_computation_shows_its_progress_and_polls(client, officer, english):
    NetworkSnapshot.objects.create(status=NetworkSnapshot.Status.RUNNING,
                                   progress="betweenness 3/64")
    html = client.get(REPORT).content.decode()
    assert "betweenness 3/64" in html
    assert f'hx-get="{reverse("network_metrics_status")}?polling=1"' in html
    assert 'hx-trigger="every 3s"' in html
    assert "Compute now" not in html

    status = reverse("network_metrics_status")
    partial = client.get(status, {"polling": 1}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert b"betweenness 3/64" in partial.content and b"<html" not in partial.content
    assert client.get(status).status_code == 302  # without htmx: the whole page

    NetworkSnapshot.objects.update(status=NetworkSnapshot.Status.DONE,
                                   finished_at=timezone.now())
    done = client.get(status, {"polling": 1}, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_a_failed_computation_says_so(client, officer, english):
    snapshot_done()
    NetworkSnapshot.objects.create(status=NetworkSnapshot.Status.FAILED, error="boom")
    html = client.get(REPORT).content.decode()
    assert 'data-snapshot-status="failed"' in html
    assert "failed" in html


def test_the_report_costs_the_same_queries_for_few_or_many_brokers(client, officer):
    snapshot = snapshot_done()
    cooperative = CooperativeFactory()
    few = count_queries(client, f"{REPORT}?cooperative={cooperative.slug}")
    for enterprise in EnterpriseFactory.create_batch(12):
        snapshot.positions.create(enterprise=enterprise, degree=3, betweenness=5.0)
    assert count_queries(client, f"{REPORT}?cooperative={cooperative.slug}") == few


# --- The panel as CSV ---------------------------------------------------------------------------


def test_the_panel_downloads_as_csv(client, officer):
    economy = build_economy(firms=6, cohorts=(8,), per_cohort=2)
    economy["enterprises"][0].village = "=HYPERLINK(\"http://evil\")"
    economy["enterprises"][0].save()
    response = client.get(CSV_URL, {"start": f"{economy['start']:%Y-%m}",
                                    "end": f"{economy['end']:%Y-%m}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="guyub-panel-')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 6 * 36
    assert {"enterprise_id", "month", "period", "income", "income_marketplace",
            "first_treated", "degree", "village", "sector"} <= set(rows[0])
    assert rows[0]["month"] == f"{economy['start']:%Y-%m-%d}"
    assert all(not row["village"].startswith("=") for row in rows)
    assert any(row["village"].startswith("'=HYPERLINK") for row in rows)


def test_the_csv_with_bad_filters_shows_the_form(client, officer):
    response = client.get(CSV_URL, {"start": "13-2025"})
    assert response.status_code == 400
    assert "start" in response.context["form"].errors


# --- The map ------------------------------------------------------------------------------------


def test_without_a_choice_the_map_offers_cooperatives_and_villages(client, officer):
    cooperative = CooperativeFactory(name="Koperasi Kopi Sindoro")
    EnterpriseFactory(village="Desa Beji")
    html = client.get(MAP).content.decode()
    assert "Koperasi Kopi Sindoro" in html and f'value="{cooperative.slug}"' in html
    assert "Desa Beji" in html


def test_a_cooperatives_map_draws_its_members_ties(client, officer):
    cooperative = CooperativeFactory()
    one, two, three = (MembershipFactory(cooperative=cooperative).enterprise for _ in range(3))
    one.name = "Keripik <script>alert(1)</script>"
    one.save()
    TieFactory(kind=Tie.Kind.SUPPLIER, from_enterprise=one, to_enterprise=two)
    TieFactory(kind=Tie.Kind.MENTORING, from_enterprise=three, to_enterprise=two)
    response = client.get(MAP, {"cooperative": cooperative.slug})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="network__node"') == 3
    assert html.count("data-source=") == 2
    assert 'id="network-map-data"' in html and "js/network-map.js" in html
    assert "<script>alert(1)" not in html
    assert "Keripik &lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The fallback list of ties links each end to its page.
    assert f'href="{reverse("network_enterprise", args=[one.slug])}"' in html


def test_a_villages_map(client, officer):
    first, second = EnterpriseFactory.create_batch(2, village="Desa Beji")
    TieFactory(kind=Tie.Kind.SUPPLIER, from_enterprise=first, to_enterprise=second)
    response = client.get(MAP, {"village": "  desa   beji "})
    assert response.status_code == 200
    assert response.context["subgraph"]["nodes"]
    assert len(response.context["ties"]) == 1


@pytest.mark.parametrize("params, status", [
    ({"cooperative": "no-such-cooperative"}, 404),
    ({"cooperative": "x" * 3000}, 404),
    ({"village": "x" * 3000}, 400),
    ({"village": "Desa Entah"}, 200),
    ({"cooperative": "", "village": ""}, 200),
])
def test_odd_map_addresses(client, officer, params, status):
    assert client.get(MAP, params).status_code == status


def test_the_map_costs_the_same_queries_for_few_or_many_ties(client, officer):
    cooperative = CooperativeFactory()
    members = [MembershipFactory(cooperative=cooperative).enterprise for _ in range(3)]
    TieFactory(kind=Tie.Kind.SUPPLIER, from_enterprise=members[0], to_enterprise=members[1])
    url = f"{MAP}?cooperative={cooperative.slug}"
    few = count_queries(client, url)
    members += [MembershipFactory(cooperative=cooperative).enterprise for _ in range(20)]
    for giver, taker in zip(members, members[1:], strict=False):
        TieFactory(kind=Tie.Kind.MENTORING, from_enterprise=giver, to_enterprise=taker)
    assert count_queries(client, url) == few


# --- One enterprise -----------------------------------------------------------------------------


def test_an_enterprise_page_shows_its_income_by_source_and_its_ties(client, officer, english):
    enterprise = EnterpriseFactory()
    partner = EnterpriseFactory(name="Gula Kelapa Ibu Tini")
    month = date(2025, 3, 1)
    IncomeRecordFactory(enterprise=enterprise, month=month, amount=1_250_000,
                        source=IncomeRecord.Source.SELF_REPORTED)
    IncomeRecordFactory(enterprise=enterprise, month=month, amount=300_000,
                        source=IncomeRecord.Source.MARKETPLACE)
    TieFactory(kind=Tie.Kind.SUPPLIER, from_enterprise=partner, to_enterprise=enterprise)
    TieFactory(kind=Tie.Kind.REFERRAL, from_enterprise=enterprise, to_enterprise=None,
               to_user=UserFactory())
    response = client.get(reverse("network_enterprise", args=[enterprise.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp 1.250.000" in html and "Rp 300.000" in html and "Rp 1.550.000" in html
    assert "Gula Kelapa Ibu Tini" in html and "a buyer it brought in" in html
    assert 'aria-labelledby="enterprise-income-title enterprise-income-desc"' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_an_unknown_enterprise_is_not_found(client, officer):
    assert client.get(reverse("network_enterprise", args=["no-such"])).status_code == 404
