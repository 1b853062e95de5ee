"""Page weight on a first visit (`make bench`): the home page, the catalogue with a category
filter and a product page, in Indonesian and English, loaded by a phone-sized Chromium.

Runs a server in this process on a SQLite database in BENCH_PAGE_WEIGHT_DIR (default
<tmp>/guyub-page-weight, photos beside it), seeded with `seed_demo` on the first run (a few
minutes; later runs reuse it). Pages are weighed by the browser test's `measure_page`
(tests/e2e/test_page_weight.py says what counts): KB as sent, gzip level 6 for text, product
photos left out and shown apart; the service worker's install is counted, since a first visit
pays for it. Prints a table and writes it to bench-results/page-weight.txt; exits 1 when a page
is over the 150 KB budget. Needs Chromium (CHROMIUM_PATH, else `chromium` on the PATH).

    .venv/bin/python tests/bench/bench_page_weight.py
"""

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.bench.run import set_up_django  # noqa: E402

DATA_DIR = Path(os.environ.get("BENCH_PAGE_WEIGHT_DIR",
                               Path(tempfile.gettempdir()) / "guyub-page-weight"))


def prepare_data() -> None:
    from django.core.management import call_command

    from marketplace.models import Product

    call_command("migrate", verbosity=0)
    if not Product.objects.exists():
        print("Seeding the demo data (a few minutes, once) ...", flush=True)
        started = time.monotonic()
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"seed_demo: {time.monotonic() - started:.0f} s")


def pages() -> list[str]:
    """The catalogue filtered by its largest top category, and the product with most photos."""
    from django.db.models import Count

    from marketplace import selectors

    visible = selectors.product_list_visible()
    top = max(selectors.category_counts(queryset=visible), key=lambda pair: pair[1])[0]
    product = visible.annotate(photo_count=Count("photos")).order_by("-photo_count", "pk")[0]
    paths = ["/", f"/products/?category={top.slug}", product.get_absolute_url()]
    return [prefix + path for path in paths for prefix in ("", "/en")]


def start_server():
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    server = LiveServerThread("localhost", _StaticFilesHandler, connections_override={}, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server


def main() -> int:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    os.environ["BENCH_MEDIA_ROOT"] = str(DATA_DIR / "media")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here are sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    set_up_django(f"sqlite:///{DATA_DIR / 'db.sqlite3'}")
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.e2e.test_page_weight import BUDGET, TABLE_HEAD, measure_page, table_row

    settings.ALLOWED_HOSTS = ["localhost"]
    logging.getLogger("guyub.requests").setLevel(logging.WARNING)  # a line per request
    prepare_data()
    paths = pages()
    server = start_server()
    base_url = f"http://localhost:{server.port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            weights = [measure_page(browser, base_url, path) for path in paths]
            browser.close()
    finally:
        server.terminate()

    report = "\n".join([
        "Page weight, first visit, KB as sent (gzip 6 for text; HTML includes the two offline",
        "pages the worker precaches; 'worker' is the share of the total that the service",
        "worker's install fetched; photos are left out of the total).",
        TABLE_HEAD, *map(table_row, weights), "",
        "Largest page in detail:", max(weights, key=lambda w: w.total()).breakdown(),
    ])
    print(report)
    results = BASE_DIR / "bench-results"
    results.mkdir(exist_ok=True)
    (results / "page-weight.txt").write_text(report + "\n")
    over = [w.path for w in weights if w.total() >= BUDGET]
    if over:
        print(f"Over the {BUDGET // 1024} KB budget: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
