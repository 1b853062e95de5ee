"""Benchmark: closing a bulk order with 1,000 commitments, on PostgreSQL.

Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/guyub_bench), creating the
database if missing and migrating it. Each run builds a fresh open order with 1,000 member
commitments (outside the timing), then times services.bulk_order_close: median of BENCH_RUNS
(default 5) runs, and the queries it issues. The benchmark's own cooperative, enterprises and
orders are deleted afterwards. Figures are printed and written to bench-results/bulk_orders.txt.

    .venv/bin/python tests/bench/bench_bulk_orders.py
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.run import BASE_DIR, DEFAULT_URL, ensure_database, set_up_django  # noqa: E402

COMMITMENTS = 1_000
SLUG = "bench-bulk-orders"


def remove_bench_data() -> None:
    from enterprises.models import Cooperative, Enterprise

    Cooperative.objects.filter(slug=SLUG).delete()  # cascades to its orders and memberships
    Enterprise.objects.filter(slug__startswith=f"{SLUG}-").delete()


def create_members():
    from django.utils import timezone

    from enterprises.models import Cooperative, Enterprise, Membership, Region

    remove_bench_data()  # left over from an interrupted run

    regency = Region.objects.filter(level=Region.Level.REGENCY).select_related("parent").first()
    cooperative = Cooperative.objects.create(name="Bench cooperative", slug=SLUG,
                                             regency=regency, province=regency.parent)
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"Bench member {n}", slug=f"{SLUG}-{n}", sector="food",
                   regency=regency, province=regency.parent)
        for n in range(COMMITMENTS)
    )
    Membership.objects.bulk_create(
        Membership(cooperative=cooperative, enterprise=enterprise, joined_at=timezone.now(),
                   status=Membership.Status.ACTIVE)
        for enterprise in enterprises
    )
    return cooperative, enterprises


def open_order(cooperative, enterprises, rng):
    from django.utils import timezone

    from marketplace.models import BulkOrder, Commitment

    order = BulkOrder.objects.create(
        cooperative=cooperative, title="Bench fertiliser", supplier_name="Bench supplier",
        package_size=50, price_per_unit=3000, min_packages=1,
        deadline=timezone.now() + timedelta(days=1),
    )
    Commitment.objects.bulk_create(
        Commitment(bulk_order=order, enterprise=enterprise, quantity=rng.randint(1, 80),
                   tolerance=rng.choice([0, 0, rng.randint(1, 30)]))
        for enterprise in enterprises
    )
    return order


def measure(runs: int) -> tuple[list[float], list[int], object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marketplace.services.bulk_orders import bulk_order_close

    rng = random.Random(3)
    cooperative, enterprises = create_members()
    timings, queries = [], []
    try:
        for _ in range(runs):
            order = open_order(cooperative, enterprises, rng)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                closed = bulk_order_close(bulk_order=order)
                timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
            allocated = sum(closed.commitments.values_list("allocated", flat=True))
            assert allocated == closed.packages_ordered * closed.package_size
    finally:
        remove_bench_data()
    return timings, queries, closed


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("BENCH_DATABASE_URL must point to PostgreSQL.", file=sys.stderr)
        return 2
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    ensure_database(url)
    set_up_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    timings, queries, closed = measure(runs)
    report = (
        f"Closing a bulk order with {COMMITMENTS:,} commitments (PostgreSQL, {runs} runs)\n"
        f"  median {statistics.median(timings):.1f} ms, "
        f"min {min(timings):.1f} ms, max {max(timings):.1f} ms\n"
        f"  queries per close: {statistics.median(queries):.0f}\n"
        f"  last run: {closed.packages_ordered} packages of {closed.package_size}, "
        f"status {closed.status}\n"
    )
    print(report)
    out = BASE_DIR / "bench-results" / "bulk_orders.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
