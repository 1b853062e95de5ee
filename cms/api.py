"""Conventions shared by every endpoint under /api/v1/: pagination, JSON errors and write
throttling."""

from axes.helpers import get_client_ip_address
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

# Ids are 64-bit (BigAutoField): a larger number is no object, and SQLite cannot even compare
# it (OverflowError), so it must not reach a query.
ID_MAX = 2**63 - 1


def parse_id(value: str) -> int | None:
    """`value` as an object id, or None if it is not one: ASCII digits only (str.isdigit also
    accepts "²", which int() refuses) and no larger than any id."""
    if not (value.isascii() and value.isdigit()) or int(value) > ID_MAX:
        return None
    return int(value)


def query_id(request, name: str, *, message: str) -> int | None:
    """The query parameter `name` as an object id; None when absent or empty. Anything else is
    a 400 in the API's error shape, with `message`."""
    value = request.query_params.get(name, "")
    if not value:
        return None
    number = parse_id(value)
    if number is None:
        raise exceptions.ValidationError({name: [message]})
    return number


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def client_ip_address(request) -> str | None:
    """The visitor's address as login throttling (django-axes) sees it: behind a proxy the
    production settings read it from X-Forwarded-For (AXES_CLIENT_IP_CALLABLE)."""
    return get_client_ip_address(request, use_ipware=False)


class _WriteThrottle(SimpleRateThrottle):
    """Counts only requests that change something; reads are never throttled. A subclass's
    get_cache_key answers None for requests it does not count."""

    def get_rate(self):
        # Read at call time (not import time) so the rate follows settings changes.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class UserWriteThrottle(_WriteThrottle):
    """API writes per signed-in person (`API_WRITE_RATE`)."""

    scope = "api_write"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonWriteThrottle(_WriteThrottle):
    """API writes per address for visitors not signed in, such as token requests
    (`API_ANON_WRITE_RATE`)."""

    scope = "api_write_anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip_address(request)}


def exception_handler(exc, context):
    """Every error is `{"message": ..., "errors": {field: [messages]}}`."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {
            "non_field_errors": response.data
        }
        response.data = {"message": _("Some fields are not valid."), "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {"message": str(detail) or _("Request failed."), "errors": {}}
    return response


@csrf_exempt  # answers every method; there is nothing here to forge
def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/, such as an id the router's pattern refuses ("1.5",
    "a.b"), answers the API's JSON 404 rather than the site's HTML page."""
    return JsonResponse({"message": str(exceptions.NotFound.default_detail), "errors": {}},
                        status=404)


def schema_public_endpoints(endpoints):
    """Only /api/v1/ is public; Wagtail's admin API stays out of the schema."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
