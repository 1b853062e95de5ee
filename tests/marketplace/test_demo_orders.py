"""The demo's orders (marketplace.demo_orders): every state, a year of income, reviews, the
cooperative's money; the same rows however often seed_demo runs."""

import io
import random
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from wagtail.signal_handlers import disable_reference_index_auto_update

from cms.management.commands.seed_demo import DemoRun
from cms.models import Notification
from enterprises import demo as enterprise_demo
from enterprises.models import Enterprise, EnterpriseMember, IncomeRecord
from marketplace import demo as market_demo
from marketplace import demo_orders
from marketplace.models import (
    LedgerEntry,
    Order,
    OrderLine,
    OrderPart,
    Product,
    Refund,
    RevenueShare,
    Review,
)
from tests.factories import ProductFactory, UserFactory, seller

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_seeding(monkeypatch, settings):
    """Tiny images and no Wagtail indexing, as in tests/cms/test_seed_demo.py."""
    monkeypatch.setattr(market_demo, "PHOTO_SIZE", (40, 30))
    monkeypatch.setattr(enterprise_demo, "LOGO_SIZE", (24, 24))
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}
    }
    with disable_reference_index_auto_update():
        yield


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def order_counts() -> dict:
    models = [Order, OrderPart, OrderLine, LedgerEntry, Refund, RevenueShare, Review,
              IncomeRecord, Product, Enterprise]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["income"] = IncomeRecord.objects.aggregate(total=Sum("amount"))["total"]
    counts["stock"] = Product.objects.aggregate(total=Sum("stock"))["total"]
    return counts


@pytest.fixture
def commits_at_once(monkeypatch):
    """Run after-commit work at once, as seed_demo's autocommit would right after each service
    (a test's transaction would hold it back until the test ends)."""
    monkeypatch.setattr(transaction, "on_commit",
                        lambda func, using=None, robust=False: func())


def test_the_demo_has_orders_in_every_state_once(commits_at_once):
    seed()
    before = order_counts()

    output = seed()

    assert order_counts() == before
    assert "Orders: 0 created" in output
    # About 200 orders at scale 1, every state there, several sellers per buyer.
    assert 190 <= Order.objects.count() <= 210
    statuses = set(OrderPart.objects.values_list("status", flat=True))
    assert statuses == set(OrderPart.Status.values)
    dewi = Order.objects.filter(buyer__username="dewi")
    assert dewi.count() >= 10
    assert dewi.annotate(sellers=Count("parts")).filter(sellers=3).exists()
    assert set(dewi.values_list("payment_status", flat=True)) >= {
        "pending", "paid", "on_delivery"}
    # Bank transfer awaiting proof, with proof, paid and confirmed; cash on delivery.
    waiting = OrderPart.objects.filter(order__payment_method="bank_transfer", status="placed",
                                       paid_at__isnull=True)
    assert waiting.filter(proof_uploaded_at__isnull=True).exists()
    assert waiting.filter(proof_uploaded_at__isnull=False).exclude(transfer_proof="").exists()
    assert OrderPart.objects.filter(status="confirmed", paid_at__isnull=False,
                                    order__payment_method="bank_transfer").exists()
    assert OrderPart.objects.filter(order__payment_method="cash", status="shipped",
                                    paid_at__isnull=True).exists()
    assert OrderPart.objects.filter(order__payment_method="cash", status="completed",
                                    paid_at__isnull=False).exists()
    # Open bank transfers are not overdue: the expiry task would release them at once.
    assert not Order.objects.filter(payment_status="pending", payment_method="bank_transfer",
                                    pay_by__lte=timezone.now()).exists()
    # A partial refund, and cancellations by the seller and by the buyer.
    assert Refund.objects.filter(part__status="completed").exists()
    assert OrderLine.objects.filter(refunded_quantity__gt=0, part__status="completed").exists()
    assert OrderPart.objects.filter(status="cancelled").exclude(cancel_reason="").count() >= 2
    # Reviews with replies, and the ratings they make.
    assert Review.objects.count() >= 10
    assert Review.objects.exclude(reply="").filter(replied_at__isnull=False).exists()
    assert not Review.objects.exclude(part__status="completed").exists()
    rated = Enterprise.objects.filter(rating_count__gt=0)
    assert rated.aggregate(total=Sum("rating_count"))["total"] == Review.objects.count()
    # Marketplace income in each of the last 12 months, equal to the completed sales.
    months = set(IncomeRecord.objects.filter(source="marketplace")
                 .values_list("month", flat=True))
    assert len(months) >= 12
    completed = OrderPart.objects.filter(status="completed").aggregate(
        total=Sum("subtotal") - Sum("refunded"))["total"]
    assert IncomeRecord.objects.filter(source="marketplace").aggregate(
        total=Sum("amount"))["total"] == completed
    assert not IncomeRecord.objects.filter(amount=0).exists()
    # Backdated: nothing happens in the future, orders spread over the year.
    now = timezone.now()
    assert not OrderPart.objects.filter(completed_at__gt=now).exists()
    assert not Review.objects.filter(created_at__gt=now).exists()
    oldest = Order.objects.order_by("created_at").first().created_at
    assert now - oldest > timedelta(days=300)
    for part in OrderPart.objects.filter(status="completed").exclude(paid_at=None)[:50]:
        assert part.created_at <= part.paid_at <= now
        assert part.created_at <= part.completed_at <= now
    # The ledger: every paid part's sale, settled directly (bank transfer or cash).
    paid_parts = OrderPart.objects.filter(paid_at__isnull=False).count()
    assert LedgerEntry.objects.filter(kind="sale").count() == paid_parts
    assert sum(LedgerEntry.objects.values_list("amount", flat=True)) == 0
    # Cooperative money: allocations paid (and started), a joint offer's revenue shared.
    allocations = OrderLine.objects.filter(commitment__isnull=False)
    assert allocations.filter(part__paid_at__isnull=False).count() >= 2
    assert allocations.filter(part__paid_at__isnull=True, part__status="placed").exists()
    assert allocations.filter(product__isnull=False).count() == 0
    shares = RevenueShare.objects.values("part").annotate(total=Sum("amount"))
    assert shares.count() >= 2
    # Nobody was notified of the demo's orders or reviews.
    assert not Notification.objects.filter(kind__startswith="order.").exists()
    assert not Notification.objects.filter(kind__startswith="review.").exists()
    assert not [m for m in mail.outbox if "pesanan" in m.subject.lower()
                or "order" in m.subject.lower()]


def test_the_catalogue_keeps_its_planned_stock():
    seed()
    plan = market_demo.product_plan(rng=random.Random("1:marketplace"))
    planned = {entry["slug"]: entry["stock"] for entry in plan}
    stock = dict(Product.objects.filter(slug__in=planned).values_list("slug", "stock"))
    assert stock == planned


def test_scale_adds_bulk_orders_up_to_200_per_unit():
    seed()
    before = Order.objects.count()
    known = list(Order.objects.values_list("pk", flat=True))
    income = IncomeRecord.objects.aggregate(total=Sum("amount"))["total"]
    demo = Enterprise.objects.filter(slug__in=[spec.slug for spec in enterprise_demo.ENTERPRISES])
    run = DemoRun(seed=1, scale=3, stdout=io.StringIO(),
                  shared={"demo_enterprises": [(None, enterprise) for enterprise in demo]})

    demo_orders.seed(run=run)

    assert Order.objects.count() == before + 400
    new_orders = Order.objects.exclude(pk__in=known)
    new_income = IncomeRecord.objects.aggregate(total=Sum("amount"))["total"] - income
    assert new_income == new_orders.aggregate(total=Sum("total"))["total"]
    assert not new_orders.exclude(parts__status="completed").exists()
    assert new_orders.dates("created_at", "month").count() >= 12
    demo_orders.seed(run=run)
    assert Order.objects.count() == before + 400


def _context(*sellers_and_products):
    users = {name: UserFactory(username=name) for name in demo_orders.BUYERS}
    products, runners = {}, {}
    for enterprise, items in sellers_and_products:
        products[enterprise.pk] = items
        runners[enterprise.pk] = set(EnterpriseMember.objects.filter(
            enterprise=enterprise).values_list("user_id", flat=True))
    return demo_orders.Context(now=timezone.now(), users=users, products=products,
                               sellers=sorted(products), runners=runners)


def test_plans_follow_the_seed_and_never_sell_to_the_seller():
    sellers = []
    for _index in range(5):
        _user, enterprise = seller()
        sellers.append((enterprise, [ProductFactory(enterprise=enterprise, stock=50)
                                     for _ in range(2)]))
    rina = UserFactory(username="rina-seller")
    EnterpriseMember.objects.create(enterprise=sellers[0][0], user=rina)
    ctx = _context(*sellers)
    ctx.users["rina"] = rina
    ctx.runners[sellers[0][0].pk].add(rina.pk)

    def plan(seed_value):
        return [(p.key, p.buyer, p.method, [(part.enterprise_id, part.state,
                                             [(product.pk, quantity) for product, quantity
                                              in part.lines]) for part in p.parts])
                for p in demo_orders.order_plans(rng=random.Random(seed_value), ctx=ctx)]

    assert plan("1:orders") == plan("1:orders")
    assert plan("1:orders") != plan("2:orders")
    for key, buyer, _method, parts in plan("1:orders"):
        if buyer == "rina":
            assert sellers[0][0].pk not in [enterprise_id for enterprise_id, *_ in parts], key
    assert demo_orders.order_number("dewi-lunas") == demo_orders.order_number("dewi-lunas")
    assert len({demo_orders.order_number(f"arsip-{i}") for i in range(1000)}) == 1000
