"""A worker killed in the middle of a task: django-tasks-db leaves the task RUNNING for ever
(no heartbeat, no recovery of its own); `manage.py requeue_stale_tasks` puts the tasks that are
safe to run again back in the queue, the next worker finishes them, and their effects happen
once. The end-to-end test kills a real `manage.py db_worker` process with SIGKILL."""

import importlib
import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.tasks import Task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from cms.management.commands import requeue_stale_tasks as recovery
from cms.models import Notification
from enterprises.models import NetworkSnapshot
from tests.enterprises.test_network import enterprises, tie
from tests.factories import UserFactory
from tests.tasks_testing.tasks import slow_notification

BASE_DIR = Path(django_settings.BASE_DIR)
TEST_TASK = "tests.tasks_testing.tasks.slow_notification"
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_queue(settings):
    """Tasks go to the database queue, as in production (tests otherwise run them inline)."""
    settings.TASKS = DB_QUEUE


def running(task_path: str, *, worker: str = "worker-a", minutes_ago: float = 0,
            args=(), kwargs=None) -> DBTaskResult:
    """A task a worker claimed `minutes_ago` and never finished."""
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, task_path=task_path, backend_name="default",
        args_kwargs={"args": list(args), "kwargs": kwargs or {}}, run_after=None,
        worker_ids=[worker], started_at=timezone.now() - timedelta(minutes=minutes_ago))


def status(result) -> str:
    return DBTaskResult.objects.get(pk=result.pk).status


def requeue(*args: str) -> str:
    out = io.StringIO()
    call_command("requeue_stale_tasks", *args, stdout=out)
    return out.getvalue()


# --- What is requeued ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_workers_own_tasks_are_requeued_whatever_their_age():
    mine = running("marketplace.tasks.expire_unpaid_orders", worker="worker-a")
    other = running("marketplace.tasks.expire_unpaid_orders", worker="worker-b")

    assert requeue("--worker-id", "worker-a") == (
        "Requeued 1 task(s), failed 0 that cannot run again.\n")

    assert (status(mine), status(other)) == ("READY", "RUNNING")
    # The history stays, so the next claim makes it attempt 2.
    assert DBTaskResult.objects.get(pk=mine.pk).worker_ids == ["worker-a"]


@pytest.mark.django_db
def test_from_cron_only_tasks_running_too_long_are_requeued():
    stale = running("marketplace.tasks.close_due_bulk_orders", minutes_ago=61)
    busy = running("marketplace.tasks.close_due_bulk_orders", minutes_ago=5)
    done = DBTaskResult.objects.create(
        status=TaskResultStatus.SUCCESSFUL, task_path="marketplace.tasks.close_due_bulk_orders",
        backend_name="default", args_kwargs={"args": [], "kwargs": {}}, run_after=None,
        started_at=timezone.now() - timedelta(hours=3))

    requeue()  # default: 60 minutes

    assert (status(stale), status(busy), status(done)) == ("READY", "RUNNING", "SUCCESSFUL")
    requeue("--older-than", "1")
    assert status(busy) == "READY"


@pytest.mark.django_db
def test_a_task_not_known_to_be_safe_to_rerun_is_failed_with_a_clear_error():
    unknown = running(TEST_TASK, worker="worker-a")

    assert "failed 1 that cannot run again" in requeue("--worker-id", "worker-a")

    result = DBTaskResult.objects.get(pk=unknown.pk)
    assert result.status == "FAILED" and result.finished_at is not None
    assert result.exception_class_path.endswith("WorkerLost")
    assert "not safe to run again" in result.traceback


def _project_tasks() -> set[str]:
    """Every function decorated with @task in the project's apps."""
    found = set()
    for app in ("cms", "enterprises", "marketplace", "knowledge"):
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            if "migrations" in path.parts or "@task" not in path.read_text():
                continue
            module = importlib.import_module(
                ".".join(path.relative_to(BASE_DIR).with_suffix("").parts))
            found |= {value.module_path for value in vars(module).values()
                      if isinstance(value, Task) and value.module_path.startswith(
                          module.__name__ + ".")}
    return found


def test_every_task_of_the_project_was_judged_safe_to_rerun():
    """A new task must be added to RERUNNABLE_TASKS once it is idempotent (or a killed run
    of it is marked failed, never repeated)."""
    tasks = _project_tasks()

    assert len(tasks) >= 7
    assert tasks == recovery.RERUNNABLE_TASKS


@pytest.mark.django_db
def test_a_network_snapshot_left_running_is_finished_by_the_retry(db_queue, monkeypatch):
    # The worker runs in this test's transaction: it must not close the connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    a, b = enterprises(2)
    tie(a, b)
    snapshot = NetworkSnapshot.objects.create(status=NetworkSnapshot.Status.RUNNING,
                                              started_at=timezone.now())
    killed = running("enterprises.tasks.network_metrics_task", worker="worker-a",
                     args=[snapshot.pk])

    requeue("--worker-id", "worker-a")
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="worker-b",
           excluded_queue_names=[]).run()

    result = DBTaskResult.objects.get(pk=killed.pk)
    assert (result.status, result.return_value) == ("SUCCESSFUL", "done"), result.traceback
    assert result.worker_ids == ["worker-a", "worker-b"]
    snapshot.refresh_from_db()
    assert snapshot.status == NetworkSnapshot.Status.DONE


# --- A real worker, killed -----------------------------------------------------------------------


def database_url() -> str:
    """The test database, for another process."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return (f"postgres://{credentials}@{database['HOST'] or 'localhost'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}")


def worker_command(worker_id: str, *options: str) -> list[str]:
    return [sys.executable, "manage.py", "db_worker", "--worker-id", worker_id,
            "--no-startup-delay", "--interval", "0.2", *options]


def worker_environment() -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DEBUG": "0",
            "DATABASE_URL": database_url(), "DB_CONN_MAX_AGE": "0",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "LOG_LEVEL": "WARNING"}


def wait_for(condition, *, seconds: float, process) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, process.stdout.read()
        assert time.monotonic() < deadline, "the worker did not start the task in time"
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_task_killed_with_its_worker_is_resumed_and_done_once(db_queue, tmp_path,
                                                                monkeypatch):
    user = UserFactory()
    started = tmp_path / "started"
    result = slow_notification.enqueue(user_id=user.pk, title="Pesanan baru",
                                       started_file=str(started), hold_seconds=120)
    worker = subprocess.Popen(  # noqa: S603 - this project's own manage.py
        worker_command("worker-a"), cwd=BASE_DIR, env=worker_environment(),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # The task has written its notification, in a transaction still open, when killed.
        wait_for(started.exists, seconds=60, process=worker)
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=10) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stdout.close()

    left = DBTaskResult.objects.get(pk=result.id)
    assert (left.status, left.worker_ids) == ("RUNNING", ["worker-a"])
    assert not Notification.objects.filter(kind="test").exists()  # rolled back with the kill

    # The supervisor restarts the worker under the same id, running the recovery first.
    monkeypatch.setattr(recovery, "RERUNNABLE_TASKS", {*recovery.RERUNNABLE_TASKS, TEST_TASK})
    assert requeue("--worker-id", "worker-a").startswith("Requeued 1 task(s)")
    finished = subprocess.run(  # noqa: S603
        worker_command("worker-a", "--batch"), cwd=BASE_DIR, env=worker_environment(),
        capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stdout + finished.stderr

    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == "SUCCESSFUL", done.traceback
    assert done.worker_ids == ["worker-a", "worker-a"]
    assert started.read_text() == "2"
    notification = Notification.objects.get(kind="test")  # exactly one
    assert (notification.user_id, notification.title) == (user.pk, "Pesanan baru")
    assert done.return_value == notification.pk
