"""What the bulk-order and joint-offer views share: a cooperative managed by the user, and
errors shown as messages on the page the member is sent back to."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from enterprises.models import Cooperative
from enterprises.selectors.cooperatives import user_is_manager


def managed_cooperative(request) -> Cooperative:
    """The active cooperative named by ?cooperative=<slug>, if the user manages it."""
    cooperative = get_object_or_404(Cooperative, slug=request.GET.get("cooperative", ""),
                                    is_active=True)
    if not user_is_manager(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    return cooperative


def flash_errors(request, *, error: ValidationError | None = None, form=None) -> None:
    problems = error.messages if error is not None else [
        message for errors in form.errors.values() for message in errors
    ]
    for message in problems:
        messages.error(request, message)
