"""Booking benchmark on PostgreSQL: booking_create against 10,000 bookings of one resource.

Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/guyub_bench), migrates it,
gives one resource of a bench cooperative 10,000 confirmed one-hour bookings (every other hour),
then times booking_create into the free hours between them (the new slot touches a booking on
both sides) and into taken hours (refused), reporting median and 95th percentile in ms. The
bookings made while timing are deleted again, so runs are repeatable.

BENCH_BOOKINGS (default 200) sets the timed bookings per case."""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.bench.run import DEFAULT_URL, ensure_database, set_up_django  # noqa: E402

EXISTING = 10_000
SLUG = "bench-bookings"
# Far from today, so the benchmark's bookings never meet real ones.
BASE = datetime.datetime(2031, 1, 6, 6, tzinfo=datetime.UTC)


def slot(index: int) -> tuple[datetime.datetime, datetime.datetime]:
    starts = BASE + datetime.timedelta(hours=index)
    return starts, starts + datetime.timedelta(hours=1)


def prepare():
    """The bench cooperative, a member (user, enterprise) and a resource with 10,000 bookings."""
    from django.core.management import call_command
    from django.db import connection

    from enterprises.models import Booking, Cooperative, SharedResource
    from tests.factories import CooperativeFactory, MembershipFactory, seller

    call_command("migrate", verbosity=0)
    cooperative = Cooperative.objects.filter(slug=SLUG).first() or CooperativeFactory(
        slug=SLUG, name="Koperasi Benchmark"
    )
    membership = cooperative.memberships.filter(enterprise__memberships__isnull=False).first()
    if membership is None:
        user, enterprise = seller(slug=f"{SLUG}-member", name="Usaha Benchmark")
        MembershipFactory(cooperative=cooperative, enterprise=enterprise)
    else:
        enterprise = membership.enterprise
        user = enterprise.memberships.first().user
    resource, _ = SharedResource.objects.get_or_create(
        cooperative=cooperative, name="Huller benchmark",
        defaults={"kind": SharedResource.Kind.EQUIPMENT, "cost_per_use": 10_000,
                  "cost_per_hour": 25_000},
    )
    have = resource.bookings.filter(status=Booking.Status.CONFIRMED).count()
    if have < EXISTING:
        Booking.objects.bulk_create(
            [Booking(resource=resource, enterprise=enterprise, starts_at=slot(2 * k)[0],
                     ends_at=slot(2 * k)[1], cost=35_000) for k in range(have, EXISTING)],
            batch_size=2_000,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE enterprises_booking")
    return user, enterprise, resource


def time_case(*, resource, enterprise, user, indexes, expect_refusal: bool) -> list[float]:
    from django.core.exceptions import ValidationError

    from enterprises.services.bookings import booking_create

    timings, made = [], []
    for index in indexes:
        starts, ends = slot(index)
        started = time.perf_counter()
        try:
            made.append(booking_create(resource=resource, enterprise=enterprise, user=user,
                                       starts_at=starts, ends_at=ends))
        except ValidationError:
            if not expect_refusal:
                raise
        timings.append((time.perf_counter() - started) * 1000)
    assert (not made) if expect_refusal else len(made) == len(indexes)
    for booking in made:
        booking.delete()
    return timings


def summary(label: str, timings: list[float]) -> str:
    p95 = statistics.quantiles(timings, n=20)[-1]
    return (f"{label:<44} n={len(timings):>4}  median {statistics.median(timings):6.2f} ms"
            f"  p95 {p95:6.2f} ms")


def explain_overlap(resource) -> str:
    from django.db import connection

    _starts, ends = slot(2 * EXISTING - 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN ANALYZE SELECT ends_at FROM enterprises_booking WHERE resource_id = %s "
            "AND status = 'confirmed' AND starts_at < %s ORDER BY starts_at DESC LIMIT 1",
            [resource.pk, ends],
        )
        return "\n".join(f"    {row[0]}" for row in cursor.fetchall())


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("BENCH_DATABASE_URL must point to PostgreSQL.", file=sys.stderr)
        return 2
    runs = int(os.environ.get("BENCH_BOOKINGS", "200"))
    ensure_database(url)
    set_up_django(url)
    user, enterprise, resource = prepare()
    # Spread over the whole range: early, middle and late slots cost the same with the index.
    step = max(1, EXISTING // runs)
    free = [2 * k + 1 for k in range(0, EXISTING - 1, step)][:runs]
    taken = [2 * k for k in range(0, EXISTING, step)][:runs]
    kwargs = {"resource": resource, "enterprise": enterprise, "user": user}
    time_case(indexes=free[:5], expect_refusal=False, **kwargs)  # warm-up
    lines = [
        f"booking_create against {resource.bookings.count():,} bookings of one resource "
        f"(PostgreSQL, in-process)",
        summary("free slot between two bookings (created)",
                time_case(indexes=free, expect_refusal=False, **kwargs)),
        summary("taken slot (refused: already booked)",
                time_case(indexes=taken, expect_refusal=True, **kwargs)),
        "EXPLAIN ANALYZE of the overlap check:",
        explain_overlap(resource),
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
