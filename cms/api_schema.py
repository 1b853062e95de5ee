"""The OpenAPI schema's conventions: the errors every operation documents (cms.api's JSON
error shape). Apart from cms.api because drf-spectacular imports DRF's views, which import the
throttle classes in cms.api (REST_FRAMEWORK settings)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


@extend_schema_field({
    "type": "object",
    "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
})
class FieldErrorsField(serializers.DictField):
    """Field name → its messages; a nested field's errors nest (a list of items' errors, or a
    dict by key)."""


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (exception_handler)."""

    message = serializers.CharField()
    errors = FieldErrorsField(help_text=_(
        "Messages by field (`non_field_errors` for the whole input); empty unless the input "
        "was not valid."))


# Pagination ignores a page size it cannot read, and answers 404 to a page it cannot find.
PAGINATION_PARAMETERS = {"page", "page_size"}

ERROR_DESCRIPTIONS = {
    "400": _("The input (body or query) is not valid."),
    "403": _("Not signed in, a wrong token, or not allowed."),
    "404": _("Not found, or not yours to see (also a page past the last)."),
    "429": _("Too many writes: wait as long as the Retry-After header says."),
}


class AutoSchema(SpectacularAutoSchema):
    """Documents the errors every operation can answer, in the shape exception_handler gives
    them, so clients (and the schema fuzzing test) can rely on the status codes:

    - 400 when there is input to reject: a body, or filters in the query;
    - 403 everywhere: a wrong token is refused even on public reads (SessionAuthentication
      comes first, so DRF answers 403 rather than 401 to anyone not signed in);
    - 404 with a path parameter, or a paginated list (a page past the last);
    - 429 on writes the write throttles count."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        locations = {parameter["in"] for parameter in operation.get("parameters", [])}
        writes = self.method not in SAFE_METHODS
        filters = {parameter["name"] for parameter in operation.get("parameters", [])
                   if parameter["in"] == "query"} - PAGINATION_PARAMETERS
        codes = ["403"]
        if writes or filters:
            codes.append("400")
        if "path" in locations or (self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if writes and self.view.throttle_classes:
            codes.append("429")
        for code in sorted(codes):
            if code not in operation["responses"]:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = ERROR_DESCRIPTIONS[code]
                operation["responses"][code] = response
        return operation
