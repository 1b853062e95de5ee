"""Does a growing network raise income? The network-impact estimate (issue 6).

The headline is a staggered event study (Callaway and Sant'Anna 2021, via diff-diff): an
enterprise is "treated" from the month of its first tie of the chosen kinds (or of first joining a
cooperative), and its monthly income is compared with enterprises not yet, or never, treated,
cohort by cohort. Standard errors are clustered by enterprise. Beside it: a two-way fixed-effects
slope of income on log(1 + ties), which is an association and is labelled so, and mean income by
network size. Everything works on the platform's panel (`impact_panel`) and on any panel a
programme brings (`impact_estimate`, used by `manage.py impact_report --from-csv`).

Choices worth knowing:
- Base period "universal": every event-time estimate compares with the month just before the
  event (e = -1, shown as 0). With diff-diff's default "varying" base, pre-event estimates are
  month-on-month changes and the earliest month of the panel can never be one, so a cohort
  first treated in month g gives pre-event estimates back to e = -(g - 2) only; the universal
  base reaches e = -(g - 1), and the plot reads as a conventional event study (each point is the
  gap relative to the month before the event). Post-event estimates and the overall effect are
  the same under both.
- The overall effect is diff-diff's "simple" aggregation: the average over all treated
  enterprises and post-event months.
- Standard errors are clustered by enterprise (unit): CR1, with t(G - 1) intervals; see
  `_clustering`.
- The pre-trend test is a Wald test that all pre-event estimates in the plotted window
  (e = -EVENT_WINDOW .. -2) are zero, with their clustered covariance; chi-square reference.
- No covariates, so the outcome-regression, IPW and doubly-robust estimators coincide; "reg"
  is the quickest.
"""

import hashlib
import json
import math
import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.db_routers import reads_from_replica
from enterprises.models import Enterprise, IncomeRecord, Membership, Tie

DEFAULT_TIE_KINDS = ("referral", "supplier", "customer", "collaboration", "mentoring")
MIN_TREATED = 10          # refuse below this many treated enterprises
MIN_COHORTS = 2           # refuse below this many cohorts (distinct first-treated months)
SUPPRESS_BELOW = 5        # privacy: any group of fewer enterprises is suppressed in aggregates
MIN_PERIODS = 3           # at least two months before an event and one after, for some cohort
WINDOW_MONTHS = 36        # default window: the 36 months ending with `end`
EVENT_WINDOW = 12         # event times shown and tested: -12 .. +12 (farther ones rest on few
#                           cohorts; they still count in the overall effect)
CACHE_SECONDS = 15 * 60   # a backstop: the data version in the key catches most changes at once

EVENTS = ("tie", "cooperative")
CONTROL_GROUPS = {"notyet": "not_yet_treated", "never": "never_treated"}
# Degree groups for income by network size: key, lowest, highest (None: no upper bound).
DEGREE_GROUPS = (("0", 0, 0), ("1-2", 1, 2), ("3-5", 3, 5), ("6+", 6, None))
ALPHA = 0.05
Z_95 = 1.959963984540054


def _month_add(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _last_day(month: date) -> date:
    return _month_add(month, 1) - timedelta(days=1)


@dataclass(frozen=True)
class ImpactQuery:
    event: str = "tie"                 # "tie": first tie of `kinds`; "cooperative": first joined
    kinds: tuple[str, ...] = DEFAULT_TIE_KINDS
    control_group: str = "notyet"      # "notyet" | "never"
    village: str = ""                  # Enterprise.village, exact (case-insensitive)
    cooperative_id: int | None = None  # enterprises that were ever active members
    sector: str = ""                   # Enterprise.sector value
    start: date | None = None          # first month (day 1); None: 36 months ending at `end`
    end: date | None = None            # last month (day 1); None: the last complete month
    # Filled in by __post_init__: the window the defaults resolve to today.
    months: tuple[date, date] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.event not in EVENTS:
            raise ValueError(f"event must be one of {EVENTS}, not {self.event!r}")
        if self.control_group not in CONTROL_GROUPS:
            raise ValueError(f"control_group must be one of {tuple(CONTROL_GROUPS)}, "
                             f"not {self.control_group!r}")
        kinds = tuple(dict.fromkeys(self.kinds))
        unknown = set(kinds) - set(Tie.Kind.values)
        if not kinds or unknown:
            raise ValueError(f"unknown tie kinds: {sorted(unknown) or 'none given'}")
        object.__setattr__(self, "kinds", kinds)
        end = (self.end or _month_add(timezone.localdate().replace(day=1), -1)).replace(day=1)
        start = (self.start or _month_add(end, -(WINDOW_MONTHS - 1))).replace(day=1)
        if start >= end:
            raise ValueError("the first month must be before the last month")
        object.__setattr__(self, "months", (start, end))

    def cache_key(self) -> str:
        """The question, with its resolved window, as a short cache-safe key."""
        start, end = self.months
        question = {
            "event": self.event, "kinds": sorted(self.kinds), "control_group": self.control_group,
            "village": self.village.strip().lower(), "cooperative_id": self.cooperative_id,
            "sector": self.sector, "start": start.isoformat(), "end": end.isoformat(),
        }
        digest = hashlib.sha256(json.dumps(question, sort_keys=True).encode()).hexdigest()
        return f"impact:{digest[:40]}"

    def filters(self) -> dict:
        start, end = self.months
        return {"event": self.event, "kinds": list(self.kinds),
                "control_group": self.control_group, "village": self.village,
                "cooperative_id": self.cooperative_id, "sector": self.sector,
                "start": start.isoformat(), "end": end.isoformat()}


# --- The platform panel --------------------------------------------------------------------------


def _enterprises(query: ImpactQuery):
    enterprises = Enterprise.objects.filter(is_active=True)
    if query.village.strip():
        enterprises = enterprises.filter(village__iexact=query.village.strip())
    if query.sector:
        enterprises = enterprises.filter(sector=query.sector)
    if query.cooperative_id is not None:
        members = Membership.objects.filter(
            cooperative_id=query.cooperative_id, joined_at__isnull=False,
            status__in=[Membership.Status.ACTIVE, Membership.Status.LEFT],
        ).values("enterprise_id")
        enterprises = enterprises.filter(pk__in=members)
    return enterprises.order_by("pk")


def _open_intervals(ends: pd.DataFrame, *, start: date, periods: int) -> pd.DataFrame:
    """Per (enterprise, partner): the periods [first, stop) in which at least one tie between
    them was open at the end of the month (several kinds between one pair count once), as
    0-based period indexes clipped to the window."""
    base = _month_index(start)
    started = ends["started_on"].map(lambda day: _month_index(day) - base)
    # A tie ended on day d is not open at the end of d's month.
    stopped = ends["ended_on"].map(
        lambda day: periods if day is None or pd.isna(day) else _month_index(day) - base)
    spans = pd.DataFrame({
        "enterprise": ends["enterprise"].to_numpy(), "partner": ends["partner"].to_numpy(),
        "first": np.clip(started.to_numpy(dtype=np.int64), 0, periods),
        "stop": np.clip(stopped.to_numpy(dtype=np.int64), 0, periods),
    })
    spans = spans[spans["stop"] > spans["first"]]
    if spans.empty:
        return spans
    spans = spans.sort_values(["enterprise", "partner", "first"], ignore_index=True)
    pair = spans.groupby(["enterprise", "partner"], sort=False)
    reach = pair["stop"].cummax()
    previous_reach = reach.groupby([spans["enterprise"], spans["partner"]]).shift()
    new_span = previous_reach.isna() | (spans["first"] > previous_reach)
    spans["span"] = new_span.cumsum()
    return spans.groupby("span").agg(enterprise=("enterprise", "first"),
                                      first=("first", "min"), stop=("stop", "max"))


@reads_from_replica()
def impact_panel(*, query: ImpactQuery) -> pd.DataFrame:
    """One row per active enterprise per month of the window, balanced, missing income = 0.

    Columns: enterprise_id, month (date, day 1), period (1..T), income (all sources),
    income_marketplace, first_treated (period of the event, 0 = none in the window), degree
    (distinct partners through ties open at the end of the month), village, sector.
    Dropped: enterprises treated at or before the first month, and treated enterprises with no
    income recorded (any source) before their event, which have nothing to compare with (e.g. an
    enterprise referred when it signed up, whose income starts with the tie). The counts are in
    `panel.attrs["dropped"]`. Four queries whatever the number of enterprises, on the read
    replica when there is one (cms.db_routers)."""
    start, end = query.months
    months = [_month_add(start, offset) for offset in range(_month_index(end) - _month_index(start)
                                                            + 1)]
    periods = len(months)
    enterprises = _enterprises(query)
    rows = list(enterprises.values_list("pk", "village", "sector"))
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    position = {pk: index for index, pk in enumerate(ids.tolist())}
    count = len(ids)
    in_set = enterprises.values("pk")

    # Ties (either end in the set), the network at each month's end and the tie event.
    tie_kinds = query.kinds if query.event == "tie" else DEFAULT_TIE_KINDS
    ties = pd.DataFrame(
        list(Tie.objects.filter(kind__in=tie_kinds, to_enterprise__isnull=False,
                                started_on__lte=_last_day(end))
             .filter(Q(from_enterprise__in=in_set) | Q(to_enterprise__in=in_set))
             .values_list("from_enterprise_id", "to_enterprise_id", "started_on", "ended_on")),
        columns=["a", "b", "started_on", "ended_on"],
    )
    ends = pd.concat([
        ties.rename(columns={"a": "enterprise", "b": "partner"}),
        ties.rename(columns={"b": "enterprise", "a": "partner"}),
    ], ignore_index=True)
    ends = ends[ends["enterprise"].isin(position)]
    degree = np.zeros((count, periods + 1), dtype=np.int64)
    spans = _open_intervals(ends, start=start, periods=periods) if len(ends) else pd.DataFrame()
    if len(spans):
        rows_of = spans["enterprise"].map(position).to_numpy()
        np.add.at(degree, (rows_of, spans["first"].to_numpy()), 1)
        np.add.at(degree, (rows_of, spans["stop"].to_numpy()), -1)
    degree = degree.cumsum(axis=1)[:, :periods]

    if query.event == "tie":
        firsts = ends.groupby("enterprise")["started_on"].min() if len(ends) else pd.Series()
        event_month = {pk: day for pk, day in firsts.items()}
    else:
        joined = (Membership.objects.filter(
            enterprise__in=in_set, joined_at__isnull=False,
            status__in=[Membership.Status.ACTIVE, Membership.Status.LEFT])
            .values("enterprise_id").annotate(first=Min("joined_at"))
            .values_list("enterprise_id", "first"))
        event_month = {pk: timezone.localtime(moment).date() for pk, moment in joined}

    # Income by source.
    income = np.zeros((count, periods), dtype=np.int64)
    marketplace = np.zeros((count, periods), dtype=np.int64)
    recorded = np.zeros((count, periods), dtype=bool)
    records = list(IncomeRecord.objects.filter(enterprise__in=in_set, month__gte=start,
                                               month__lte=end)
                   .values_list("enterprise_id", "month", "source", "amount"))
    base = _month_index(start)
    by_source: dict[str, int] = {}
    if records:
        frame = pd.DataFrame(records, columns=["enterprise", "month", "source", "amount"])
        frame = frame[frame["enterprise"].isin(position)]
        row_of = frame["enterprise"].map(position).to_numpy()
        column_of = frame["month"].map(_month_index).to_numpy() - base
        amounts = frame["amount"].to_numpy(dtype=np.int64)
        np.add.at(income, (row_of, column_of), amounts)
        is_market = (frame["source"] == IncomeRecord.Source.MARKETPLACE).to_numpy()
        np.add.at(marketplace, (row_of[is_market], column_of[is_market]), amounts[is_market])
        recorded[row_of, column_of] = True
        by_source = {str(key): int(value)
                     for key, value in frame.groupby("source")["amount"].sum().items()}

    first_treated = np.zeros(count, dtype=np.int64)
    before_window = np.zeros(count, dtype=bool)
    for pk, day in event_month.items():
        if pk in position:
            offset = _month_index(day) - base
            if offset <= 0:
                before_window[position[pk]] = True
            elif offset < periods:  # events after the window are no event in it
                first_treated[position[pk]] = offset + 1
    no_history = np.zeros(count, dtype=bool)
    for index in np.flatnonzero(first_treated > 1):
        no_history[index] = not recorded[index, : first_treated[index] - 1].any()
    keep = ~(before_window | no_history)

    kept = np.flatnonzero(keep)
    panel = pd.DataFrame({
        "enterprise_id": np.repeat(ids[kept], periods),
        "month": np.tile(np.array(months, dtype=object), len(kept)),
        "period": np.tile(np.arange(1, periods + 1, dtype=np.int64), len(kept)),
        "income": income[kept].reshape(-1),
        "income_marketplace": marketplace[kept].reshape(-1),
        "first_treated": np.repeat(first_treated[kept], periods),
        "degree": degree[kept].reshape(-1),
        "village": np.repeat(np.array([rows[i][1] for i in kept], dtype=object), periods),
        "sector": np.repeat(np.array([rows[i][2] for i in kept], dtype=object), periods),
    })
    panel.attrs["dropped"] = {"treated_before_window": int(before_window.sum()),
                              "no_income_before_event": int(no_history.sum())}
    panel.attrs["income_by_source"] = by_source
    return panel


# --- The estimator -------------------------------------------------------------------------------


def _float(value) -> float | None:
    """A JSON-able float: None for missing, NaN or infinite."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _refusal(reason: str, **counts) -> dict:
    result = {
        "status": "refused", "reason": reason,
        "att": None, "se": None, "ci_low": None, "ci_high": None,
        "pre_mean": None, "pct_of_pre_mean": None,
        "n_units": 0, "n_treated": 0, "n_cohorts": 0, "n_periods": 0,
        "n_comparison": 0, "n_dropped_always_treated": 0,
        "control_group": "notyet", "event_study": [], "event_study_suppressed": 0,
        "pretrend": None, "caveats": [], "warnings": [],
    }
    result.update(counts)
    return result


def _wald(effects: list[float], vcov: np.ndarray, *, clusters: int) -> dict | None:
    """F test that all `effects` are zero: the Wald statistic W with the small-sample correction
    for G clusters, F = W (G - k) / (k (G - 1)) against F(k, G - k). With 11 leads and 48
    enterprises the plain chi-square rejects about twice as often as it should. None when the
    covariance is not usable (a singular block happens when the tested leads outnumber what the
    clusters identify) or there are too few clusters."""
    k = len(effects)
    if not k or clusters - k < 1 or not np.isfinite(vcov).all():
        return None
    beta = np.asarray(effects, dtype=float)
    matrix = 0.5 * (vcov + vcov.T)
    if np.linalg.matrix_rank(matrix) < k:
        return None
    wald = float(beta @ np.linalg.solve(matrix, beta))
    if not math.isfinite(wald) or wald < 0:
        return None
    from scipy.stats import f

    statistic = wald * (clusters - k) / (k * (clusters - 1))
    return {"statistic": statistic, "df": k, "df_denominator": clusters - k,
            "p_value": float(f.sf(statistic, k, clusters - k))}


def _pretrend_words(pretrend: dict | None) -> str:
    if pretrend is None:
        return _("There were too few months before the events to test this.")
    if pretrend["p_value"] < ALPHA:
        return _("The pre-trend test found a difference before the event (p = %(p)s): the "
                 "groups were already drifting apart, so read the estimate with care."
                 ) % {"p": f"{pretrend['p_value']:.3f}"}
    return _("The pre-trend test found no clear difference before the event (p = %(p)s), which "
             "supports this but cannot prove it.") % {"p": f"{pretrend['p_value']:.3f}"}


def _treated_by_event_time(results) -> dict[int, int]:
    """Treated units behind each event time: the sum over the cohorts estimated at that
    distance from their event (group-time cells with an estimate) of the cohort's size."""
    counts: dict[int, int] = {}
    for (group, period), cell in (getattr(results, "group_time_effects", None) or {}).items():
        if _float(cell.get("effect")) is None:
            continue
        e = int(period) - int(group)
        counts[e] = counts.get(e, 0) + int(cell.get("n_treated") or 0)
    return counts


def _estimator(*, control_group: str):
    """The configured Callaway and Sant'Anna estimator (see the module docstring)."""
    from diff_diff import CallawaySantAnna

    return CallawaySantAnna(control_group=CONTROL_GROUPS[control_group], base_period="universal",
                            estimation_method="reg", alpha=ALPHA)


def _clustering(units: int) -> tuple[float, float]:
    """The CR1 factor on the variance, G / (G - 1), and the two-sided 95% critical value of
    t(G - 1), for G clusters (enterprises). diff-diff's analytic variance already sums each
    unit's influence function over all its periods, i.e. it is clustered by unit; these two are
    exactly what its cluster=unit option adds (a test checks the numbers are the same), applied
    here because that option costs a pandas group-by per group-time cell, 3 to 7 times the whole
    fit on a 36-month panel."""
    from scipy.stats import t as student

    return units / (units - 1), float(student.ppf(1 - ALPHA / 2, units - 1))


def impact_estimate(*, panel: pd.DataFrame, unit: str, time: str, outcome: str,
                    first_treated: str, control_group: str = "notyet") -> dict:
    """Callaway and Sant'Anna's staggered event study of `outcome` on any panel (one row per unit
    and time; `first_treated` is the time of the unit's event, 0 for never). Returns a JSON-able
    dict (see the module contract); refuses with a reason when the panel cannot support an
    estimate. Raises ValueError for a malformed panel (missing columns, non-numeric values,
    duplicate unit-time rows, an event time that changes within a unit)."""
    return _estimate(panel=panel, unit=unit, time=time, outcome=outcome,
                     first_treated=first_treated, control_group=control_group, platform=False)


def _estimate(*, panel: pd.DataFrame, unit: str, time: str, outcome: str, first_treated: str,
              control_group: str, platform: bool) -> dict:
    if control_group not in CONTROL_GROUPS:
        raise ValueError(f"control_group must be one of {tuple(CONTROL_GROUPS)}")
    columns = [unit, time, outcome, first_treated]
    missing = [name for name in dict.fromkeys(columns) if name not in panel.columns]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")
    data = panel[list(dict.fromkeys(columns))].copy()
    for name in (time, outcome, first_treated):
        data[name] = pd.to_numeric(data[name], errors="raise")
        if not np.isfinite(data[name].to_numpy(dtype=float)).all():
            raise ValueError(f"column {name} has missing or infinite values")
    if data.duplicated([unit, time]).any():
        raise ValueError("more than one row for the same unit and time")
    if (data.groupby(unit)[first_treated].nunique() > 1).any():
        raise ValueError(f"{first_treated} changes within a unit")

    times = np.sort(data[time].unique())
    # Units first treated after the last time are untreated within the panel (as in R's did).
    data.loc[data[first_treated] > times[-1], first_treated] = 0
    always = data[(data[first_treated] > 0) & (data[first_treated] <= times[0])][unit].unique()
    data = data[~data[unit].isin(always)]
    firsts = data.groupby(unit)[first_treated].first()
    treated = firsts[firsts > 0]
    cohorts = np.sort(treated.unique())
    never = int((firsts == 0).sum())
    comparison = never if control_group == "never" else never + int(
        (treated > cohorts.min()).sum() if len(cohorts) else 0)
    counts = {
        "n_units": int(len(firsts)), "n_treated": int(len(treated)),
        "n_cohorts": int(len(cohorts)), "n_periods": int(len(times)),
        "n_comparison": comparison, "n_dropped_always_treated": int(len(always)),
        "control_group": control_group,
    }
    if len(times) < MIN_PERIODS:
        return _refusal(_("The panel has %(count)s periods; the estimate needs at least "
                          "%(minimum)s.") % {"count": len(times), "minimum": MIN_PERIODS},
                        **counts)
    if len(treated) < MIN_TREATED:
        text = (_("Only %(count)s enterprises had the event in this window; the estimate needs "
                  "at least %(minimum)s.") if platform else
                _("Only %(count)s units had the event in this panel; the estimate needs at least "
                  "%(minimum)s."))
        return _refusal(text % {"count": len(treated), "minimum": MIN_TREATED}, **counts)
    if len(cohorts) < MIN_COHORTS:
        return _refusal(_("The events fall in %(count)s period(s); the estimate needs at least "
                          "%(minimum)s different periods to separate the event from the calendar."
                          ) % {"count": len(cohorts), "minimum": MIN_COHORTS}, **counts)
    if comparison == 0:
        reason = (_("None went without the event, so there is nobody to compare with. Try the "
                    "not-yet-treated comparison.") if control_group == "never"
                  else _("There is nobody to compare with: all had the event in the same period "
                         "or earlier."))
        return _refusal(reason, **counts)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = _estimator(control_group=control_group).fit(
            data, outcome=outcome, unit=unit, time=time, first_treat=first_treated)
        event_study = results.aggregate("event_study")
    notes = list(dict.fromkeys(str(warning.message).splitlines()[0] for warning in caught))

    variance_factor, critical = _clustering(counts["n_units"])
    scale = math.sqrt(variance_factor)
    att, se = _float(results.overall_att), _float(results.overall_se)
    if att is None or se is None:
        return _refusal(_("The comparison could not be made: no cohort had comparison "
                          "enterprises in the months after its event."),
                        **counts, warnings=notes)
    rows = []
    pre_effects, pre_labels = [], []
    treated_at = _treated_by_event_time(results)
    suppressed = 0
    table = event_study.to_dataframe()
    for row in table.itertuples(index=False):
        e = int(row.event_time)
        if abs(e) > EVENT_WINDOW:
            continue
        if bool(row.is_reference):
            rows.append({"e": e, "att": 0.0, "se": 0.0, "ci_low": 0.0, "ci_high": 0.0,
                         "n_cohorts": 0, "n_treated": 0, "reference": True})
            continue
        estimate, row_se = _float(row.att), _float(row.se)
        if estimate is None or row_se is None:
            continue
        if e < -1:  # tested whether shown or not: the test is one figure over all of them
            pre_effects.append(estimate)
            pre_labels.append(e)
        if platform and treated_at.get(e, 0) < SUPPRESS_BELOW:
            # Privacy: a month this far from the event that fewer than five enterprises
            # reached is an average of their income changes; it is not shown.
            suppressed += 1
            continue
        row_se *= scale
        margin = critical * row_se
        rows.append({"e": e, "att": estimate, "se": row_se,
                     "ci_low": estimate - margin, "ci_high": estimate + margin,
                     "n_cohorts": int(row.n) if _float(row.n) is not None else 0,
                     "n_treated": treated_at.get(e, 0), "reference": False})
    pretrend = None
    if pre_labels and event_study.vcov is not None:
        index = {int(label): position for position, label in enumerate(event_study.vcov_index)}
        if all(label in index for label in pre_labels):
            picks = [index[label] for label in pre_labels]
            pretrend = _wald(pre_effects, variance_factor
                             * np.asarray(event_study.vcov)[np.ix_(picks, picks)],
                             clusters=counts["n_units"])

    pre_rows = data[(data[first_treated] > 0) & (data[time] < data[first_treated])]
    pre_mean = _float(pre_rows[outcome].mean()) if len(pre_rows) else None
    se *= scale
    result = {
        "status": "ok", "reason": "",
        "att": att, "se": se, "ci_low": att - critical * se, "ci_high": att + critical * se,
        "pre_mean": pre_mean,
        "pct_of_pre_mean": (att / pre_mean * 100) if pre_mean else None,
        **counts,
        "event_study": rows, "event_study_suppressed": suppressed, "pretrend": pretrend,
        "caveats": [
            _("The event was not assigned at random: units that had it may differ from the others "
              "in ways that also change the outcome."),
            _("The comparison rests on parallel trends: without the event, both groups would have "
              "moved alike.") + " " + _pretrend_words(pretrend),
        ],
        "warnings": notes,
    }
    if len(data) != counts["n_units"] * counts["n_periods"]:
        result["caveats"].append(_("The panel is not balanced: some units miss some periods."))
    return result


# --- The platform report -------------------------------------------------------------------------


def _association(panel: pd.DataFrame) -> dict:
    """Two-way fixed-effects slope of monthly income on log(1 + degree), clustered by
    enterprise: within an enterprise over time, net of the month's platform-wide level."""
    label = _("Association, not an effect: how an enterprise's monthly income moved with "
              "log(1 + its number of ties), compared with its own other months and with other "
              "enterprises in the same month. Ties and income may both follow something else.")
    empty = {"slope": None, "se": None, "ci_low": None, "ci_high": None,
             "n_obs": int(len(panel)), "label": label}
    data = panel.set_index(["enterprise_id", "period"])
    log_degree = np.log1p(data["degree"].astype(float)).rename("log_degree")
    if data.index.get_level_values(0).nunique() < 2 or \
            (log_degree.groupby(level=0).nunique() > 1).sum() == 0:
        return empty
    from linearmodels.panel import PanelOLS

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = PanelOLS(data["income"].astype(float), log_degree.to_frame(),
                           entity_effects=True, time_effects=True).fit(
                cov_type="clustered", cluster_entity=True, use_lsmr=True)
    except Exception:  # noqa: BLE001 - absorbed or singular: no slope, said so by the Nones
        return empty
    slope, se = _float(fit.params["log_degree"]), _float(fit.std_errors["log_degree"])
    if slope is None or se is None:
        return empty
    return {"slope": slope, "se": se, "ci_low": slope - Z_95 * se, "ci_high": slope + Z_95 * se,
            "n_obs": int(fit.nobs), "label": label}


def _degree_group_labels() -> dict[str, str]:
    return {"0": _("No ties"), "1-2": _("1-2 ties"), "3-5": _("3-5 ties"),
            "6+": _("6 or more ties")}


def _income_by_network_size(panel: pd.DataFrame) -> dict:
    months = sorted(panel["month"].unique())
    labels = _degree_group_labels()
    groups = []
    for key, lowest, highest in DEGREE_GROUPS:
        members = panel[(panel["degree"] >= lowest)
                        & ((panel["degree"] <= highest) if highest is not None else True)]
        stats = members.groupby("month")["income"].agg(["mean", "count"])
        values = []
        for month in months:
            if month in stats.index and stats.at[month, "count"] >= SUPPRESS_BELOW:
                values.append(_float(stats.at[month, "mean"]))
            else:
                values.append(None)
        groups.append({"key": key, "label": labels[key], "values": values})
    return {"months": [f"{month:%Y-%m}" for month in months], "groups": groups}


def _rupiah(value: float) -> str:
    amount = round(value)
    text = "Rp " + f"{abs(amount):,}".replace(",", ".")
    return f"-{text}" if amount < 0 else text


def _platform_caveats(*, query: ImpactQuery, estimate: dict, marketplace: dict,
                      by_source: dict) -> list[str]:
    chosen = (_("Joining a cooperative is chosen, not assigned: enterprises that join may differ "
                "from others in ways that also raise income (ambition, a growing market).")
              if query.event == "cooperative" else
              _("Ties are chosen, not assigned: enterprises that seek ties may differ from others "
                "in ways that also raise income (ambition, a growing market)."))
    caveats = [
        chosen,
        _("The comparison rests on parallel trends: without the event, the incomes of enterprises "
          "with and without it would have moved alike.") + " "
        + _pretrend_words(estimate.get("pretrend")),
        _("A tie can affect both ends: when an enterprise in the comparison group is the other "
          "end of a tie, or loses customers to it, the comparison is off (spillovers)."),
    ]
    total = sum(by_source.values())
    reported = total - by_source.get(IncomeRecord.Source.MARKETPLACE, 0)
    if total > 0:
        caveats.append(_("Income is partly self-reported: %(share)s%% of the income in this window "
                         "was reported by the enterprises or imported by a programme, not "
                         "recorded from sales on Guyub, and has not been checked."
                         ) % {"share": round(100 * reported / total)})
    else:
        caveats.append(_("Income is partly self-reported: no income is recorded in this window."))
    if estimate.get("event_study_suppressed"):
        caveats.append(_("Months before or after the event that fewer than %(minimum)s "
                         "enterprises reached are left out of the event-time plot, to protect "
                         "their privacy; they still count in the average effect."
                         ) % {"minimum": SUPPRESS_BELOW})
    if marketplace.get("status") == "ok":
        caveats.append(_("Sales on Guyub alone, which are recorded automatically, give an effect "
                         "of %(att)s a month (95%% interval %(low)s to %(high)s).") % {
            "att": _rupiah(marketplace["att"]), "low": _rupiah(marketplace["ci_low"]),
            "high": _rupiah(marketplace["ci_high"])})
    else:
        caveats.append(_("Sales on Guyub alone could not be estimated: %(reason)s"
                         ) % {"reason": marketplace.get("reason", "")})
    return caveats


def _data_version(query: ImpactQuery) -> str:
    """Changes whenever income, ties, enterprises or memberships the window can see change
    (counts, sums and the latest times: QuerySet.update() skips auto_now, hence the sums).
    The window ends with the last complete month, so today's sales leave the cache alone."""
    start, end = query.months
    last_day = _last_day(end)
    parts = [
        IncomeRecord.objects.filter(month__range=(start, end)).aggregate(
            n=Count("pk"), t=Max("updated_at"), s=Sum("amount")),
        Tie.objects.filter(started_on__lte=last_day).aggregate(
            n=Count("pk"), t=Max("created_at"), a=Min("started_on"), b=Max("started_on"),
            e=Count("ended_on"), f=Max("ended_on")),
        Enterprise.objects.aggregate(n=Count("pk"), a=Count("pk", filter=Q(is_active=True))),
        Membership.objects.filter(joined_at__date__lte=last_day).aggregate(
            n=Count("pk"), j=Max("joined_at"), left=Max("left_at"),
            a=Count("pk", filter=Q(status=Membership.Status.ACTIVE))),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _refused_report(query: ImpactQuery, reason: str, **extra) -> dict:
    report = _refusal(reason, control_group=query.control_group)
    report.update({
        "association": None, "marketplace_only": None,
        "income_by_network_size": {"months": [], "groups": []},
        "filters": query.filters(), "dropped": {},
    })
    report.update(extra)
    return report


@reads_from_replica()
def impact_report(*, query: ImpactQuery) -> dict:
    """The impact estimate on the platform's panel (outcome: all income), with the marketplace-only
    estimate, the association, income by network size and the caveats. Cached by the question,
    the language and a version of the data. The version and the panel both come from the read
    replica when there is one: a version read from the primary could key a report computed from
    older replica data, and keep it for CACHE_SECONDS."""
    key = f"{query.cache_key()}:{translation.get_language() or ''}:{_data_version(query)}"
    report = cache.get(key)
    if report is None:
        report = _impact_report(query)
        cache.set(key, report, CACHE_SECONDS)
    return report


def _impact_report(query: ImpactQuery) -> dict:
    panel = impact_panel(query=query)
    enterprises = int(panel["enterprise_id"].nunique()) if len(panel) else 0
    dropped = dict(panel.attrs.get("dropped", {}))
    if enterprises < SUPPRESS_BELOW:
        return _refused_report(
            query, _("Fewer than %(minimum)s enterprises match these filters; their income is not "
                     "shown, to protect their privacy.") % {"minimum": SUPPRESS_BELOW},
            dropped=dropped)
    arguments = {"panel": panel, "unit": "enterprise_id", "time": "period",
                 "first_treated": "first_treated", "control_group": query.control_group}
    estimate = _estimate(outcome="income", platform=True, **arguments)
    marketplace = _estimate(outcome="income_marketplace", platform=True, **arguments)
    report = dict(estimate)
    report.update({
        "caveats": _platform_caveats(query=query, estimate=estimate, marketplace=marketplace,
                                     by_source=panel.attrs.get("income_by_source", {})),
        "association": _association(panel),
        "marketplace_only": marketplace,
        "income_by_network_size": _income_by_network_size(panel),
        "filters": query.filters(),
        "dropped": dropped,
    })
    return report


__all__ = [
    "CONTROL_GROUPS", "DEFAULT_TIE_KINDS", "EVENT_WINDOW", "EVENTS", "MIN_COHORTS", "MIN_PERIODS",
    "MIN_TREATED", "SUPPRESS_BELOW", "ImpactQuery", "impact_estimate", "impact_panel",
    "impact_report",
]
