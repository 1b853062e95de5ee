"""The network-impact estimate: against the published Callaway and Sant'Anna result, against
simulated panels with a known effect, and on the platform's own panel (ties, income, filters,
privacy, caching and query counts)."""

import datetime
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from enterprises import impact
from enterprises.impact import (
    DEFAULT_TIE_KINDS,
    EVENT_WINDOW,
    MIN_TREATED,
    SUPPRESS_BELOW,
    ImpactQuery,
    impact_estimate,
    impact_panel,
    impact_report,
)
from enterprises.models import IncomeRecord, Membership, Sector, Tie
from enterprises.services.ties import tie_record
from tests.factories import (
    CooperativeFactory,
    EnterpriseFactory,
    IncomeRecordFactory,
    MembershipFactory,
    UserFactory,
)

MPDTA = Path(__file__).resolve().parents[1] / "data" / "mpdta.csv"
# diff-diff pins this SHA-256 for the R did package's mpdta (did 2.5.1), as mirrored by csdid.
MPDTA_SHA256 = "2283bea1221a152420f98dfa20f633c5d054ea51d881115c8cd702a97bcd3167"


def simulated_panel(*, units: int = 400, periods: int = 24, effect: float = 100.0,
                    seed: int = 0, never_share: float = 0.3, pre_trend: float = 0.0,
                    first_cohort: int = 4, noise: float = 50.0) -> pd.DataFrame:
    """Staggered adoption with a known effect: unit and period effects, noise, cohorts first
    treated from `first_cohort` to two periods before the end, `never_share` never treated.
    `pre_trend` adds a steady drift to treated units (parallel trends broken)."""
    rng = np.random.default_rng(seed)
    first = rng.integers(first_cohort, periods - 1, size=units)
    first[rng.random(units) < never_share] = 0
    unit = np.repeat(np.arange(1, units + 1), periods)
    time = np.tile(np.arange(1, periods + 1), units)
    cohort = np.repeat(first, periods)
    treated_now = (cohort > 0) & (time >= cohort)
    income = (rng.normal(1_000, 300, units)[unit - 1]
              + np.cumsum(rng.normal(10, 20, periods))[time - 1]
              + effect * treated_now
              + pre_trend * (cohort > 0) * time
              + rng.normal(0, noise, units * periods))
    return pd.DataFrame({"unit": unit, "time": time, "income": income, "first": cohort})


def estimate(panel, **options):
    return impact_estimate(panel=panel, unit="unit", time="time", outcome="income",
                           first_treated="first", **options)


# --- The published reference: Callaway and Sant'Anna's minimum-wage data (R did::mpdta) ----------


@pytest.fixture(scope="module")
def mpdta():
    return pd.read_csv(MPDTA)


def test_the_reference_data_is_the_published_mpdta(mpdta):
    assert hashlib.sha256(MPDTA.read_bytes()).hexdigest() == MPDTA_SHA256
    assert len(mpdta) == 2_500
    assert mpdta["countyreal"].nunique() == 500
    assert sorted(mpdta["year"].unique()) == [2003, 2004, 2005, 2006, 2007]
    assert set(mpdta["first.treat"].unique()) == {0, 2004, 2006, 2007}


def test_mpdta_simple_att_matches_the_published_result(mpdta):
    """R: did::att_gt(yname="lemp", tname="year", idname="countyreal", gname="first.treat",
    control_group="nevertreated") then aggte(type="simple"): ATT -0.0400, SE 0.0118. R's SE is
    a multiplier bootstrap (999 draws); ours is analytic (the influence function clustered by
    county, with the G/(G-1) factor). A 999-draw bootstrap SE has a Monte Carlo error of about
    1/sqrt(2 x 999) = 2.2% of the SE, and the published figure is rounded to 4 decimals, so we
    allow 5% (about two Monte Carlo standard deviations): 0.0118 +- 0.0006."""
    result = impact_estimate(panel=mpdta, unit="countyreal", time="year", outcome="lemp",
                             first_treated="first.treat", control_group="never")

    assert result["status"] == "ok"
    assert round(result["att"], 3) == -0.040
    assert result["att"] == pytest.approx(-0.0400, abs=5e-5)
    assert result["se"] == pytest.approx(0.0118, rel=0.05)
    assert result["ci_low"] < result["att"] < result["ci_high"] < 0
    assert (result["n_units"], result["n_treated"], result["n_cohorts"], result["n_periods"]) == (
        500, 191, 3, 5)
    assert result["n_comparison"] == 309  # the never-treated counties


def test_mpdta_group_time_effects_match_the_did_vignette(mpdta):
    estimator = impact._estimator(control_group="never")
    fit = estimator.fit(mpdta, outcome="lemp", unit="countyreal", time="year",
                        first_treat="first.treat")
    published = {(2004, 2004): -0.0105, (2004, 2005): -0.0704, (2004, 2006): -0.1373,
                 (2004, 2007): -0.1008, (2006, 2006): -0.0046, (2007, 2007): -0.0261}
    for cell, value in published.items():
        assert fit.group_time_effects[cell]["effect"] == pytest.approx(value, abs=5e-5), cell


@pytest.mark.parametrize("control_group", ["notyet", "never"])
def test_standard_errors_are_diff_diffs_clustered_by_unit(control_group):
    """We apply the CR1 factor and t(G - 1) intervals ourselves (see impact._clustering): the
    numbers must be those of diff-diff's own cluster=unit option."""
    from diff_diff import CallawaySantAnna

    panel = simulated_panel(units=60, periods=10, seed=20)
    ours = estimate(panel, control_group=control_group)
    theirs = CallawaySantAnna(control_group=impact.CONTROL_GROUPS[control_group],
                              base_period="universal", estimation_method="reg",
                              cluster="unit").fit(panel, outcome="income", unit="unit",
                                                  time="time", first_treat="first")
    events = theirs.aggregate("event_study").to_dataframe().set_index("event_time")

    assert ours["se"] == pytest.approx(theirs.overall_se, rel=1e-9)
    assert (ours["ci_low"], ours["ci_high"]) == pytest.approx(theirs.overall_conf_int, rel=1e-9)
    for row in ours["event_study"]:
        if not row["reference"]:
            assert row["se"] == pytest.approx(events.at[row["e"], "se"], rel=1e-9)
            assert row["ci_low"] == pytest.approx(events.at[row["e"], "conf_int_lower"],
                                                  rel=1e-9)


def test_mpdta_event_study_reaches_back_four_years_from_the_universal_base(mpdta):
    result = impact_estimate(panel=mpdta, unit="countyreal", time="year", outcome="lemp",
                             first_treated="first.treat", control_group="never")
    by_e = {row["e"]: row for row in result["event_study"]}

    assert sorted(by_e) == [-4, -3, -2, -1, 0, 1, 2, 3]
    assert by_e[-1]["reference"] and by_e[-1]["att"] == 0.0
    # Only the 2004 cohort is seen two and three years after: these are ATT(2004,2006/2007).
    assert by_e[2]["att"] == pytest.approx(-0.1373, abs=5e-5)
    assert by_e[3]["att"] == pytest.approx(-0.1008, abs=5e-5)
    assert result["pretrend"]["df"] == 3  # e = -4, -3, -2
    assert 0 < result["pretrend"]["p_value"] < 1
    json.dumps(result, allow_nan=False)


# --- Simulated panels with a known effect --------------------------------------------------------


@pytest.mark.parametrize("control_group", ["notyet", "never"])
@pytest.mark.parametrize("seed", [1, 2])
def test_the_interval_covers_a_known_effect(seed, control_group):
    result = estimate(simulated_panel(effect=100.0, seed=seed), control_group=control_group)

    assert result["status"] == "ok", result["reason"]
    assert result["ci_low"] < 100.0 < result["ci_high"]
    assert result["att"] == pytest.approx(100.0, abs=4 * result["se"])
    assert result["pct_of_pre_mean"] == pytest.approx(100 * result["att"] / result["pre_mean"])
    assert result["n_cohorts"] >= 2 and result["n_treated"] >= MIN_TREATED


def test_the_event_study_is_flat_before_and_the_effect_after():
    result = estimate(simulated_panel(effect=100.0, seed=5))
    rows = {row["e"]: row for row in result["event_study"]}

    assert min(rows) == -EVENT_WINDOW and max(rows) == EVENT_WINDOW
    assert {-3, -2, -1, 0, 1, 2} <= set(rows)
    for e, row in rows.items():
        truth = 100.0 if e >= 0 else 0.0
        assert abs(row["att"] - truth) < 4 * row["se"] + 1e-9, (e, row)
        assert row["ci_low"] <= row["att"] <= row["ci_high"]
    assert result["pretrend"]["p_value"] > 0.05  # parallel by construction


@pytest.mark.usefixtures("english")
def test_the_pretrend_test_rejects_a_built_in_differential_trend():
    result = estimate(simulated_panel(effect=100.0, seed=3, pre_trend=8.0))

    assert result["status"] == "ok"
    assert result["pretrend"]["p_value"] < 0.001
    assert "found a difference before the event" in " ".join(result["caveats"])


def test_no_effect_gives_an_interval_covering_zero():
    result = estimate(simulated_panel(effect=0.0, seed=4))

    assert result["ci_low"] < 0 < result["ci_high"]


def test_units_treated_before_the_panel_are_dropped_and_late_ones_count_as_never():
    panel = simulated_panel(seed=5, periods=12)
    first_unit = panel["unit"] == 1
    panel.loc[first_unit, "first"] = 1  # treated in the first period: nothing before to compare
    panel.loc[panel["unit"] == 2, "first"] = 99  # after the panel: untreated within it

    result = estimate(panel)
    baseline = estimate(panel[~first_unit])

    assert result["n_dropped_always_treated"] == 1
    assert result["n_units"] == panel["unit"].nunique() - 1
    assert result["att"] == pytest.approx(baseline["att"])


def test_refuses_too_few_treated_units():
    panel = simulated_panel(units=40, seed=6, never_share=0.0)
    treated_units = panel["unit"].unique()[MIN_TREATED - 1:]
    panel.loc[panel["unit"].isin(treated_units), "first"] = 0

    result = estimate(panel)

    assert result["status"] == "refused"
    assert result["n_treated"] == MIN_TREATED - 1
    assert str(MIN_TREATED) in result["reason"]
    assert result["att"] is None and result["event_study"] == [] and result["pretrend"] is None


def test_refuses_a_single_cohort():
    panel = simulated_panel(seed=7)
    panel.loc[panel["first"] > 0, "first"] = 6

    result = estimate(panel)

    assert result["status"] == "refused"
    assert result["n_cohorts"] == 1


@pytest.mark.usefixtures("english")
def test_refuses_never_treated_comparison_when_every_unit_is_treated():
    panel = simulated_panel(seed=8, never_share=0.0)

    never = estimate(panel, control_group="never")
    not_yet = estimate(panel, control_group="notyet")

    assert never["status"] == "refused" and "not-yet-treated" in never["reason"]
    assert never["n_comparison"] == 0
    assert not_yet["status"] == "ok"


def test_refuses_too_few_periods():
    panel = simulated_panel(seed=9, periods=8)
    panel = panel[panel["time"] <= 2].copy()
    panel["first"] = np.where(panel["unit"] % 2 == 0, 2, 0)

    result = estimate(panel)

    assert result["status"] == "refused"
    assert result["n_periods"] == 2


@pytest.mark.parametrize(("change", "message"), [
    (lambda panel: panel.drop(columns="income"), "missing columns: income"),
    (lambda panel: pd.concat([panel, panel.head(1)]), "more than one row"),
    (lambda panel: panel.assign(first=np.where(panel["time"] == 3, 5, panel["first"])),
     "changes within a unit"),
    (lambda panel: panel.assign(income=np.where(panel["time"] == 3, np.nan, panel["income"])),
     "missing or infinite"),
])
def test_a_malformed_panel_is_a_value_error(change, message):
    with pytest.raises(ValueError, match=message):
        estimate(change(simulated_panel(units=60, periods=6, seed=10)))


# --- The platform panel --------------------------------------------------------------------------

JAN_2024 = datetime.date(2024, 1, 1)
DEC_2024 = datetime.date(2024, 12, 1)
WINDOW = {"start": JAN_2024, "end": DEC_2024}


def tie(a, b, started_on, *, kind=Tie.Kind.COLLABORATION, ended_on=None) -> Tie:
    made = tie_record(kind=kind, from_enterprise=a, to_enterprise=b, started_on=started_on,
                      origin=Tie.Origin.EXPLICIT)
    if ended_on:
        Tie.objects.filter(pk=made.pk).update(ended_on=ended_on)
    return made


def income(enterprise, month, amount, source=IncomeRecord.Source.SELF_REPORTED):
    return IncomeRecord.objects.create(enterprise=enterprise, month=month, amount=amount,
                                       source=source)


def rows_of(panel, enterprise) -> pd.DataFrame:
    return panel[panel["enterprise_id"] == enterprise.pk].set_index("period")


@pytest.fixture
def network():
    """Enterprises a..k with ties and income in and around 2024 (see each test)."""
    people = {name: EnterpriseFactory(name=f"Usaha {name}") for name in "abcdefghijk"}
    p = people
    tie(p["a"], p["b"], datetime.date(2024, 4, 15))
    tie(p["a"], p["b"], datetime.date(2024, 6, 1), kind=Tie.Kind.SUPPLIER)  # same partner
    tie(p["a"], p["c"], datetime.date(2024, 6, 20), kind=Tie.Kind.REFERRAL,
        ended_on=datetime.date(2024, 8, 10))
    tie(p["d"], p["e"], datetime.date(2024, 2, 1), kind=Tie.Kind.CO_ATTENDANCE)  # not counted
    Tie.objects.create(kind=Tie.Kind.REFERRAL, origin=Tie.Origin.EXPLICIT, from_enterprise=p["d"],
                       to_user=UserFactory(), started_on=datetime.date(2024, 3, 1))  # a buyer
    tie(p["f"], p["g"], datetime.date(2023, 11, 1))  # before the window
    tie(p["h"], p["i"], datetime.date(2025, 3, 1))  # after the window
    tie(p["j"], p["k"], datetime.date(2024, 5, 10))
    for name, enterprise in people.items():
        if name != "j":  # j records no income before its tie
            income(enterprise, JAN_2024, 1_000_000)
    income(p["j"], datetime.date(2024, 5, 1), 700_000)
    income(p["a"], JAN_2024, 250_000, IncomeRecord.Source.MARKETPLACE)
    income(p["a"], datetime.date(2024, 3, 1), 500_000)
    income(p["a"], datetime.date(2025, 1, 1), 9_000_000)  # after the window
    EnterpriseFactory(name="Tutup", is_active=False)
    return people


@pytest.mark.django_db
def test_the_panel_is_balanced_with_events_degrees_and_income(network):
    p = network
    panel = impact_panel(query=ImpactQuery(**WINDOW))

    kept = {p[name].pk for name in "abcdehik"}
    assert set(panel["enterprise_id"]) == kept
    assert len(panel) == len(kept) * 12  # balanced: every enterprise every month
    assert list(panel.columns) == ["enterprise_id", "month", "period", "income",
                                   "income_marketplace", "first_treated", "degree", "village",
                                   "sector"]
    assert panel.attrs["dropped"] == {"treated_before_window": 2, "no_income_before_event": 1}
    a = rows_of(panel, p["a"])
    assert a.loc[1, "month"] == JAN_2024 and a.loc[12, "month"] == DEC_2024
    assert list(a.index) == list(range(1, 13))
    # Income by source: all sources summed, marketplace apart; missing months are 0.
    assert (a.loc[1, "income"], a.loc[1, "income_marketplace"]) == (1_250_000, 250_000)
    assert (a.loc[3, "income"], a.loc[2, "income"], a.loc[12, "income"]) == (500_000, 0, 0)
    # Events: the first tie of the chosen kinds, both ends.
    first = {name: rows_of(panel, p[name])["first_treated"].iloc[0] for name in "abcdehik"}
    assert first == {"a": 4, "b": 4, "c": 6, "d": 0, "e": 0, "h": 0, "i": 0, "k": 5}
    # Degree: distinct partners through ties open at the month's end; the referral to c ended in
    # August, so it is not open at the end of August.
    assert list(a["degree"]) == [0, 0, 0, 1, 1, 2, 2, 1, 1, 1, 1, 1]
    assert list(rows_of(panel, p["c"])["degree"]) == [0] * 5 + [1, 1] + [0] * 5
    assert set(rows_of(panel, p["d"])["degree"]) == {0}  # co-attendance and a buyer do not count
    assert rows_of(panel, p["a"])["village"].iloc[0] == p["a"].village


@pytest.mark.django_db
def test_the_panel_counts_only_the_chosen_kinds(network):
    p = network
    panel = impact_panel(query=ImpactQuery(kinds=("referral",), **WINDOW))

    assert rows_of(panel, p["a"])["first_treated"].iloc[0] == 6  # the referral to c
    assert rows_of(panel, p["b"])["first_treated"].iloc[0] == 0
    assert list(rows_of(panel, p["a"])["degree"]) == [0] * 5 + [1, 1] + [0] * 5


@pytest.mark.django_db
def test_the_panel_filters_village_sector_cooperative_and_window():
    here = EnterpriseFactory(village="Desa Karangsari", sector=Sector.FOOD)
    elsewhere = EnterpriseFactory(village="Desa Lain", sector=Sector.FOOD)
    coffee = EnterpriseFactory(village="Desa Karangsari", sector=Sector.COFFEE)
    cooperative = CooperativeFactory()
    MembershipFactory(cooperative=cooperative, enterprise=here)
    MembershipFactory(cooperative=cooperative, enterprise=coffee, status=Membership.Status.LEFT,
                      left_at=timezone.now())
    MembershipFactory(cooperative=cooperative, enterprise=elsewhere,
                      status=Membership.Status.APPLIED, joined_at=None)

    def ids(**filters):
        return set(impact_panel(query=ImpactQuery(**WINDOW, **filters))["enterprise_id"])

    assert ids() == {here.pk, elsewhere.pk, coffee.pk}
    assert ids(village="  desa KARANGSARI ") == {here.pk, coffee.pk}
    assert ids(sector=Sector.COFFEE) == {coffee.pk}
    assert ids(cooperative_id=cooperative.pk) == {here.pk, coffee.pk}  # active or left members
    window = impact_panel(query=ImpactQuery(start=datetime.date(2024, 3, 1),
                                            end=datetime.date(2024, 8, 1)))
    assert sorted(window["period"].unique()) == [1, 2, 3, 4, 5, 6]
    assert window["month"].min() == datetime.date(2024, 3, 1)
    assert window["month"].max() == datetime.date(2024, 8, 1)


@pytest.mark.django_db
def test_the_cooperative_event_is_the_first_joining_of_an_active_or_left_membership():
    jakarta = timezone.get_fixed_timezone(7 * 60)
    first, second, applicant = (EnterpriseFactory() for _ in range(3))
    for enterprise in (first, second, applicant):
        income(enterprise, JAN_2024, 1_000_000)
    # 31 March 20:00 UTC is already April in Jakarta.
    MembershipFactory(enterprise=first, joined_at=datetime.datetime(2024, 3, 31, 20, 0,
                                                                    tzinfo=datetime.UTC))
    MembershipFactory(enterprise=first, joined_at=datetime.datetime(2024, 9, 1, tzinfo=jakarta))
    MembershipFactory(enterprise=second, status=Membership.Status.LEFT,
                      joined_at=datetime.datetime(2024, 7, 2, tzinfo=jakarta),
                      left_at=datetime.datetime(2024, 10, 1, tzinfo=jakarta))
    MembershipFactory(enterprise=applicant, status=Membership.Status.APPLIED, joined_at=None)
    tie(first, second, datetime.date(2024, 2, 1), kind=Tie.Kind.MENTORING)
    tie(first, applicant, datetime.date(2024, 2, 1), kind=Tie.Kind.CO_MEMBERSHIP)

    panel = impact_panel(query=ImpactQuery(event="cooperative", kinds=("referral",), **WINDOW))

    firsts = {pk: group["first_treated"].iloc[0] for pk, group in panel.groupby("enterprise_id")}
    assert firsts == {first.pk: 4, second.pk: 7, applicant.pk: 0}
    # Degree uses the default kinds whatever `kinds` says: mentoring counts, co-membership not.
    assert list(rows_of(panel, first)["degree"])[:3] == [0, 1, 1]
    assert set(rows_of(panel, applicant)["degree"]) == {0}


@pytest.mark.django_db
def test_the_default_window_is_the_36_months_up_to_the_last_complete_month():
    EnterpriseFactory()
    this_month = timezone.localdate().replace(day=1)

    query = ImpactQuery()
    panel = impact_panel(query=query)

    start, end = query.months
    assert end == impact._month_add(this_month, -1)
    assert start == impact._month_add(end, -35)
    assert sorted(panel["period"].unique()) == list(range(1, 37))


def test_a_query_rejects_unknown_values():
    with pytest.raises(ValueError):
        ImpactQuery(event="party")
    with pytest.raises(ValueError):
        ImpactQuery(control_group="everyone")
    with pytest.raises(ValueError):
        ImpactQuery(kinds=("friendship",))
    with pytest.raises(ValueError):
        ImpactQuery(start=DEC_2024, end=JAN_2024)
    assert ImpactQuery(kinds=("referral", "referral")).kinds == ("referral",)


def test_the_cache_key_depends_on_every_filter():
    base = ImpactQuery(**WINDOW)
    variants = [ImpactQuery(event="cooperative", **WINDOW), ImpactQuery(kinds=("referral",),
                                                                        **WINDOW),
                ImpactQuery(control_group="never", **WINDOW), ImpactQuery(village="X", **WINDOW),
                ImpactQuery(cooperative_id=3, **WINDOW), ImpactQuery(sector="coffee", **WINDOW),
                ImpactQuery(start=datetime.date(2024, 2, 1), end=DEC_2024)]
    keys = {base.cache_key()} | {variant.cache_key() for variant in variants}
    assert len(keys) == len(variants) + 1
    assert ImpactQuery(village=" x ", **WINDOW).cache_key() == \
        ImpactQuery(village="X", **WINDOW).cache_key()
    assert " " not in base.cache_key() and len(base.cache_key()) < 100


def _economy(count: int, *, months: int = 24, effect: int = 200_000, seed: int = 11,
             start: datetime.date = JAN_2024) -> list:
    """`count` enterprises, two thirds tied in pairs at staggered months, with monthly income
    (40% marketplace, 60% self-reported) that rises by `effect` from each one's first tie."""
    rng = np.random.default_rng(seed)
    enterprises = [EnterpriseFactory() for _ in range(count)]
    treated = enterprises[: (count * 2 // 3) // 2 * 2]
    event = {}
    for index in range(0, len(treated), 2):
        month = int(rng.integers(4, months - 2))
        tie(treated[index], treated[index + 1],
            impact._month_add(start, month - 1) + datetime.timedelta(days=9))
        event[treated[index].pk] = event[treated[index + 1].pk] = month
    trend = np.cumsum(rng.normal(20_000, 10_000, months))
    records = []
    for enterprise in enterprises:
        level = rng.normal(2_000_000, 500_000)
        for period in range(1, months + 1):
            amount = level + trend[period - 1] + rng.normal(0, 50_000)
            if event.get(enterprise.pk) and period >= event[enterprise.pk]:
                amount += effect
            month = impact._month_add(start, period - 1)
            records += [
                IncomeRecord(enterprise=enterprise, month=month, amount=round(amount * 0.4),
                             source=IncomeRecord.Source.MARKETPLACE),
                IncomeRecord(enterprise=enterprise, month=month, amount=round(amount * 0.6),
                             source=IncomeRecord.Source.SELF_REPORTED),
            ]
    IncomeRecord.objects.bulk_create(records)
    return enterprises


ECONOMY_WINDOW = {"start": JAN_2024, "end": datetime.date(2025, 12, 1)}


@pytest.mark.django_db
def test_the_report_recovers_a_built_in_effect_with_everything_beside_it():
    _economy(36)
    with translation.override("en"):
        report = impact_report(query=ImpactQuery(**ECONOMY_WINDOW))

    assert report["status"] == "ok", report["reason"]
    assert report["ci_low"] < 200_000 < report["ci_high"]
    assert report["n_units"] == 36 and report["n_treated"] == 24 and report["n_periods"] == 24
    assert report["pretrend"] is not None
    assert any(row["e"] <= -3 for row in report["event_study"])
    # Marketplace sales are 40% of income, so their effect is about 80,000.
    marketplace = report["marketplace_only"]
    assert marketplace["status"] == "ok"
    assert marketplace["ci_low"] < 80_000 < marketplace["ci_high"]
    association = report["association"]
    assert association["slope"] > 0 and association["n_obs"] == 36 * 24
    assert "not an effect" in association["label"]
    assert set(association) == {"slope", "se", "ci_low", "ci_high", "n_obs", "label"}
    sizes = report["income_by_network_size"]
    assert sizes["months"][0] == "2024-01" and len(sizes["months"]) == 24
    assert [group["key"] for group in sizes["groups"]] == ["0", "1-2", "3-5", "6+"]
    assert sizes["groups"][3]["values"] == [None] * 24  # nobody has six ties
    assert sizes["groups"][0]["values"][0] is not None
    caveats = " ".join(report["caveats"])
    for words in ("chosen, not assigned", "parallel trends", "both ends", "self-reported",
                  "Sales on Guyub alone"):
        assert words in caveats
    assert "60%" in caveats  # the self-reported share
    assert report["filters"] == {"event": "tie", "kinds": list(DEFAULT_TIE_KINDS),
                                 "control_group": "notyet", "village": "", "cooperative_id": None,
                                 "sector": "", "start": "2024-01-01", "end": "2025-12-01"}
    json.dumps(report, allow_nan=False)


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_report_refuses_fewer_than_five_enterprises():
    for enterprise in _economy(SUPPRESS_BELOW - 1, seed=12):
        assert enterprise.pk

    report = impact_report(query=ImpactQuery(**ECONOMY_WINDOW))

    assert report["status"] == "refused"
    assert "privacy" in report["reason"]
    assert report["att"] is None and report["association"] is None
    assert report["income_by_network_size"] == {"months": [], "groups": []}
    assert report["marketplace_only"] is None and report["event_study"] == []


@pytest.mark.django_db
def test_the_report_on_no_enterprises_at_all_is_a_refusal():
    report = impact_report(query=ImpactQuery(**ECONOMY_WINDOW))

    assert report["status"] == "refused" and report["n_units"] == 0
    assert report["filters"]["start"] == "2024-01-01"


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_a_refused_estimate_still_shows_the_privacy_safe_figures():
    _economy(9, seed=13)  # six treated: too few for the estimate, enough to show groups

    report = impact_report(query=ImpactQuery(**ECONOMY_WINDOW))

    assert report["status"] == "refused" and "at least 10" in report["reason"]
    assert report["association"]["slope"] is not None
    assert report["income_by_network_size"]["months"]


def test_income_by_network_size_suppresses_groups_of_fewer_than_five():
    months = [JAN_2024, datetime.date(2024, 2, 1)]
    rows = []
    for enterprise in range(1, 10):
        for period, month in enumerate(months, start=1):
            # January: 5 without ties, 4 with one; February: 4 without, 5 with one.
            tied = enterprise > (5 if period == 1 else 4)
            rows.append({"enterprise_id": enterprise, "month": month, "period": period,
                         "income": 100 * enterprise, "degree": 1 if tied else 0})
    sizes = impact._income_by_network_size(pd.DataFrame(rows))

    values = {group["key"]: group["values"] for group in sizes["groups"]}
    assert sizes["months"] == ["2024-01", "2024-02"]
    assert values["0"] == [300.0, None]  # enterprises 1-5, then only four
    assert values["1-2"] == [None, 700.0]  # only four, then enterprises 5-9
    assert values["3-5"] == [None, None]


def _count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


@pytest.mark.django_db
def test_the_panel_takes_the_same_few_queries_for_few_and_many_enterprises():
    _economy(6, seed=14, months=8)
    few = _count_queries(lambda: impact_panel(query=ImpactQuery(**ECONOMY_WINDOW)))
    _economy(30, seed=15, months=8)
    many = _count_queries(lambda: impact_panel(query=ImpactQuery(**ECONOMY_WINDOW)))
    cooperative = _count_queries(lambda: impact_panel(query=ImpactQuery(
        event="cooperative", **ECONOMY_WINDOW)))

    assert few == many == 3  # enterprises, ties, income
    assert cooperative == 4  # and first joinings


@pytest.mark.django_db
def test_the_report_takes_the_same_few_queries_for_few_and_many_enterprises():
    _economy(6, seed=16, months=8)
    few = _count_queries(lambda: impact_report(query=ImpactQuery(**ECONOMY_WINDOW)))
    _economy(30, seed=17, months=8)
    many = _count_queries(lambda: impact_report(query=ImpactQuery(**ECONOMY_WINDOW)))

    assert few == many == 7  # the data version (4), then the panel (3)


@pytest.mark.django_db
def test_the_report_is_cached_until_the_data_changes():
    enterprises = _economy(24, seed=18)
    query = ImpactQuery(**ECONOMY_WINDOW)
    first = impact_report(query=query)

    cached = []
    assert _count_queries(lambda: cached.append(impact_report(query=query))) == 4
    assert cached[0] == first

    # An increment (QuerySet.update skips auto_now) is new data. (A rise in every month would
    # be absorbed by the enterprise's own level, so only the second year rises.)
    IncomeRecord.objects.filter(enterprise=enterprises[0], month__gte=datetime.date(2025, 1, 1)
                                ).update(amount=F("amount") + 5_000_000)
    after_income = impact_report(query=query)
    assert after_income["att"] != first["att"]

    tie(enterprises[-1], enterprises[-2], datetime.date(2025, 6, 3))
    after_tie = impact_report(query=query)
    assert after_tie["n_treated"] == after_income["n_treated"] + 2


@pytest.mark.django_db
def test_data_after_the_window_leaves_the_cached_report_alone():
    """Today's sales fall after the window (it ends with the last complete month), so a busy
    marketplace does not recompute the report on every page view."""
    enterprises = _economy(24, seed=18)
    query = ImpactQuery(**ECONOMY_WINDOW)
    impact_report(query=query)
    after_window = impact._month_add(query.months[1], 1)
    IncomeRecordFactory(enterprise=enterprises[0], month=after_window, amount=9_000_000)
    tie(enterprises[-1], enterprises[-2], after_window + datetime.timedelta(days=3))
    assert _count_queries(lambda: impact_report(query=query)) == 4


@pytest.mark.django_db
def test_the_cache_keeps_languages_apart():
    _economy(6, seed=19, months=8)
    query = ImpactQuery(**ECONOMY_WINDOW)
    with translation.override("en"):
        english = impact_report(query=query)
    with translation.override("id"):
        assert _count_queries(lambda: impact_report(query=query)) > 4  # computed again
    with translation.override("en"):
        assert impact_report(query=query) == english
