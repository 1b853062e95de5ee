from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.defaults import server_error as html_server_error

from cms.forms import SignUpForm
from cms.services import notification_mark_read


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
def media(request, path):
    """Uploads for development and tests; in production the proxy or object storage serves them."""
    try:
        return FileResponse(default_storage.open(path))
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404 from None


def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
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
