"""Request ids and structured logs: every response and log line of a request names the same id,
so a user's report, the proxy's log and the app's log lines can be matched."""

import json
import logging
import re
import signal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.tasks import task
from django.test import RequestFactory

from cms.logging import JsonFormatter, RequestContextFilter
from cms.middleware import RequestIdMiddleware, request_id_from_header
from tests.cms.test_settings import run_python, server_environment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

view_logger = logging.getLogger("guyub.test_view")


@pytest.fixture
def records():
    """What the console handler would see: records through the project's filter."""
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record)

    handler = Keep(level=logging.DEBUG)
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield seen
    root.removeHandler(handler)
    root.setLevel(level)


def access_lines(records):
    return [record for record in records if record.name == "guyub.requests"]


def test_a_sane_id_from_the_proxy_is_passed_through(client):
    response = client.get("/health/", headers={"X-Request-ID": "3f2a9c0d1b7e4e55a8c6d9e0f1a2b3c4"})

    assert response["X-Request-ID"] == "3f2a9c0d1b7e4e55a8c6d9e0f1a2b3c4"


def test_without_an_id_one_is_made_for_each_request(client):
    first = client.get("/health/")["X-Request-ID"]
    second = client.get("/health/")["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.parametrize("value", [
    "abc\r\nSet-Cookie: sessionid=stolen",  # header injection
    "abc\nINFO forged log line",
    "x" * 129,
    "<script>",
    "id with spaces",
    "-starts-with-a-dash",
    "",
])
def test_an_unsafe_id_is_replaced(value):
    made = request_id_from_header(value)

    assert made != value
    assert re.fullmatch(r"[0-9a-f]{32}", made)


@pytest.mark.parametrize("value", [
    "3f2a9c0d1b7e4e55a8c6d9e0f1a2b3c4", "0b6f4c1e-8d2a-4b7e-9c3d-2f1a0e9d8c7b", "Root=1-67891233",
])
def test_common_proxy_ids_are_accepted(value):
    assert request_id_from_header(value) == value


def test_an_injected_header_never_reaches_the_response(client):
    response = client.get("/health/", headers={"X-Request-ID": "abc Set-Cookie: x=1"})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert "x" not in response.cookies


def through_middleware(view, **headers):
    """Run `view` behind RequestIdMiddleware, as the handler would."""
    request = RequestFactory().get("/anything/", headers=headers)
    request.user = AnonymousUser()
    return RequestIdMiddleware(view)(request)


def test_log_records_written_during_a_request_carry_its_id(records):
    def view(request):
        view_logger.warning("in the view")
        return HttpResponse()

    response = through_middleware(view, **{"X-Request-ID": "req-42"})

    (record,) = [record for record in records if record.name == "guyub.test_view"]
    assert record.request_id == "req-42"
    assert record.path == "/anything/"
    assert record.method == "GET"
    assert record.user_id is None
    assert response["X-Request-ID"] == "req-42"


def test_records_outside_a_request_have_no_id(records):
    view_logger.warning("between requests")

    (record,) = [record for record in records if record.name == "guyub.test_view"]
    assert record.request_id == "-"
    assert record.user_id is None


def test_one_access_line_per_request_with_status_duration_and_user(client, records):
    user = UserFactory()
    client.force_login(user)

    client.get("/notifications/", headers={"X-Request-ID": "req-7"})

    (line,) = access_lines(records)
    assert line.levelno == logging.INFO
    assert line.request_id == "req-7"
    assert line.method == "GET"
    assert line.path == "/notifications/"
    assert line.status == 200
    assert line.user_id == user.pk
    assert isinstance(line.duration_ms, float) and line.duration_ms >= 0
    assert line.getMessage().startswith("GET /notifications/ 200 ")


def test_the_access_line_does_not_load_the_user_for_pages_that_do_not(client, records):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        client.get("/health/")

    (line,) = access_lines(records)
    assert line.status == 200
    assert line.user_id is None  # /health/ never asks who is signed in ...
    assert len(queries) == 1  # ... so logging did not cost a session or user query


def test_the_access_line_records_errors_too(client, records):
    client.get("/products/no-such-product/")

    (line,) = access_lines(records)
    assert line.status == 404


def test_json_formatter_writes_one_object_with_the_context(client, records):
    client.get("/health/", headers={"X-Request-ID": "req-json"})

    (line,) = access_lines(records)
    entry = json.loads(JsonFormatter().format(line))
    assert entry["request_id"] == "req-json"
    assert entry["logger"] == "guyub.requests"
    assert entry["level"] == "INFO"
    assert entry["method"] == "GET" and entry["path"] == "/health/"
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0
    assert entry["message"].startswith("GET /health/ 200")
    assert entry["time"].endswith("Z")
    assert "\n" not in JsonFormatter().format(line)


def test_json_formatter_keeps_the_traceback_in_the_object(records):
    try:
        raise ValueError("boom")
    except ValueError:
        view_logger.exception("failed: %s", "ünïcode")

    (record,) = [record for record in records if record.name == "guyub.test_view"]
    output = JsonFormatter().format(record)
    entry = json.loads(output)
    assert entry["message"] == "failed: ünïcode"
    assert "ValueError: boom" in entry["exception"]
    assert output.count("\n") == 0
    assert "request_id" not in entry  # outside a request: no placeholder noise


@task
def say_hello() -> None:
    logging.getLogger("guyub.test_task").warning("hello from the task")


def test_inline_tasks_log_under_the_request_with_their_task_id(records):
    def view(request):
        say_hello.enqueue()
        return HttpResponse()

    through_middleware(view, **{"X-Request-ID": "req-inline"})

    (inside,) = [record for record in records if record.name == "guyub.test_task"]
    assert inside.request_id == "req-inline"
    assert inside.task_id
    view_logger.warning("after the task")
    assert records[-1].task_id is None


@pytest.mark.django_db(transaction=True)
def test_worker_tasks_log_their_id_which_leads_back_to_the_request(records, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def view(request):
        say_hello.enqueue()
        return HttpResponse()

    through_middleware(view, **{"X-Request-ID": "req-queued"})
    (enqueued,) = [record for record in records if record.name == "guyub.tasks"]
    assert enqueued.request_id == "req-queued"
    assert not [record for record in records if record.name == "guyub.test_task"]

    # The worker sets its loggers' levels and its own signal handlers: put them back after.
    loggers = [logging.getLogger(name) for name in ("django.tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=1)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
        for number, handler in handlers.items():
            signal.signal(number, handler)

    (inside,) = [record for record in records if record.name == "guyub.test_task"]
    assert inside.task_id == enqueued.enqueued_task_id
    assert inside.request_id == "-"  # another process, in production


def test_settings_choose_the_formatter_by_log_format(settings):
    from importlib import import_module

    assert settings.LOGGING["handlers"]["console"]["formatter"] == settings.LOG_FORMAT
    assert "request_context" in settings.LOGGING["handlers"]["console"]["filters"]
    assert settings.MIDDLEWARE[0] == "cms.middleware.RequestIdMiddleware"
    assert import_module("cms.settings.base").LOGGING["formatters"]["json"]["()"] == (
        "cms.logging.JsonFormatter")


def test_production_logs_json_lines_from_every_process():
    # What a web process or `manage.py db_worker` writes to stderr with production settings.
    result = run_python(
        """
        import logging
        import django
        django.setup()
        logging.getLogger("django_tasks_db").warning("Worker %s started", "w1")
        """,
        server_environment(DATABASE_URL="sqlite://:memory:", LOG_FORMAT=None),
    )

    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.strip().splitlines()
    entry = json.loads(line)
    assert entry["logger"] == "django_tasks_db"
    assert entry["message"] == "Worker w1 started"
    assert entry["level"] == "WARNING"


def test_log_format_plain_brings_text_back_in_production():
    result = run_python(
        """
        import logging
        import django
        django.setup()
        logging.getLogger("guyub").warning("plain please")
        """,
        server_environment(DATABASE_URL="sqlite://:memory:", LOG_FORMAT="plain"),
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("WARNING guyub [-] plain please")
