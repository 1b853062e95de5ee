"""Checkout benchmark on PostgreSQL: placing orders, and buyers racing for the last units.

Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/guyub_bench), migrates it,
then
- times order_place for carts of three lines from three sellers (BENCH_ORDERS, default 200),
  reporting median and 95th percentile in ms and queries per order;
- starts BENCH_RACERS (default 50) buyers at once, each in its own thread and connection, on a
  product with 5 left, and reports how many bought (must be 5), the stock left (must be 0) and
  the wall time;
- times the buyer's /orders/ page and the seller's /dashboard/sales/ with 200 orders.
Everything made is deleted again, so runs are repeatable."""

import os
import statistics
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.bench.run import DEFAULT_URL, ensure_database, set_up_django  # noqa: E402

PREFIX = "bench-checkout"


def summary(label: str, timings: list[float], extra: str = "") -> str:
    p95 = statistics.quantiles(timings, n=20)[-1]
    return (f"{label:<44} n={len(timings):>4}  median {statistics.median(timings):7.2f} ms"
            f"  p95 {p95:7.2f} ms{extra}")


def prepare():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from marketplace.models import Product
    from tests.factories import ProductFactory, UserFactory, seller

    call_command("migrate", verbosity=0)
    products = list(Product.objects.filter(slug__startswith=PREFIX).order_by("slug"))
    if len(products) < 4:
        Product.objects.filter(slug__startswith=PREFIX).delete()
        products = []
        for index in range(4):
            _, enterprise = seller(slug=f"{PREFIX}-{index}", name=f"Usaha Bench {index}")
            products.append(ProductFactory(enterprise=enterprise, slug=f"{PREFIX}-{index}",
                                           price=10_000 + index, stock=1_000_000))
    buyer = get_user_model().objects.filter(username=f"{PREFIX}-buyer").first() or UserFactory(
        username=f"{PREFIX}-buyer")
    return buyer, products


def clean_up(products) -> None:
    from django.db.models import Q

    from marketplace.models import Cart, LedgerEntry, Order, Product

    orders = Order.objects.filter(parts__lines__product__in=products).distinct()
    LedgerEntry.objects.filter(part__order__in=orders).delete()
    Order.objects.filter(pk__in=orders.values("pk")).delete()
    Cart.objects.filter(Q(user__username__startswith=PREFIX) | Q(user__isnull=True)).delete()
    Product.objects.filter(pk__in=[p.pk for p in products[:3]]).update(stock=1_000_000)


def time_orders(buyer, products, runs: int) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marketplace.services.orders import order_place
    from tests.factories import DELIVERY, cart_with

    timings, queries = [], []
    for _ in range(runs):
        cart = cart_with(*[(product, 2) for product in products[:3]], user=buyer)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            order_place(buyer=buyer, cart=cart, payment_method="bank_transfer",
                        delivery=DELIVERY)
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    return summary("order_place, 3 sellers x 1 line", timings,
                   f"  {statistics.median(queries):.0f} queries")


def race(product, racers: int) -> str:
    from django.core.exceptions import ValidationError
    from django.db import connection

    from marketplace.models import Product
    from marketplace.services.orders import order_place
    from tests.factories import DELIVERY, UserFactory, cart_with

    Product.objects.filter(pk=product.pk).update(stock=5)
    buyers = [UserFactory(username=f"{PREFIX}-racer-{n}-{time.time_ns()}")
              for n in range(racers)]
    carts = [cart_with((product, 1), user=buyer) for buyer in buyers]
    start = threading.Barrier(racers)
    bought, refused = [], []

    def buy(buyer, cart):
        try:
            start.wait()
            order_place(buyer=buyer, cart=cart, payment_method="cash", delivery=DELIVERY)
            bought.append(buyer.pk)
        except ValidationError:
            refused.append(buyer.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=pair) for pair in zip(buyers, carts,
                                                                        strict=True)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = (time.perf_counter() - started) * 1000
    left = Product.objects.get(pk=product.pk).stock
    from django.contrib.auth import get_user_model

    from marketplace.models import Order

    Order.objects.filter(buyer__in=buyers).delete()
    get_user_model().objects.filter(pk__in=[b.pk for b in buyers]).delete()
    return (f"{racers} buyers racing for the last 5 units: {len(bought)} bought, "
            f"{len(refused)} refused, stock left {left}, {wall:.0f} ms wall")


def time_pages(buyer, products, runs: int) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    lines = []
    seller_user = products[0].enterprise.memberships.first().user
    for label, user, path in [("buyer /orders/ (200 orders)", buyer, "/orders/"),
                              ("seller /dashboard/sales/ (200 parts)", seller_user,
                               "/dashboard/sales/")]:
        client = Client()
        client.force_login(user)
        client.get(path)
        timings, queries = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
            if response.status_code != 200:
                return [f"{label}: HTTP {response.status_code}"]
        lines.append(summary(label, timings, f"  {queries} queries"))
    return lines


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("BENCH_DATABASE_URL must point to PostgreSQL.", file=sys.stderr)
        return 2
    ensure_database(url)
    set_up_django(url)
    buyer, products = prepare()
    clean_up(products)
    runs = int(os.environ.get("BENCH_ORDERS", "200"))
    time_orders(buyer, products, 5)  # warm-up
    lines = ["Checkout (PostgreSQL, in-process)", time_orders(buyer, products, runs)]
    lines += time_pages(buyer, products, 20)
    lines.append(race(products[3], int(os.environ.get("BENCH_RACERS", "50"))))
    clean_up(products)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
