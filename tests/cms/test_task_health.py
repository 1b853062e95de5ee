"""/health/tasks/ tells monitoring whether background work keeps up: a task waiting longer than
TASKS_HEALTH_MAX_QUEUE_AGE seconds means no worker runs, or too few."""

from datetime import timedelta

import pytest
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from enterprises.models import NetworkSnapshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/health/tasks/"


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True))


def db_task(status=TaskResultStatus.READY, *, age=timedelta(0), run_after=None, finished=None):
    result = DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}},
        task_path="cms.tasks.notification_email_send", backend_name="default",
        run_after=run_after, finished_at=finished,
    )
    # enqueued_at is auto_now_add: move it back afterwards.
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=timezone.now() - age)
    return result


def test_an_empty_queue_is_ok(client, staff):
    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["tasks"] == {"ready": 0, "running": 0, "failed": 0, "successful": 0}
    assert body["oldest_queued_age_seconds"] is None
    assert body["failed_last_24h"] == 0
    assert body["network_snapshot_age_seconds"] is None
    assert body["max_queue_age_seconds"] == 600
    assert "no-cache" in response["Cache-Control"]


def test_counts_tasks_by_status_and_recent_failures(client, staff):
    now = timezone.now()
    db_task(age=timedelta(seconds=30))
    db_task(age=timedelta(seconds=5))
    db_task(TaskResultStatus.RUNNING)
    db_task(TaskResultStatus.SUCCESSFUL, finished=now)
    db_task(TaskResultStatus.FAILED, finished=now - timedelta(hours=1))
    db_task(TaskResultStatus.FAILED, finished=now - timedelta(hours=30))  # not in the last 24 h

    body = client.get(URL).json()

    assert body["tasks"] == {"ready": 2, "running": 1, "failed": 2, "successful": 1}
    assert body["failed_last_24h"] == 1
    assert 30 <= body["oldest_queued_age_seconds"] <= 35
    assert body["status"] == "ok"


def test_a_task_waiting_too_long_degrades_to_503(client, staff, settings):
    settings.TASKS_HEALTH_MAX_QUEUE_AGE = 60
    db_task(age=timedelta(seconds=90))

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["oldest_queued_age_seconds"] >= 90


def test_the_threshold_is_read_from_settings(client, staff, settings):
    settings.TASKS_HEALTH_MAX_QUEUE_AGE = 120
    db_task(age=timedelta(seconds=90))

    assert client.get(URL).status_code == 200


def test_finished_and_running_tasks_never_degrade(client, staff, settings):
    settings.TASKS_HEALTH_MAX_QUEUE_AGE = 60
    db_task(TaskResultStatus.RUNNING, age=timedelta(hours=2))
    db_task(TaskResultStatus.SUCCESSFUL, age=timedelta(hours=2), finished=timezone.now())

    assert client.get(URL).status_code == 200


def test_a_task_scheduled_for_later_waits_from_its_run_after(client, staff, settings):
    settings.TASKS_HEALTH_MAX_QUEUE_AGE = 60
    now = timezone.now()
    # Enqueued long ago for a moment still ahead: not late.
    db_task(age=timedelta(hours=3), run_after=now + timedelta(hours=1))
    assert client.get(URL).json()["oldest_queued_age_seconds"] is None
    # Due 20 seconds ago: waiting 20 seconds, not 3 hours.
    db_task(age=timedelta(hours=3), run_after=now - timedelta(seconds=20))
    body = client.get(URL).json()
    assert 20 <= body["oldest_queued_age_seconds"] < 60
    assert body["status"] == "ok"


def test_reports_the_age_of_the_latest_finished_snapshot(client, staff):
    now = timezone.now()
    NetworkSnapshot.objects.create(status=NetworkSnapshot.Status.DONE,
                                   finished_at=now - timedelta(hours=2))
    NetworkSnapshot.objects.create(status=NetworkSnapshot.Status.FAILED,
                                   finished_at=now - timedelta(minutes=1))

    age = client.get(URL).json()["network_snapshot_age_seconds"]

    assert 2 * 3600 <= age < 2 * 3600 + 60


def test_anonymous_visitors_and_ordinary_users_are_refused(client):
    assert client.get(URL).status_code == 403
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 403
    assert "tasks" not in response.json()


def test_a_monitor_with_the_token_is_let_in(client, settings):
    settings.HEALTH_TOKEN = "s3cret-monitoring-token"

    response = client.get(URL, headers={"Authorization": "Bearer s3cret-monitoring-token"})

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize("header", [
    "Bearer wrong-token", "s3cret-monitoring-token", "Token s3cret-monitoring-token", "Bearer ",
])
def test_a_wrong_token_is_refused(client, settings, header):
    settings.HEALTH_TOKEN = "s3cret-monitoring-token"

    assert client.get(URL, headers={"Authorization": header}).status_code == 403


def test_no_token_configured_lets_no_token_in(client, settings):
    settings.HEALTH_TOKEN = ""

    assert client.get(URL, headers={"Authorization": "Bearer "}).status_code == 403
    assert client.get(URL, headers={"Authorization": "Bearer"}).status_code == 403


def test_refuses_writes(client, staff):
    assert client.post(URL).status_code == 405


def test_the_database_health_check_is_unchanged(client):
    db_task(age=timedelta(hours=5))  # a stuck queue is not the load balancer's business

    assert client.get("/health/").json() == {"status": "ok", "database": True}
