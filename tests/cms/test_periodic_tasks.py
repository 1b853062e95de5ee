from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from marketplace.models import Order, OrderPart
from tests.factories import placed_order

pytestmark = pytest.mark.django_db


def test_periodic_tasks_release_overdue_bank_transfers():
    order = placed_order()
    Order.objects.filter(pk=order.pk).update(pay_by=timezone.now() - timedelta(hours=1))
    out = StringIO()

    call_command("enqueue_periodic_tasks", stdout=out)

    assert "expire_unpaid_orders: SUCCESSFUL" in out.getvalue()
    assert "close_due_bulk_orders: SUCCESSFUL" in out.getvalue()
    assert order.parts.get().status == OrderPart.Status.CANCELLED
