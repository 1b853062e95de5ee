"""Conventions shared by every endpoint under /api/v1/: pagination, JSON errors and write
throttling."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.module_loading import import_string
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
    """The visitor's address, as login throttling (django-axes) sees it: behind a proxy the
    production settings read it from X-Forwarded-For (AXES_CLIENT_IP_CALLABLE)."""
    address_of = getattr(settings, "AXES_CLIENT_IP_CALLABLE", None)
    if isinstance(address_of, str):
        address_of = import_string(address_of)
    if callable(address_of):
        return address_of(request)
    return request.META.get("REMOTE_ADDR")


class _WriteThrottle(SimpleRateThrottle):
    """Counts only requests that change something; reads are never throttled."""

    def get_rate(self):
        # Read at call time (not import time) so the rate follows settings changes.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS or not self._applies_to(request):
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def _applies_to(self, request) -> bool:
        raise NotImplementedError


class UserWriteThrottle(_WriteThrottle):
    """API writes per signed-in person (`API_WRITE_RATE`)."""

    scope = "api_write"

    def _applies_to(self, request) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonWriteThrottle(_WriteThrottle):
    """API writes per address for visitors not signed in, such as token requests
    (`API_ANON_WRITE_RATE`)."""

    scope = "api_write_anon"

    def _applies_to(self, request) -> bool:
        return not (request.user and request.user.is_authenticated)

    def get_cache_key(self, request, view):
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
