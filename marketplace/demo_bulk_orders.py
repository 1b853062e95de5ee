"""Demo bulk orders: one closed with allocations and one open per buying cooperative. Called
from marketplace.demo.seed; idempotent (skips cooperatives that already have bulk orders)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from enterprises.models import Cooperative, Membership
from marketplace.models import BulkOrder
from marketplace.services import bulk_orders as services

ORDERS = {
    "koperasi-kopi-sindoro-sumbing": [
        ("Pupuk NPK Phonska 50 kg", "PT Pupuk Kujang (agen Parakan)", 50, 2_600, 2, True),
        ("Karung goni kopi 60 kg", "Toko Tani Makmur Temanggung", 25, 9_000, 2, False),
    ],
    "koperasi-umkm-banyumas-maju": [
        ("Standing pouch zipper 500 gram", "CV Kemasan Jaya Purwokerto", 1000, 450, 3, True),
        ("Minyak goreng sawit 18 liter", "Distributor Sumber Rejeki", 18, 16_500, 4, False),
    ],
}


def _manager(cooperative: Cooperative):
    membership = cooperative.memberships.filter(role=Membership.Role.MANAGER).select_related(
        "enterprise"
    ).first()
    return membership.enterprise.memberships.first().user


def _commit_everyone(*, order: BulkOrder, rng) -> None:
    memberships = order.cooperative.memberships.filter(
        status=Membership.Status.ACTIVE
    ).select_related("enterprise").order_by("joined_at")
    for membership in memberships:
        user = membership.enterprise.memberships.first().user
        quantity = rng.randint(1, 3) * order.package_size // 2 + rng.randint(0, 9)
        services.commitment_save(
            bulk_order=order, enterprise=membership.enterprise, user=user,
            quantity=max(quantity, 1), tolerance=rng.choice([0, 0, 5, 10, order.package_size // 4]),
        )


def seed(*, run) -> None:
    rng = run.rng("bulk-orders")
    for slug, orders in ORDERS.items():
        cooperative = Cooperative.objects.filter(slug=slug).first()
        if cooperative is None or cooperative.bulk_orders.exists():
            continue
        manager = _manager(cooperative)
        with transaction.atomic():
            for title, supplier, size, price, minimum, close_now in orders:
                order = services.bulk_order_create(
                    cooperative=cooperative, user=manager, title=title, supplier_name=supplier,
                    unit="kg" if "kg" in title else "pcs" if "pouch" in title else "litre",
                    package_size=size, price_per_unit=price, min_packages=minimum,
                    deadline=timezone.now() + timedelta(days=rng.randint(3, 10)),
                )
                _commit_everyone(order=order, rng=rng)
                if close_now:
                    services.bulk_order_close(bulk_order=order, closed_by=manager)
    run.note(f"Bulk orders: {BulkOrder.objects.count()}.")
