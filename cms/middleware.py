"""Request checks that apply to every page."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """A NUL character in the query string or a form field is never real input; PostgreSQL
    refuses it in text, so a search for "a%00b" would otherwise end in a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for _key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest(
                _("The address contains a character that is not allowed."))
        return self.get_response(request)
