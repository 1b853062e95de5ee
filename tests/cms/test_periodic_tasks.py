from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from marketplace.models import Cart, Order, OrderPart
from tests.factories import ProductFactory, UserFactory, cart_with, placed_order

pytestmark = pytest.mark.django_db


def test_periodic_tasks_release_overdue_bank_transfers_and_drop_abandoned_carts():
    order = placed_order()
    Order.objects.filter(pk=order.pk).update(pay_by=timezone.now() - timedelta(hours=1))
    old, recent = cart_with((ProductFactory(), 1)), cart_with((ProductFactory(), 1))
    owned = cart_with((ProductFactory(), 1), user=UserFactory())
    Cart.objects.filter(pk__in=[old.pk, owned.pk]).update(
        updated_at=timezone.now() - timedelta(days=31))
    out = StringIO()

    call_command("enqueue_periodic_tasks", stdout=out)

    assert "expire_unpaid_orders: SUCCESSFUL" in out.getvalue()
    assert "close_due_bulk_orders: SUCCESSFUL" in out.getvalue()
    assert order.parts.get().status == OrderPart.Status.CANCELLED
    assert not Cart.objects.filter(pk=old.pk).exists()
    assert Cart.objects.filter(pk__in=[recent.pk, owned.pk]).count() == 2
