"""The demo's network history (enterprises.demo_network): three years of income and staggered
tie formation for the demo economy, with a known synthetic effect that the network report on the
demo data recovers; the same rows however often it runs; the demo's officer, invites and
collaboration requests."""

import io
from collections import Counter
from statistics import NormalDist

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.test import override_settings
from wagtail.signal_handlers import disable_reference_index_auto_update

from cms.management.commands.seed_demo import DemoRun
from enterprises import demo as enterprise_demo
from enterprises import demo_network
from enterprises.apps import PROGRAM_OFFICERS_GROUP
from enterprises.impact import DEFAULT_TIE_KINDS, ImpactQuery, impact_panel, impact_report
from enterprises.models import (
    CollaborationRequest,
    Enterprise,
    IncomeRecord,
    Invite,
    Membership,
    Tie,
)
from enterprises.selectors import user_is_program_officer
from knowledge import demo as knowledge_demo
from marketplace import demo as market_demo

pytestmark = pytest.mark.django_db
EFFECT = demo_network.DEMO_EFFECT


def counts() -> dict:
    return {model.__name__: model.objects.count()
            for model in (Tie, IncomeRecord, Invite, CollaborationRequest, Membership)}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo seeded once for the module (tiny images, no Wagtail indexing, as in
    tests/cms/test_seed_demo.py), then the history run a second time; rolled back after."""
    backends = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}}
    with (django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch,
          override_settings(WAGTAILSEARCH_BACKENDS=backends),
          disable_reference_index_auto_update(), transaction.atomic()):
        patch.setattr(market_demo, "PHOTO_SIZE", (40, 30))
        patch.setattr(enterprise_demo, "LOGO_SIZE", (24, 24))
        patch.setattr(knowledge_demo, "COVER_SIZE", (32, 18))
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        first = counts()
        again = io.StringIO()
        figures = demo_network.seed_history(
            run=DemoRun(seed=1, scale=1, stdout=OutputWrapper(again)))
        reports = {group: impact_report(query=ImpactQuery(control_group=group))
                   for group in ("notyet", "never")}
        yield {"output": out.getvalue(), "first": first, "second": counts(),
               "second_output": again.getvalue(), "figures": figures, "reports": reports,
               "panel": impact_panel(query=ImpactQuery())}
        transaction.set_rollback(True)


def demo_enterprises():
    return Enterprise.objects.filter(is_active=True).exclude(
        slug__startswith=enterprise_demo.BENCH_SLUG_PREFIX)


def test_every_demo_enterprise_reports_24_to_36_months_ending_last_month(demo):
    months = demo_network.history_months()
    assert 24 <= len(months) <= 36
    reported = Counter(IncomeRecord.objects.filter(
        source=IncomeRecord.Source.SELF_REPORTED, month__gte=months[0], month__lte=months[-1],
    ).values_list("enterprise_id", flat=True))
    enterprises = list(demo_enterprises().values_list("pk", flat=True))
    assert len(enterprises) >= 40
    assert {reported[pk] for pk in enterprises} == {len(months)}
    assert not IncomeRecord.objects.filter(source=IncomeRecord.Source.SELF_REPORTED,
                                           month__gt=months[-1]).exists()
    assert not IncomeRecord.objects.filter(amount__lt=0).exists()


def test_ties_form_in_several_cohorts_and_some_enterprises_never_have_one(demo):
    panel = demo["panel"]
    firsts = panel.groupby("enterprise_id")["first_treated"].first()
    cohorts = Counter(firsts[firsts > 0])

    assert len(cohorts) >= 5
    assert sum(cohorts.values()) >= 25
    assert (firsts == 0).sum() >= 8  # never tied in the window
    assert panel["enterprise_id"].nunique() == demo_enterprises().count()  # none dropped
    kinds = Counter(Tie.objects.values_list("kind", flat=True))
    for kind in ("referral", "collaboration", "supplier", "co_membership"):
        assert kinds[kind] >= 5, kinds
    assert demo["figures"]["never"] == (firsts == 0).sum()
    assert "synthetic" in demo["output"]


def test_a_second_run_adds_nothing(demo):
    assert demo["second"] == demo["first"]
    assert "0 income records" in demo["second_output"]


def pre_event_points(report) -> list[dict]:
    return [row for row in report["event_study"] if row["e"] < -1 and not row["reference"]]


@pytest.mark.parametrize("group", ["notyet", "never"])
def test_the_report_recovers_the_built_in_effect(demo, group):
    report = demo["reports"][group]

    assert report["status"] == "ok", report["reason"]
    assert report["n_cohorts"] >= 5 and report["n_treated"] >= 25
    assert report["ci_low"] <= EFFECT <= report["ci_high"], report
    # Not lucky: the interval is narrow enough to tell the effect from no effect.
    assert report["ci_low"] > 0 and report["ci_high"] - report["ci_low"] < EFFECT
    # Before the event the event study covers zero. Each point has its own 95% interval, and
    # with a dozen points one of them misses zero by chance in about a third of all draws, so
    # the band is widened for the number of points (Bonferroni): together, 95%.
    points = pre_event_points(report)
    assert len(points) >= 3
    z = NormalDist().inv_cdf(1 - 0.025 / len(points))
    for point in points:
        assert abs(point["att"]) <= z * point["se"], point
    after = [row for row in report["event_study"] if row["e"] >= 0]
    assert sum(row["att"] for row in after) / len(after) > EFFECT / 2


def test_the_effect_starts_with_the_first_tie_of_the_default_kinds(demo):
    """Self-reported income jumps by the effect at the first tie, as the module says: compare
    the month before and the month of the first tie, net of the months' common level."""
    panel = demo["panel"]
    treated = panel[panel["first_treated"] > 1]
    jumps = []
    for _pk, rows in treated.groupby("enterprise_id"):
        first = rows["first_treated"].iloc[0]
        before = rows.loc[rows["period"] == first - 1, "income"].iloc[0]
        at = rows.loc[rows["period"] == first, "income"].iloc[0]
        jumps.append(at - before)
    assert tuple(demo["figures"]["kinds"]) == DEFAULT_TIE_KINDS
    assert sum(jumps) / len(jumps) > EFFECT / 2


def test_the_demo_has_a_program_officer_invites_and_requests(demo):
    User = get_user_model()
    officer = User.objects.get(username=demo_network.OFFICER)
    assert officer.groups.filter(name=PROGRAM_OFFICERS_GROUP).exists()
    assert user_is_program_officer(user=officer)
    assert demo_network.OFFICER in demo["output"]

    assert Invite.objects.filter(enterprise__slug="keripik-sari", is_active=True).exists()
    waiting = CollaborationRequest.objects.get(
        to_enterprise__slug="keripik-sari", status=CollaborationRequest.Status.PENDING)
    assert not Tie.objects.filter(
        kind=Tie.Kind.COLLABORATION, from_enterprise__in=[waiting.from_enterprise_id,
                                                          waiting.to_enterprise_id],
        to_enterprise__in=[waiting.from_enterprise_id, waiting.to_enterprise_id]).exists()
    confirmed = CollaborationRequest.objects.filter(
        status=CollaborationRequest.Status.CONFIRMED)
    assert confirmed.count() == Tie.objects.filter(kind=Tie.Kind.COLLABORATION,
                                                   evidence=demo_network.EVIDENCE).count()
    assert Tie.objects.filter(kind=Tie.Kind.REFERRAL, to_user__username="dewi").exists()
    # Members of the demo cooperatives are tied to each other.
    membership = Membership.objects.filter(status=Membership.Status.ACTIVE).first()
    assert Tie.objects.filter(kind=Tie.Kind.CO_MEMBERSHIP,
                              evidence=f"cooperative:{membership.cooperative_id}").exists()
