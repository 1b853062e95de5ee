"""Impact-estimate benchmark (issue 6): the Callaway and Sant'Anna estimate on a simulated panel of
10,000 enterprises x 36 months, the two-way fixed-effects association on the same panel, and
the platform report (panel from the database + both estimates + association) on 40 enterprises x
36 months and on the bench database's own income records when it has any.

Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/guyub_bench), creating and
migrating it if needed. The 40-enterprise economy is written inside a transaction that is rolled
back, so the database is left as it was. Prints the median of BENCH_RUNS (default 3) timed runs
after one warm-up, and the peak memory Python allocates during one estimate (tracemalloc, on a
separate run because tracing slows it down)."""

import datetime
import os
import statistics
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.bench.run import DEFAULT_URL, ensure_database, set_up_django  # noqa: E402

UNITS = 10_000
MONTHS = 36
EFFECT = 150_000.0
SMALL_ECONOMY = 40


def simulated_panel(*, units: int = UNITS, months: int = MONTHS, seed: int = 0):
    """Staggered first ties (70% of enterprises, months 4-34), a known effect on income, unit and
    month effects and noise; degree grows by one tie every few months after the first."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    first = rng.integers(4, months - 1, size=units)
    first[rng.random(units) < 0.3] = 0
    enterprise = np.repeat(np.arange(1, units + 1), months)
    period = np.tile(np.arange(1, months + 1), units)
    cohort = np.repeat(first, months)
    since = np.where(cohort > 0, period - cohort, -1)
    treated = since >= 0
    degree = np.where(treated, 1 + since // 6, 0)
    income = (rng.normal(2_000_000, 500_000, units)[enterprise - 1]
              + np.cumsum(rng.normal(20_000, 10_000, months))[period - 1]
              + EFFECT * treated + rng.normal(0, 100_000, units * months))
    return pd.DataFrame({"enterprise_id": enterprise, "period": period,
                         "income": income.round().astype("int64"), "first_treated": cohort,
                         "degree": degree})


def timed(function, *, runs: int) -> tuple[float, object]:
    result = function()  # warm-up: imports, caches
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def peak_megabytes(function) -> float:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def bench_simulated(runs: int) -> list[str]:
    from enterprises import impact

    panel = simulated_panel()
    lines = [f"Simulated panel: {UNITS:,} enterprises x {MONTHS} months = {len(panel):,} rows, "
             f"true effect {EFFECT:,.0f}"]
    for control_group in ("notyet", "never"):
        def fit(control_group=control_group):
            return impact.impact_estimate(panel=panel, unit="enterprise_id", time="period",
                                          outcome="income", first_treated="first_treated",
                                          control_group=control_group)
        seconds, result = timed(fit, runs=runs)
        lines.append(
            f"  impact_estimate control={control_group:<6} median {seconds:6.2f} s   "
            f"att {result['att']:>10,.0f} (95% {result['ci_low']:,.0f} .. "
            f"{result['ci_high']:,.0f}), se {result['se']:,.0f}, cohorts {result['n_cohorts']}, "
            f"event times {len(result['event_study'])}")
    peak = peak_megabytes(lambda: impact.impact_estimate(
        panel=panel, unit="enterprise_id", time="period", outcome="income",
        first_treated="first_treated"))
    lines.append(f"  peak Python memory of one estimate (tracemalloc): {peak:.0f} MB")
    seconds, association = timed(lambda: impact._association(panel), runs=runs)
    lines.append(f"  TWFE association (linearmodels PanelOLS, clustered) median {seconds:6.2f} s   "
                 f"slope {association['slope']:,.0f} per log(1 + ties), n {association['n_obs']:,}")
    seconds, _sizes = timed(lambda: impact._income_by_network_size(
        panel.assign(month=panel["period"].map(lambda p: impact._month_add(
            datetime.date(2023, 1, 1), p - 1)))), runs=runs)
    lines.append(f"  income by network size median {seconds:6.2f} s")
    return lines


class _RollBack(Exception):
    pass


def bench_small_economy(runs: int) -> list[str]:
    """impact_report on 40 enterprises x 36 months, written and rolled back in one transaction."""
    import numpy as np
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from enterprises import impact
    from enterprises.models import Enterprise, IncomeRecord, Region, Sector, Tie

    end = datetime.date(2031, 12, 1)  # far from real data
    start = impact._month_add(end, -(MONTHS - 1))
    lines = []
    try:
        with transaction.atomic():
            regency = Region.objects.filter(level=Region.Level.REGENCY).select_related(
                "parent").first()
            tag = uuid.uuid4().hex[:8]
            village = f"Desa Bench {tag}"
            enterprises = Enterprise.objects.bulk_create([
                Enterprise(name=f"Usaha bench {index}", slug=f"bench-impact-{tag}-{index}",
                           sector=Sector.FOOD, province=regency.parent, regency=regency,
                           village=village)
                for index in range(SMALL_ECONOMY)])
            enterprises.sort(key=lambda enterprise: enterprise.pk)
            rng = np.random.default_rng(1)
            events = {}
            ties = []
            for index in range(0, 26, 2):
                month = int(rng.integers(4, MONTHS - 2))
                a, b = enterprises[index], enterprises[index + 1]
                ties.append(Tie(kind=Tie.Kind.COLLABORATION, origin=Tie.Origin.EXPLICIT,
                                from_enterprise=a, to_enterprise=b,
                                started_on=impact._month_add(start, month - 1)))
                events[a.pk] = events[b.pk] = month
            Tie.objects.bulk_create(ties)
            records = []
            for enterprise in enterprises:
                level = rng.normal(2_000_000, 500_000)
                for period in range(1, MONTHS + 1):
                    amount = level + rng.normal(0, 80_000) + (
                        EFFECT if events.get(enterprise.pk, 99) <= period else 0)
                    month = impact._month_add(start, period - 1)
                    records += [IncomeRecord(enterprise=enterprise, month=month,
                                             amount=round(amount * 0.4),
                                             source=IncomeRecord.Source.MARKETPLACE),
                                IncomeRecord(enterprise=enterprise, month=month,
                                             amount=round(amount * 0.6),
                                             source=IncomeRecord.Source.SELF_REPORTED)]
            IncomeRecord.objects.bulk_create(records)
            query = impact.ImpactQuery(village=village, start=start, end=end)

            def uncached():
                cache.clear()
                return impact.impact_report(query=query)

            seconds, report = timed(uncached, runs=runs)
            with CaptureQueriesContext(connection) as queries:
                uncached()
            cached_seconds, _report = timed(lambda: impact.impact_report(query=query), runs=runs)
            panel_seconds, _panel = timed(lambda: impact.impact_panel(query=query), runs=runs)
            lines = [
                f"Platform report: {SMALL_ECONOMY} enterprises x {MONTHS} months "
                f"({len(records):,} income records, {len(ties)} ties; rolled back)",
                f"  impact_panel median {panel_seconds * 1000:7.0f} ms",
                f"  impact_report uncached median {seconds * 1000:7.0f} ms "
                f"({len(queries)} queries), cached {cached_seconds * 1000:5.1f} ms   "
                f"status {report['status']}, att {report['att'] or 0:,.0f} "
                f"(95% {report['ci_low'] or 0:,.0f} .. {report['ci_high'] or 0:,.0f}), "
                f"true {EFFECT:,.0f}",
            ]
            raise _RollBack
    except _RollBack:
        pass
    return lines


def bench_platform(runs: int) -> list[str]:
    from django.core.cache import cache

    from enterprises import impact
    from enterprises.models import Enterprise, IncomeRecord

    records = IncomeRecord.objects.count()
    if not records:
        return ["Bench database: no income records, so no platform-scale report "
                "(seed_demo with income, or the demo data of issue 6, would give one)."]
    query = impact.ImpactQuery()
    panel_seconds, panel = timed(lambda: impact.impact_panel(query=query), runs=runs)

    def uncached():
        cache.clear()
        return impact.impact_report(query=query)

    seconds, report = timed(uncached, runs=runs)
    return [
        f"Bench database: {Enterprise.objects.count():,} enterprises, {records:,} income records",
        f"  impact_panel (last 36 months) median {panel_seconds:6.2f} s, {len(panel):,} rows",
        f"  impact_report uncached median {seconds:6.2f} s, status {report['status']}",
    ]


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("BENCH_DATABASE_URL must point to PostgreSQL.", file=sys.stderr)
        return 2
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    ensure_database(url)
    set_up_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import resource

    lines = bench_simulated(runs) + bench_small_economy(runs) + bench_platform(runs)
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"Process peak resident memory: {max_rss:,.0f} MB "
                 f"(median of {runs} runs after a warm-up; in-process)")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
