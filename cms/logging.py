"""Structured logs: every record carries the request (or task) it belongs to.

RequestIdMiddleware (cms.middleware) opens a context for each request; RequestContextFilter, set
on the handlers in settings.LOGGING, copies it onto every record that reaches them, whichever
logger wrote it; JsonFormatter writes one JSON object a line for log collectors.

The logging configuration imports this module in every process (web and `db_worker`), so the task
signal receivers below are connected wherever tasks are enqueued or run."""

import datetime
import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils.functional import empty


@dataclass
class RequestContext:
    request_id: str
    method: str = ""
    path: str = ""
    # The request itself, to read the user once authentication has loaded it (never forcing it:
    # that would cost queries on pages that do not need the user).
    request: Any = field(default=None, repr=False)


current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)
current_task_id: ContextVar[str | None] = ContextVar("current_task_id", default=None)

# Attributes of every LogRecord; anything else on a record came from `extra=` and is written out.
# Django's own loggers pass the request object (or the socket) as `request`: not for a log line.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message", "asctime", "taskName", "request",
}
CONTEXT_FIELDS = ("request_id", "user_id", "method", "path", "task_id")


def user_id_if_loaded(request) -> int | None:
    """The signed-in user's id if authentication has already loaded the user, else None."""
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # AuthenticationMiddleware's SimpleLazyObject
    if wrapped is empty:
        return None
    return getattr(wrapped, "pk", None) if getattr(wrapped, "is_authenticated", False) else None


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id, method, path and task_id to every record (None outside a
    request or task), so formats and the JSON formatter can always name them."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_request.get()
        # A value given explicitly with extra= wins (the access log passes its own).
        defaults = {
            "request_id": context.request_id if context else None,
            "user_id": user_id_if_loaded(context.request) if context else None,
            "method": context.method if context else None,
            "path": context.path if context else None,
            "task_id": current_task_id.get(),
        }
        for name, value in defaults.items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        if record.request_id is None:
            record.request_id = "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, the request and task
    context, any `extra=` fields, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value not in (None, "-"):
                entry[name] = value
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and name not in entry and name not in CONTEXT_FIELDS:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


# --- Tasks -------------------------------------------------------------------------------------

task_logger = logging.getLogger("guyub.tasks")


def _log_task_enqueued(sender, task_result, **kwargs) -> None:
    # Written inside the request that enqueued the task, so the record carries its request_id:
    # searching the logs for the task id leads back to the request. A task run inline logs under
    # the request anyway (and seed_demo runs thousands of them).
    if issubclass(sender, ImmediateBackend):
        return
    task_logger.info("Task enqueued id=%s path=%s", task_result.id,
                     task_result.task.module_path,
                     extra={"enqueued_task_id": str(task_result.id)})


def _task_context_open(sender, task_result, **kwargs) -> None:
    current_task_id.set(str(task_result.id))


def _task_context_close(sender, task_result, **kwargs) -> None:
    current_task_id.set(None)


task_enqueued.connect(_log_task_enqueued, dispatch_uid="guyub_log_task_enqueued")
task_started.connect(_task_context_open, dispatch_uid="guyub_task_context_open")
# Django's own "Task ... state=SUCCESSFUL" receiver was connected first, so it still logs with the
# task id before this one clears it.
task_finished.connect(_task_context_close, dispatch_uid="guyub_task_context_close")
