"""Conventions shared by every endpoint under /api/v1/: pagination, JSON errors and write
throttling."""

from axes.helpers import get_client_ip_address
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler


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


def schema_public_endpoints(endpoints):
    """Only /api/v1/ is public; Wagtail's admin API stays out of the schema."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
