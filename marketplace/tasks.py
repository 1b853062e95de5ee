"""Background tasks (django.tasks). A scheduler enqueues close_due_bulk_orders every few minutes."""

from django.tasks import task

from marketplace.services import bulk_orders


@task
def close_due_bulk_orders() -> list[int]:
    """Close every open bulk order whose deadline has passed; returns the closed orders' ids."""
    return [bulk_order.pk for bulk_order in bulk_orders.close_due()]


@task
def remind_closing_bulk_orders() -> list[int]:
    """Remind members of open bulk orders that close within a day; returns the orders' ids."""
    return [bulk_order.pk for bulk_order in bulk_orders.remind_closing()]


@task
def expire_unpaid_orders() -> list[str]:
    """Release bank-transfer orders not paid in time; returns their numbers."""
    from marketplace.services.orders import orders_expire_unpaid

    return [order.number for order in orders_expire_unpaid()]


@task
def delete_abandoned_carts() -> int:
    """Delete visitors' carts untouched for a month; returns how many."""
    from marketplace.services.cart import carts_delete_abandoned

    return carts_delete_abandoned()
