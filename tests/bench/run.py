"""Catalogue benchmarks on PostgreSQL with 100,000 products (`make bench`).

Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/guyub_bench), creating the
database if missing, migrates it, seeds `seed_demo --scale 250` when it holds fewer than 100,000
products, then times the catalogue page and the products API in-process with Django's test
client: median and 95th percentile latency and queries per request. It also checks that text
search uses the GIN index. Figures are printed and written to bench-results/products.txt.

BENCH_REQUESTS (default 30) sets the timed requests per case, after BENCH_WARMUP (default 3)."""

import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/guyub_bench"
SCALE = 250
TARGET_PRODUCTS = 100_000
FILTERS = {"category": "makanan-minuman", "regency": "kabupaten-banyumas",
           "min_price": 10_000, "max_price": 50_000}
CASES = [
    ("page: plain", "/products/", {}),
    ("page: q=keripik", "/products/", {"q": "keripik"}),
    ("page: category+regency+price", "/products/", FILTERS),
    ("page: ordering=price", "/products/", {"ordering": "price"}),
    ("page: page=50", "/products/", {"page": 50}),
    ("api: plain", "/api/v1/products/", {}),
    ("api: search=keripik", "/api/v1/products/", {"search": "keripik"}),
    ("api: category+regency+price", "/api/v1/products/", FILTERS),
]


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None,
              "user": config["USER"] or None, "password": config["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    [config["NAME"]]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')
            print(f"Created database {config['NAME']}.")


def set_up_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    sys.path.insert(0, str(BASE_DIR))
    from django.conf import settings

    settings.DEBUG = False
    # WhiteNoise warns once about a missing collectstatic folder; pages do not need it here.
    warnings.filterwarnings("ignore", message="No directory at")
    # Photos must outlive this process, like the database they are recorded in.
    settings.MEDIA_ROOT = Path(os.environ.get("BENCH_MEDIA_ROOT", BASE_DIR / "media" / "bench"))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)


def prepare_data() -> None:
    from django.core.management import call_command
    from django.db import connection

    from marketplace.models import Product

    call_command("migrate", verbosity=0)
    count = Product.objects.count()
    if count < TARGET_PRODUCTS:
        print(f"{count:,} products: seeding --scale {SCALE} (takes a few minutes) ...")
        started = time.monotonic()
        call_command("seed_demo", scale=SCALE)
        print(f"seed_demo --scale {SCALE}: {time.monotonic() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give later
    print(f"{Product.objects.count():,} products, "
          f"{Product.objects.filter(is_active=True).count():,} active.")


def measure(client, path: str, params: dict, *, warmup: int, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"{path}?{urlencode(params)}" if params else path
    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            return {"url": url, "error": f"HTTP {response.status_code}"}
    timings, queries, sql = [], [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
        sql.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
    slowest = max(captured.captured_queries, key=lambda query: float(query["time"]),
                  default={"time": "0", "sql": ""})
    return {
        "url": url,
        "median": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20, method="inclusive")[18],
        "sql": statistics.median(sql),
        "queries": statistics.median(queries),
        "kb": len(response.content) / 1024,
        "slowest": (float(slowest["time"]) * 1000, " ".join(slowest["sql"].split())),
    }


def run_cases(*, warmup: int, runs: int) -> list[tuple[str, dict]]:
    from django.test import Client

    client = Client()
    results = []
    for label, path, params in CASES:
        try:
            result = measure(client, path, params, warmup=warmup, runs=runs)
        except Exception as error:  # a page still being built must not stop the others
            result = {"error": f"{type(error).__name__}: {str(error)[:60]}"}
        results.append((label, result))
        print(f"  measured {label}", flush=True)
    return results


def table(results: list[tuple[str, dict]], *, warmup: int, runs: int) -> str:
    lines = [
        f"{'case':<32} {'median ms':>10} {'p95 ms':>9} {'SQL ms':>8} {'queries':>8} {'KB':>7}",
        "-" * 79,
    ]
    for label, result in results:
        if "error" in result:
            lines.append(f"{label:<32} {result['error']}")
        else:
            lines.append(f"{label:<32} {result['median']:>10.1f} {result['p95']:>9.1f} "
                         f"{result['sql']:>8.1f} {result['queries']:>8.0f} {result['kb']:>7.1f}")
    lines.append(f"({runs} timed requests per case after {warmup} warm-up ones; in-process "
                 "test client, DEBUG off; SQL ms is the median time spent in the database)")
    return "\n".join(lines)


def explain_search() -> str:
    from marketplace import selectors
    from marketplace.filters import ProductFilter

    lines = []
    for term in ("keripik", "madu klanceng"):
        queryset = ProductFilter({"search": term}, queryset=selectors.product_list_visible()).qs
        plan = queryset[:20].explain(analyze=True)
        used = "product_search_gin" in plan
        lines.append(f"EXPLAIN ANALYZE search={term!r}: GIN index "
                     f"{'USED' if used else 'NOT USED'}")
        lines.extend(f"    {line}" for line in plan.splitlines())
    return "\n".join(lines)


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("BENCH_DATABASE_URL must point to PostgreSQL.", file=sys.stderr)
        return 2
    warmup = int(os.environ.get("BENCH_WARMUP", "3"))
    runs = int(os.environ.get("BENCH_REQUESTS", "30"))
    ensure_database(url)
    set_up_django(url)
    prepare_data()
    results = run_cases(warmup=warmup, runs=runs)
    report = f"{table(results, warmup=warmup, runs=runs)}\n\n{explain_search()}\n"
    print()
    print(report)
    out = BASE_DIR / "bench-results" / "products.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    failed = [label for label, result in results if "error" in result]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
