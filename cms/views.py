from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as html_server_error

from cms.forms import SignUpForm


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
        messages.success(request, _("Welcome to Guyub! Now tell buyers about your enterprise."))
        return redirect("enterprise_create")
    return render(request, "registration/signup.html", {"form": form})


def server_error(request, template_name="500.html"):
    """API clients get the API's JSON error shape even for unexpected failures."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"message": _("Something went wrong on our side. Please try again."), "errors": {}},
            status=500,
        )
    return html_server_error(request, template_name)
