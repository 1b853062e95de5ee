"""Network metrics benchmark on PostgreSQL: 100,000 enterprises and 1,000,000 ties.

Uses NETWORK_BENCH_DATABASE_URL, by default the BENCH_DATABASE_URL server (default
postgres://postgres@127.0.0.1:5432/guyub_bench) with its own database, guyub_bench_network: a
network this size next to the catalogue data would change the other benchmarks' figures (the
impact estimate reads every active enterprise). The database is created and migrated if
missing, and filled once, in bulk (COPY), with a synthetic economy: 2,000 villages of 50
enterprises, 20 villages to a regency; 70% of ties within the village, 20% to another village
of the same regency, 10% anywhere; 1,000 cooperatives of about 40% of two villages' enterprises
(some enterprises in a second one); 1,000,000 open ties of every kind and 20,000 ended ones.

Then network_metrics_compute runs end to end in a fresh process for each betweenness sample
count (BENCH_NETWORK_SAMPLES, default "32,64"), printing the time by phase, the queries and the
peak memory (resident set). Figures are printed and written to bench-results/network.txt.
Rows made here all carry the slug prefix bench-network-; only those are ever deleted."""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.bench._seed import (  # noqa: E402
    VILLAGE_SIZE,
    VILLAGES_PER_REGENCY,
    _copy,
    _execute,
    _scalar,
    seed_ties,
)
from tests.bench.run import DEFAULT_URL, ensure_database, set_up_django  # noqa: E402

ENTERPRISES = 100_000
TIES = 1_000_000
ENDED = 20_000
COOPERATIVES = 1_000
MEMBER_SHARE = 0.4
SECOND_COOPERATIVE_SHARE = 0.05
PREFIX = "bench-network-"


def database_url() -> str:
    explicit = os.environ.get("NETWORK_BENCH_DATABASE_URL")
    if explicit:
        return explicit
    parts = urlsplit(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_network"))


def present() -> tuple[int, int, int]:
    like = PREFIX + "%"
    enterprises = _scalar("SELECT count(*) FROM enterprises_enterprise WHERE slug LIKE %s",
                          [like])
    ties = _scalar("SELECT count(*) FROM enterprises_tie t JOIN enterprises_enterprise e "
                   "ON e.id = t.from_enterprise_id WHERE e.slug LIKE %s", [like])
    cooperatives = _scalar("SELECT count(*) FROM enterprises_cooperative WHERE slug LIKE %s",
                           [like])
    return enterprises, ties, cooperatives


def delete_bench_rows() -> None:
    """Only this benchmark's rows (and the snapshots computed over them)."""
    like = PREFIX + "%"
    _execute("DELETE FROM enterprises_networkposition WHERE enterprise_id IN "
             "(SELECT id FROM enterprises_enterprise WHERE slug LIKE %s)", [like])
    _execute("DELETE FROM enterprises_tie WHERE from_enterprise_id IN "
             "(SELECT id FROM enterprises_enterprise WHERE slug LIKE %s) OR to_enterprise_id IN "
             "(SELECT id FROM enterprises_enterprise WHERE slug LIKE %s)", [like, like])
    _execute("DELETE FROM enterprises_membership WHERE cooperative_id IN "
             "(SELECT id FROM enterprises_cooperative WHERE slug LIKE %s) OR enterprise_id IN "
             "(SELECT id FROM enterprises_enterprise WHERE slug LIKE %s)", [like, like])
    _execute("DELETE FROM enterprises_cooperative WHERE slug LIKE %s", [like])
    _execute("DELETE FROM enterprises_enterprise WHERE slug LIKE %s", [like])


def _regencies() -> list[tuple[int, int]]:
    from enterprises.models import Region

    return list(Region.objects.filter(level=Region.Level.REGENCY).order_by("slug")
                .values_list("pk", "parent_id"))


def seed_enterprises(now, regencies):
    import numpy as np

    from enterprises.models import Sector

    sectors = list(Sector.values)
    villages = ENTERPRISES // VILLAGE_SIZE

    def rows():
        for index in range(ENTERPRISES):
            village = index // VILLAGE_SIZE
            regency, province = regencies[(village // VILLAGES_PER_REGENCY) % len(regencies)]
            yield (f"Usaha Jaringan {index}", f"{PREFIX}{index:06d}", sectors[index % len(sectors)],
                   "", province, regency, "", f"Desa Jaringan {village:04d}", "", 1, True, now,
                   "", "", "", "", False, 0, 0)

    _copy("enterprises_enterprise",
          ["name", "slug", "sector", "description", "province_id", "regency_id", "district",
           "village", "whatsapp", "people", "is_active", "created_at", "bank_name",
           "bank_account_number", "bank_account_name", "stripe_account_id",
           "stripe_payouts_enabled", "rating_count", "rating_total"], rows())
    assert villages * VILLAGE_SIZE == ENTERPRISES
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM enterprises_enterprise WHERE slug LIKE %s ORDER BY slug",
                       [PREFIX + "%"])
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


def seed_cooperatives(rng, ids, now, regencies) -> None:
    import numpy as np

    def rows():
        for index in range(COOPERATIVES):
            regency, province = regencies[
                (2 * index // VILLAGES_PER_REGENCY) % len(regencies)]
            yield (f"Koperasi Jaringan {index}", f"{PREFIX}koperasi-{index:04d}", "", province,
                   regency, "", 5, True, now)

    _copy("enterprises_cooperative", ["name", "slug", "description", "province_id",
                                      "regency_id", "statutes", "joint_offer_fee_percent",
                                      "is_active", "created_at"], rows())
    cooperative_ids = np.array([_scalar(
        "SELECT id FROM enterprises_cooperative WHERE slug = %s",
        [f"{PREFIX}koperasi-{index:04d}"]) for index in range(COOPERATIVES)])
    members = np.flatnonzero(rng.random(ENTERPRISES) < MEMBER_SHARE)
    home = members // (2 * VILLAGE_SIZE) % COOPERATIVES
    second = members[rng.random(len(members)) < SECOND_COOPERATIVE_SHARE]
    other = (second // (2 * VILLAGE_SIZE) + rng.integers(1, COOPERATIVES, len(second))) \
        % COOPERATIVES
    enterprise = np.concatenate([members, second])
    cooperative = np.concatenate([home, other])

    _copy("enterprises_membership", ["cooperative_id", "enterprise_id", "role", "status",
                                     "requested_at", "joined_at"],
          ((int(cooperative_ids[c]), int(ids[e]), "member", "active", now, now)
           for c, e in zip(cooperative.tolist(), enterprise.tolist(), strict=True)))


def prepare() -> str:
    import numpy as np
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    have = present()
    expected = (ENTERPRISES, TIES + ENDED, COOPERATIVES)
    if have == expected:
        return f"Reusing {ENTERPRISES:,} enterprises, {TIES + ENDED:,} ties (bench-network-)."
    started = time.monotonic()
    if any(have):
        print(f"Partial bench data {have}: deleting the bench-network- rows ...", flush=True)
        delete_bench_rows()
    rng = np.random.default_rng(6)
    now = timezone.now()
    regencies = _regencies()
    with transaction.atomic():
        print(f"Inserting {ENTERPRISES:,} enterprises ...", flush=True)
        ids = seed_enterprises(now, regencies)
        print(f"Inserting {COOPERATIVES:,} cooperatives and their members ...", flush=True)
        seed_cooperatives(rng, ids, now, regencies)
        print(f"Inserting {TIES + ENDED:,} ties ...", flush=True)
        seed_ties(rng, ids, now, open_ties=TIES, ended=ENDED)
    _execute("ANALYZE")
    return (f"Seeded {ENTERPRISES:,} enterprises, {TIES + ENDED:,} ties "
            f"({ENDED:,} ended) in {time.monotonic() - started:.0f} s.")


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def compute(samples: int) -> dict:
    """One snapshot, end to end, in this (fresh) process."""
    from django.db import connection

    from enterprises.models import NetworkSnapshot
    from enterprises.network import network_metrics_compute

    queries = []
    before = _memory_kb("VmRSS")
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    with connection.execute_wrapper(lambda execute, sql, *args: (queries.append(1),
                                                                  execute(sql, *args))[1]):
        snapshot = network_metrics_compute(snapshot=NetworkSnapshot.objects.create(),
                                           samples=samples)
    seconds = time.perf_counter() - started
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    if snapshot.status != NetworkSnapshot.Status.DONE:
        return {"error": snapshot.error}
    summary = snapshot.summary
    summary.pop("ties_gained_by_month")
    return {"samples": samples, "seconds": seconds, "cpu_seconds": cpu_seconds,
            "queries": len(queries),
            "rss_before_mb": before / 1024, "peak_rss_mb": _memory_kb("VmHWM") / 1024,
            "summary": summary}


def table(results: list[dict]) -> str:
    phases = ["read", "build", "components", "clustering", "betweenness", "brokerage", "saving"]
    lines = [f"{'samples':>7} {'total s':>8} {'cpu s':>6} "
             + " ".join(f"{name[:11]:>11}" for name in phases)
             + f" {'queries':>8} {'peak MB':>8}", "-" * 127]
    for result in results:
        if "error" in result:
            lines.append(f"{result.get('samples', '?'):>7} failed: {result['error']}")
            continue
        timing = result["summary"]["phases"]
        lines.append(f"{result['samples']:>7} {result['seconds']:>8.2f} "
                     f"{result['cpu_seconds']:>6.2f} "
                     + " ".join(f"{timing[name]:>11.2f}" for name in phases)
                     + f" {result['queries']:>8} {result['peak_rss_mb']:>8.0f}")
    summary = next((r["summary"] for r in results if "summary" in r), None)
    if summary:
        lines.append(
            f"network: {summary['enterprises']:,} enterprises, {summary['ties']:,} ties (open "
            f"pairs), {summary['components']:,} components (largest "
            f"{summary['largest_component']:,}), mean degree {summary['mean_degree']:.1f}, "
            f"transitivity {summary['transitivity']:.3f}, cross-village "
            f"{summary['cross_village_share']:.1%}, cross-cooperative "
            f"{summary['cross_cooperative_share']:.1%}")
        lines.append(f"(each run in a fresh process; cpu s is that process's own CPU time, "
                     f"without PostgreSQL's; peak MB is its peak resident set, "
                     f"{results[0]['rss_before_mb']:.0f} MB before computing; machine load "
                     f"average {os.getloadavg()[0]:.1f} at the end)")
    return "\n".join(lines)


def main() -> int:
    url = database_url()
    if not url.startswith(("postgres://", "postgresql://")):
        print("NETWORK_BENCH_DATABASE_URL must point to PostgreSQL.", file=sys.stderr)
        return 2
    if len(sys.argv) == 3 and sys.argv[1] == "--compute":
        set_up_django(url)
        print(json.dumps(compute(int(sys.argv[2]))))
        return 0
    ensure_database(url)
    set_up_django(url)
    print(prepare(), flush=True)
    results = []
    for samples in [int(s) for s in os.environ.get("BENCH_NETWORK_SAMPLES", "32,64").split(",")]:
        # A fresh process per run, so each peak memory figure is its own.
        done = subprocess.run([sys.executable, __file__, "--compute", str(samples)],  # noqa: S603
                              capture_output=True, text=True, check=False)
        try:
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        except (IndexError, json.JSONDecodeError):
            results.append({"samples": samples, "error": done.stderr.strip()[-500:]})
        print(f"  measured samples={samples}", flush=True)
    report = table(results) + "\n"
    print()
    print(report)
    out = BASE_DIR / "bench-results" / "network.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return 1 if any("error" in result for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
