"""A deliberately slow task for the worker-restart tests (tests/cms/test_task_recovery.py)."""

import time
from pathlib import Path

from django.db import transaction
from django.tasks import task

from cms.models import Notification


@task(takes_context=True)
def slow_notification(context, *, user_id: int, title: str, started_file: str,
                      hold_seconds: float) -> int:
    """Tell the user `title`, in one transaction that, on the first attempt only, stays open
    for `hold_seconds` after the write (time for the test to kill the worker). Writes the
    attempt number to `started_file` once the write is made. Returns the notification's id."""
    with transaction.atomic():
        notification = Notification.objects.create(user_id=user_id, kind="test", title=title)
        Path(started_file).write_text(str(context.attempt))
        if context.attempt == 1:
            time.sleep(hold_seconds)
    return notification.pk
