from django.core.management.base import BaseCommand

from enterprises.services.decisions import close_due_proposals
from marketplace.tasks import (
    close_due_bulk_orders,
    delete_abandoned_carts,
    expire_unpaid_orders,
    remind_closing_bulk_orders,
)

PERIODIC_TASKS = (close_due_bulk_orders, remind_closing_bulk_orders, close_due_proposals,
                  expire_unpaid_orders, delete_abandoned_carts)


class Command(BaseCommand):
    help = ("Queue the safety-net tasks (close due bulk orders and proposals, send reminders, "
            "release unpaid orders, delete abandoned carts). Run it from cron every few "
            "minutes; the worker runs them.")

    def handle(self, *args, **options):
        for periodic in PERIODIC_TASKS:
            result = periodic.enqueue()
            self.stdout.write(f"{periodic.name}: {result.status}")
