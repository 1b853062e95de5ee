"""Request checks that apply to every page."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from cms.logging import RequestContext, current_request, user_id_if_loaded


class RejectNulBytesMiddleware:
    """A NUL character in the query string or a form field is never real input; PostgreSQL
    refuses it in text, so a search for "a%00b" would otherwise end in a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for _key, values in request.GET.lists() for value in values):
            message = _("The address contains a character that is not allowed.")
            if request.path_info.startswith("/api/"):  # the API's JSON error shape (cms.api)
                return JsonResponse({"message": message, "errors": {}}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class AdminContentSecurityPolicyMiddleware:
    """Chooses the looser Content-Security-Policy for the admin sites and the API docs.

    The strict policy (settings.SECURE_CSP) covers every other page. This sits inside
    Django's ContentSecurityPolicyMiddleware, which builds the header from the config set here;
    a view decorated with csp_override keeps its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if hasattr(response, "_csp_config"):
            return response
        path = request.path_info
        if path.startswith(("/admin/", "/django-admin/")):
            response._csp_config = settings.SECURE_CSP_ADMIN
        elif path.startswith("/api/v1/docs/"):
            response._csp_config = settings.SECURE_CSP_API_DOCS
        return response


class RequestIdMiddleware:
    """Gives each request an id, taken from the reverse proxy's X-Request-ID when it is a plain
    token (so the proxy's and the app's log lines match) or made here, and returns it in the
    X-Request-ID response header. Log records written while the request runs carry it (see
    cms.logging), and one access line per request goes to the "guyub.requests" logger.

    First in MIDDLEWARE, so the access line times and reports every response, redirects and
    refusals by later middleware included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from_header(request.META.get("HTTP_X_REQUEST_ID", ""))
        request.request_id = request_id
        context = RequestContext(request_id=request_id, method=request.method,
                                 path=request.path, request=request)
        token = current_request.set(context)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response["X-Request-ID"] = request_id
            access_logger.info(
                "%s %s %s %.1fms", request.method, request.path, response.status_code,
                duration_ms,
                extra={"status": response.status_code, "duration_ms": duration_ms,
                       "user_id": user_id_if_loaded(request)},
            )
            return response
        finally:
            current_request.reset(token)


# Letters, digits and a few separators: what proxies generate (nginx's $request_id is 32 hex
# digits, others use UUIDs or base64). Anything else, a line break above all, is replaced so a
# client cannot forge log lines or response headers.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")

access_logger = logging.getLogger("guyub.requests")


def request_id_from_header(value: str) -> str:
    if REQUEST_ID_PATTERN.fullmatch(value):
        return value
    return uuid.uuid4().hex


# A driver's "cannot reach the server" (connection refused, dropped, timed out, too many
# clients) and, on SQLite, "database is locked" after its busy timeout.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
database_logger = logging.getLogger("guyub.database")


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached, a page answers 503 with a short page in the
    visitor's language ("nothing you sent was saved; try again in a minute") and the API a 503
    JSON error, both with Retry-After, instead of a 500. Writes are atomic, so a request that
    failed half-way left nothing behind. The page is rendered without the database (no
    context processors). cms.views.server_error does the same for errors raised outside views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return None
        # With the traceback: on SQLite a schema mistake is an OperationalError too.
        database_logger.error("Database unavailable: %s %s answered 503", request.method,
                              request.path, exc_info=exception)
        return database_unavailable_response(request)


def database_unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse({"message": _(
            "Guyub is briefly unavailable. Nothing you sent was saved. Please try again in a "
            "minute."), "errors": {}}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)  # a proxy or the service worker must not keep it
    return response
