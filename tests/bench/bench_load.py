"""Load test: gunicorn with production settings on PostgreSQL, driven by wrk (`make bench`).

1. Data, in BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/guyub_bench): the
   catalogue data of tests/bench/run.py (`seed_demo --scale 250`: about 10,000 enterprises and
   100,000 products), topped up by COPY to 1,000,000 open ties between those enterprises (mostly
   within a village, see tests/bench/_seed.py). A second run seeds nothing.
2. Server: `collectstatic`, then gunicorn (BENCH_LOAD_WORKERS sync workers, default 3: two cores
   shared with wrk and PostgreSQL, one extra to cover the time a worker waits on the database)
   on a free port of 127.0.0.1, with cms.settings.production, Redis at BENCH_REDIS_URL (default
   redis://127.0.0.1:6379/13, flushed first so runs compare; database 0 is refused) and
   persistent database connections (DB_CONN_MAX_AGE=60). Every request carries
   `X-Forwarded-Proto: https`, as the TLS-terminating proxy would. Any other setting may be
   given in the environment, e.g. PAGE_CACHE_SECONDS=0 to measure without the page cache.
3. Load: per case, every path is requested once and must answer 200 (this also fills the
   caches: the figures are those of a site whose pages were all visited within the cache's
   lifetime); then wrk (2 threads, BENCH_LOAD_CONNECTIONS connections, default 8) warms up for
   3 s and measures for BENCH_LOAD_SECONDS (default 20), rotating through the case's paths.
   `/health/` (one SELECT 1) is the ceiling the pages are compared with.
   Market day: the catalogue and product cases run again for each rate of
   BENCH_LOAD_ORDERS_PER_MINUTE (comma-separated, default 30: an order every 2 s; 0 or empty:
   none). A thread of this process writes to the server's Redis what an order that sells
   nothing out does (cms.page_cache.stock_changed: that product's page and the product API are
   forgotten), for a product among the measured product pages, during warm-up and measurement.
4. Report: requests/s, share of the ceiling, median and 95th-percentile latency, non-2xx
   responses, socket errors, share of page-cache hits (X-Page-Cache: hit) and the queries of
   one warm request in-process (test client, same database). Printed and written to
   bench-results/load.txt.

Needs wrk (Debian/Ubuntu: `apt-get install -y wrk`)."""

import contextlib
import logging
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.bench._seed import _execute, _scalar, seed_ties  # noqa: E402
from tests.bench.run import DEFAULT_URL, ensure_database, prepare_data, set_up_django  # noqa: E402

TIES = 1_000_000
WARMUP_SECONDS = 3
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
LUA = """
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end
function init(args)
  n, bad, hits = offset, 0, 0
  wrk.headers["X-Forwarded-Proto"] = "https"
end
function request()
  n = n + 1
  return wrk.format("GET", paths[n %% #paths + 1])
end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
end
function done(summary, latency, requests)
  local bad, hits = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("bad")
    hits = hits + thread:get("hits")
  end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%.0f %%.0f %%d %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95), bad,
    e.connect + e.read + e.write + e.timeout, hits))
end
"""


# 1. Data -----------------------------------------------------------------------------------

def top_up_ties() -> None:
    """Open enterprise-to-enterprise ties up to TIES, none duplicating an existing pair."""
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    have = _scalar("SELECT count(*) FROM enterprises_tie "
                   "WHERE to_enterprise_id IS NOT NULL AND ended_on IS NULL")
    if have >= TIES:
        return
    print(f"{have:,} open ties: adding {TIES - have:,} by COPY ...", flush=True)
    started = time.monotonic()
    with connection.cursor() as cursor:
        # Neighbouring indexes are neighbours on the map: the ties come out mostly local.
        cursor.execute("SELECT id FROM enterprises_enterprise ORDER BY regency_id, village, id")
        ids = np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
        cursor.execute("SELECT from_enterprise_id, to_enterprise_id, kind = 'referral' "
                       "FROM enterprises_tie WHERE to_enterprise_id IS NOT NULL")
        existing = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 3)
    index = np.empty(ids.max() + 1, dtype=np.int64)
    index[ids] = np.arange(len(ids))
    one, other = index[existing[:, 0]], index[existing[:, 1]]
    taken = np.minimum(one, other) * len(ids) + np.maximum(one, other)
    referred = other[existing[:, 2] == 1]
    with transaction.atomic():
        seed_ties(np.random.default_rng(7), ids, timezone.now(), open_ties=TIES - have,
                  exclude=taken, referred=referred)
    _execute("ANALYZE enterprises_tie")
    print(f"Ties added in {time.monotonic() - started:.0f} s.", flush=True)


def prepare(url: str) -> str:
    ensure_database(url)
    set_up_django(url)
    prepare_data()
    top_up_ties()
    from enterprises.models import Enterprise, Tie
    from marketplace.models import Product

    ties = Tie.objects.filter(to_enterprise__isnull=False, ended_on__isnull=True).count()
    return (f"Data: {Enterprise.objects.count():,} enterprises, "
            f"{Product.objects.count():,} products, {ties:,} open ties.")


# 2. Paths per case, from real rows ----------------------------------------------------------

def catalogue_paths(rng: random.Random, prices: list[int]) -> list[str]:
    """About 50 filter combinations on /products/, each with at least one product on its page."""
    from marketplace import selectors
    from marketplace.filters import ProductFilter
    from marketplace.models import Category
    from marketplace.views import PAGE_SIZE

    visible = selectors.product_list_visible()
    categories = sorted(Category.objects.filter(parent__isnull=True)
                        .values_list("slug", flat=True))
    regencies = sorted(visible.values_list("enterprise__regency__slug", flat=True).distinct())
    paths = set()
    for _ in range(500):
        if len(paths) == 50:
            break
        params = {}
        if rng.random() < 0.6:
            params["category"] = rng.choice(categories)
        if rng.random() < 0.5:
            params["regency"] = rng.choice(regencies)
        if rng.random() < 0.4:
            params["min_price"] = prices[len(prices) // 4]
            params["max_price"] = prices[len(prices) * 3 // 4]
        if rng.random() < 0.5:
            params["ordering"] = rng.choice(["newest", "price", "-price", "title"])
        page = rng.choice([1, 1, 2, 3])
        if page > 1:
            params["page"] = page
        if ProductFilter(params, queryset=visible).qs.count() > (page - 1) * PAGE_SIZE:
            paths.add(f"/products/?{urlencode(params)}" if params else "/products/")
    return sorted(paths)


def search_terms(titles: list[str]) -> list[str]:
    """20 words of product names, from very common to rarer ones."""
    counts = Counter(word for title in titles for word in set(title.lower().split())
                     if len(word) >= 4 and word.isalpha())
    common = [word for word, _ in counts.most_common(100)]
    return common[::max(len(common) // 20, 1)][:20]


def cases(order_rates: list[float]) -> list[tuple[str, list[str], float]]:
    """(label, paths, orders per minute) per case; the catalogue and product cases again for
    each rate of orders."""
    from marketplace import selectors

    rng = random.Random(7)
    rows = list(selectors.product_list_visible().order_by("pk")
                .values_list("slug", "title", "price"))
    slugs, titles, prices = zip(*rows, strict=True)
    catalogue = catalogue_paths(rng, sorted(int(price) for price in prices))
    terms = search_terms(titles)
    api = [path.replace("/products/", "/api/v1/products/", 1) for path in catalogue]
    api += [f"/api/v1/products/?{urlencode({'search': term})}" for term in terms]
    rng.shuffle(api)
    products = [f"/products/{slug}/" for slug in rng.sample(slugs, 500)]
    best_case = [
        ("ceiling: /health/", ["/health/"]),
        ("home: /", ["/"]),
        ("catalogue + filters", catalogue),
        ("search: /products/?q=", [f"/products/?{urlencode({'q': term})}" for term in terms]),
        ("product page", products),
        ("products API", api),
    ]
    market_day = [(f"{label}, {rate:g} orders/min", paths, rate) for rate in order_rates
                  for label, paths in (("catalogue", catalogue), ("product page", products))]
    return [(label, paths, 0) for label, paths in best_case] + market_day


def queries_per_request(path: str) -> int:
    """Queries to render the page once more in this process: the page cache off, the other
    caches warm (test settings: local-memory cache)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    logging.getLogger("guyub.requests").setLevel(logging.WARNING)  # one line a request
    client = Client(headers=PROXY_HEADERS)
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
    return len(captured.captured_queries)


# 3. Server --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flush_redis(url: str) -> None:
    import redis

    if (urlsplit(url).path.strip("/") or "0") == "0":
        raise SystemExit("BENCH_REDIS_URL must name a Redis database other than 0 (it is flushed).")
    redis.Redis.from_url(url).flushdb()


def server_env(database_url: str, redis_url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.production",
           "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    env.setdefault("DB_CONN_MAX_AGE", "60")
    env.setdefault("MEDIA_ROOT", os.environ.get("BENCH_MEDIA_ROOT",
                                                str(BASE_DIR / "media" / "bench")))
    return env


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int, log: Path):
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],  # noqa: S603
                   cwd=BASE_DIR, env=env, check=True)
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "cms.wsgi", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--timeout", "60"],
            cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def get_status(url: str) -> int:
    request = urllib.request.Request(url, headers=PROXY_HEADERS)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_healthy(base: str, process, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            if get_status(f"{base}/health/") == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer /health/ within 60 s:\n{log.read_text()[-2000:]}")


# 4. Orders: what an order's stock change forgets, in the background ------------------------

def redis_key(key: str) -> str:
    """A cache key as the server's RedisCache names it (cms.settings.base CACHES: KEY_PREFIX
    "guyub", default VERSION 1), e.g. "guyub:1:pages:version"."""
    from django.core.cache.backends.base import default_key_func

    return default_key_func(key, "guyub", 1)


@contextlib.contextmanager
def orders(redis_url: str, per_minute: float, slugs: list[str]):
    """per_minute orders a minute, at even intervals, until the block ends, each of one of
    `slugs` and selling nothing out: as cms.page_cache.stock_changed does, the stock scope and
    that product's scope get a new value (its second bump, after commit, follows within
    milliseconds and forgets nothing more). Yields a list holding the number of orders so far."""
    bumps = [0]
    if not per_minute:
        yield bumps
        return
    import redis

    from cms.page_cache import STOCK_SCOPE, VERSION_KEY, _scope_key

    client = redis.Redis.from_url(redis_url)
    if not client.exists(redis_key(VERSION_KEY)):  # made by the server's first page
        raise SystemExit(f"{redis_key(VERSION_KEY)} is not in {redis_url}: key names changed?")
    rng, stop = random.Random(11), threading.Event()

    def order() -> None:
        while not stop.wait(60 / per_minute):
            scopes = (STOCK_SCOPE, f"product:{rng.choice(slugs)}")
            # RedisCache stores ints unpickled: a plain integer string reads back as one.
            client.mset({redis_key(_scope_key(scope)): time.time_ns() for scope in scopes})
            bumps[0] += 1

    thread = threading.Thread(target=order, daemon=True)
    thread.start()
    try:
        yield bumps
    finally:
        stop.set()
        thread.join()


# 5. Load ----------------------------------------------------------------------------------

def wrk(base: str, script: Path, *, seconds: int, connections: int) -> dict:
    done = subprocess.run(  # noqa: S603
        [shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(script), base],
        capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    requests, duration, p50, p95, bad, errors, hits = (int(float(v)) for v in line.split()[1:])
    return {"rps": requests / (duration / 1e6), "p50": p50 / 1000, "p95": p95 / 1000,
            "non2xx": bad, "errors": errors, "hits": hits / max(requests, 1)}


def prime(base: str, paths: list[str], *, connections: int) -> list[str]:
    """Request every path once, `connections` at a time: the paths answering other than 200."""
    pool = ThreadPoolExecutor(connections)
    try:
        statuses = list(pool.map(lambda path: get_status(base + path), paths))
    finally:
        pool.shutdown(cancel_futures=True)  # on Ctrl-C, not the hundreds still queued
    return [f"{path} answered {status}"
            for path, status in zip(paths, statuses, strict=True) if status != 200]


def run_case(base: str, paths: list[str], workdir: Path, *, seconds: int, connections: int,
             redis_url: str, orders_per_minute: float, sold: list[str]) -> dict:
    failed = prime(base, paths, connections=connections)
    if failed:
        return {"error": f"{len(failed)} paths failed, e.g. {failed[0]}"}
    script = workdir / "case.lua"
    script.write_text(LUA % {"paths": ", ".join(f'"{path}"' for path in paths)})
    with orders(redis_url, orders_per_minute, sold) as bumps:
        wrk(base, script, seconds=WARMUP_SECONDS, connections=connections)
        before = bumps[0]
        result = wrk(base, script, seconds=seconds, connections=connections)
        result["bumps"] = bumps[0] - before
    return result


def table(results: list[tuple[str, int, dict]], *, header: str) -> str:
    ceiling = results[0][2].get("rps") or 1
    lines = [header,
             f"{'case':<28} {'paths':>5} {'req/s':>7} {'ceiling':>7} {'p50 ms':>7} "
             f"{'p95 ms':>7} {'non-2xx':>7} {'errors':>6} {'hits':>5} {'queries':>7} {'load':>5}",
             "-" * 101]
    for label, paths, result in results:
        if "error" in result:
            lines.append(f"{label:<28} {paths:>5} {result['error']}")
            continue
        lines.append(f"{label:<28} {paths:>5} {result['rps']:>7.0f} "
                     f"{result['rps'] / ceiling:>7.0%} {result['p50']:>7.1f} "
                     f"{result['p95']:>7.1f} {result['non2xx']:>7} {result['errors']:>6} "
                     f"{result['hits']:>5.0%} {result['queries']:>7} {result['load']:>5.1f}")
    lines.append("(ceiling: share of /health/'s requests/s; hits: responses served from the "
                 "page cache; queries: rendering the first path once, in-process, page cache "
                 "off, other caches warm; load: the machine's load average after the case; "
                 "N orders/min: N orders a minute for the measured products, none selling out)")
    return "\n".join(lines)


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is missing: install it (Debian/Ubuntu: `apt-get install -y wrk`, "
              "macOS: `brew install wrk`).", file=sys.stderr)
        return 2
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("BENCH_DATABASE_URL must point to PostgreSQL.", file=sys.stderr)
        return 2
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "20"))
    connections = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "8"))
    workers = int(os.environ.get("BENCH_LOAD_WORKERS", "3"))
    rates = os.environ.get("BENCH_LOAD_ORDERS_PER_MINUTE", "30")
    order_rates = [rate for rate in (float(v) for v in rates.split(",") if v.strip()) if rate > 0]
    # A kill, like Ctrl-C, unwinds through gunicorn()'s cleanup.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    data = prepare(url)
    print(data, flush=True)
    load_cases = cases(order_rates)
    flush_redis(redis_url)
    env = server_env(url, redis_url)
    results = []
    with tempfile.TemporaryDirectory() as tmp, \
            gunicorn(env, workers=workers, log=Path(tmp) / "gunicorn.log") as base:
        # Orders are for the products whose pages are measured: the worst case for their pages.
        sold = [path.split("/")[2] for label, paths, _ in load_cases
                if label == "product page" for path in paths]
        for label, paths, per_minute in load_cases:
            result = run_case(base, paths, Path(tmp), seconds=seconds, connections=connections,
                              redis_url=redis_url, orders_per_minute=per_minute, sold=sold)
            result["queries"] = queries_per_request(paths[0])
            result["load"] = os.getloadavg()[0]  # other work on the machine skews the figures
            results.append((label, len(paths), result))
            bumped = f" ({result['bumps']} orders)" if per_minute else ""
            print(f"  measured {label}{bumped}", flush=True)
    header = (f"{data}\ngunicorn: {workers} sync workers, cms.settings.production, "
              f"DB_CONN_MAX_AGE={env['DB_CONN_MAX_AGE']}, "
              f"PAGE_CACHE_SECONDS={env.get('PAGE_CACHE_SECONDS', 'default')}; wrk -t2 "
              f"-c{connections}, {seconds} s per case after {WARMUP_SECONDS} s warm-up; "
              f"{os.cpu_count()} CPUs; BENCH_LOAD_ORDERS_PER_MINUTE={rates}")
    report = table(results, header=header) + "\n"
    print()
    print(report)
    out = BASE_DIR / "bench-results" / "load.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return 1 if any("error" in result or result["non2xx"] or result["errors"]
                    for _, _, result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
