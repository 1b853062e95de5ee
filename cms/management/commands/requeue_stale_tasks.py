"""Put back in the queue the tasks a killed worker left RUNNING.

django-tasks-db marks a task RUNNING (committed) before running it and records the outcome
after; a worker killed in between (SIGKILL, out of memory, a machine restart) leaves the row
RUNNING for ever, and the library has no heartbeat or recovery of its own. Run this:
- before each worker starts, with the worker's fixed id (`--worker-id`): any task still
  RUNNING under that id belonged to the process being replaced, whatever its age;
- from cron every few minutes (`--older-than`, minutes): tasks running longer than any task
  takes belonged to a worker that died (on another machine, say).

Only tasks known to be safe to run again are requeued; any other is marked FAILED with a
clear error, so nothing runs twice that should not.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.tasks.base import TaskResultStatus
from django.utils import timezone

# Each re-runs safely after being killed half-way: its writes are atomic and it re-checks
# state before acting (or it claims its work with a conditional update).
RERUNNABLE_TASKS = {
    # Closes orders past their deadline, each in its own transaction, skipping closed ones.
    "marketplace.tasks.close_due_bulk_orders",
    # Marks reminder_sent_at in the same transaction as the reminders.
    "marketplace.tasks.remind_closing_bulk_orders",
    # Each order released under its row lock, only while still pending.
    "marketplace.tasks.expire_unpaid_orders",
    # Deletes what is still abandoned.
    "marketplace.tasks.delete_abandoned_carts",
    # Each proposal closed under its row lock, only while still open.
    "enterprises.services.decisions.close_due_proposals",
    # A retry takes over the snapshot its killed attempt left RUNNING (see the task).
    "enterprises.tasks.network_metrics_task",
    # At least once: a second email only if the worker died in the instant between the mail
    # server accepting it and the result being saved; dying during the send loses nothing.
    "cms.tasks.notification_email_send",
}
WORKER_LOST = "cms.management.commands.requeue_stale_tasks.WorkerLost"


def stale_tasks_requeue(*, worker_id: str = "", older_than: timedelta | None = None,
                        now=None) -> tuple[list[str], list[str]]:
    """Requeue (READY) the RUNNING tasks last claimed by `worker_id`, or started longer than
    `older_than` ago; fail those not in RERUNNABLE_TASKS. Returns (requeued ids, failed ids)."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    requeued, failed = [], []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING)
        if older_than is not None:
            running = running.filter(started_at__lt=now - older_than)
        for result in running:
            if worker_id and (result.worker_ids or [""])[-1] != worker_id:
                continue
            if result.task_path in RERUNNABLE_TASKS:
                # worker_ids is kept: the next claim appends, so the task sees attempt 2.
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                requeued.append(str(result.pk))
            else:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = WORKER_LOST
                result.traceback = (f"{WORKER_LOST}: the worker running this task stopped "
                                    "before it finished; it is not safe to run again.")
                result.save(update_fields=["status", "finished_at", "exception_class_path",
                                           "traceback"])
                failed.append(str(result.pk))
    return requeued, failed


class Command(BaseCommand):
    help = ("Requeue tasks a killed worker left running. Run it before starting a worker "
            "(--worker-id, the id the worker is started with) and from cron (--older-than).")

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", default="",
                            help="Tasks last claimed by this worker id, whatever their age.")
        parser.add_argument("--older-than", type=float, default=None, metavar="MINUTES",
                            help="Tasks running for longer than this (longer than any task "
                                 "takes). Default: 60 without --worker-id.")

    def handle(self, *args, worker_id, older_than, **options):
        if older_than is None and not worker_id:
            older_than = 60
        requeued, failed = stale_tasks_requeue(
            worker_id=worker_id,
            older_than=None if older_than is None else timedelta(minutes=older_than))
        self.stdout.write(f"Requeued {len(requeued)} task(s), failed {len(failed)} that "
                          "cannot run again.")
