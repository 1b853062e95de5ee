import hmac
import math
import sys
import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Min
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.defaults import server_error as html_server_error

from cms.forms import SignUpForm
from cms.middleware import DATABASE_UNAVAILABLE_ERRORS, database_unavailable_response
from cms.services import notification_mark_read, rate_window_record, rate_window_wait


@require_safe
@never_cache
def health(request):
    """200 when the database answers, 503 otherwise; for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


@require_safe
@never_cache
def task_health(request):
    """The task queue for monitoring: tasks by status, how long the oldest due task has waited,
    failures in the last 24 hours and the age of the latest network snapshot. 200 "ok", or 503
    "degraded" when a task has waited longer than TASKS_HEALTH_MAX_QUEUE_AGE seconds (no worker
    running, or too few). Staff, or a monitor with the HEALTH_TOKEN bearer token."""
    if not (request.user.is_staff or _health_token_given(request)):
        return JsonResponse({"status": "forbidden"}, status=403)
    report = _task_queue_report(now=timezone.now())
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def _health_token_given(request) -> bool:
    expected = settings.HEALTH_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), expected.encode())


def _task_queue_report(*, now) -> dict:
    from django.tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    from enterprises.selectors.network import network_snapshot_latest

    by_status = dict.fromkeys((status.lower() for status in TaskResultStatus.values), 0)
    for row in DBTaskResult.objects.order_by().values("status").annotate(count=Count("pk")):
        by_status[row["status"].lower()] = row["count"]
    # A task is due from its enqueueing, or from its run_after when one was given.
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by()
    due_times = [
        ready.filter(run_after=get_date_max()).aggregate(oldest=Min("enqueued_at"))["oldest"],
        ready.filter(run_after__lte=now).aggregate(oldest=Min("run_after"))["oldest"],
    ]
    due_times = [moment for moment in due_times if moment is not None]
    oldest_age = round((now - min(due_times)).total_seconds()) if due_times else None
    failed_24h = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(hours=24)).count()
    snapshot = network_snapshot_latest()
    snapshot_age = (round((now - snapshot.finished_at).total_seconds())
                    if snapshot is not None and snapshot.finished_at else None)
    max_age = settings.TASKS_HEALTH_MAX_QUEUE_AGE
    degraded = oldest_age is not None and oldest_age > max_age
    return {
        "status": "degraded" if degraded else "ok",
        "tasks": by_status,
        "oldest_queued_age_seconds": oldest_age,
        "max_queue_age_seconds": max_age,
        "failed_last_24h": failed_24h,
        "network_snapshot_age_seconds": snapshot_age,
    }


@require_safe
def media(request, path):
    """Uploads for development and tests; in production the proxy or object storage serves them."""
    try:
        return FileResponse(default_storage.open(path))
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404 from None


SIGNUP_WINDOW = 3600  # seconds


def _signup_key(request) -> str:
    from cms.api import client_ip_address

    return f"signup:{client_ip_address(request)}"


def _signup_wait_minutes(request) -> int:
    """Minutes until this address may create another account; 0 when it may now. Counted in
    the shared cache, like the forum's edit limit."""
    wait = rate_window_wait(key=_signup_key(request), limit=settings.SIGNUPS_PER_HOUR,
                            seconds=SIGNUP_WINDOW, now=time.time())
    return max(1, math.ceil(wait / 60)) if wait else 0


def _signup_record(request) -> None:
    rate_window_record(key=_signup_key(request), seconds=SIGNUP_WINDOW, now=time.time())


def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    wait = _signup_wait_minutes(request) if request.method == "POST" else 0
    if wait:
        form.is_valid()  # bound forms show the visitor's input back
        form.add_error(None, ngettext(
            "Too many accounts were created from your connection. Try again in %(minutes)d "
            "minute.",
            "Too many accounts were created from your connection. Try again in %(minutes)d "
            "minutes.",
            wait,
        ) % {"minutes": wait})
        return render(request, "registration/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        _signup_record(request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        _referral_record(request, user)
        messages.success(request, _("Welcome to Guyub! Now tell buyers about your enterprise."))
        return redirect("enterprise_create")
    return render(request, "registration/signup.html", {"form": form})


def _referral_record(request, user) -> None:
    """Whoever signs up after opening an invite link (/join/<code>/) was referred by its
    enterprise."""
    from enterprises.selectors.connections import invite_active
    from enterprises.services.referrals import INVITE_SESSION_KEY, referral_record_signup

    invite = invite_active(code=request.session.pop(INVITE_SESSION_KEY, ""))
    if invite is not None:
        referral_record_signup(invite=invite, user=user)


def server_error(request, template_name="500.html"):
    """API clients get the API's JSON error shape even for unexpected failures."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE_ERRORS):  # raised outside a view
        return database_unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"message": _("Something went wrong on our side. Please try again."), "errors": {}},
            status=500,
        )
    return html_server_error(request, template_name)


@login_required
def notification_list(request):
    from cms.models import Notification

    notifications = Notification.objects.filter(user=request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "cms/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk=None):
    """Mark one notification (then follow its link) or all of them as read."""
    from cms.models import Notification

    if pk is None:
        notification_mark_read(user=request.user)
        return redirect("notification_list")
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_mark_read(user=request.user, notification_ids=[notification.pk])
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notification_list")
    return redirect(target or "notification_list")
