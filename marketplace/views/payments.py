"""Stripe's side of payments: the webhook, and sellers connecting a Stripe Express account from
their dashboard so card sales are transferred to them."""

import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from enterprises.models import Enterprise
from enterprises.selectors import user_can_manage_enterprise
from marketplace.payments import stripe as stripe_payments
from marketplace.payments import stripe_enabled
from marketplace.payments.webhooks import stripe_event_handle

logger = logging.getLogger(__name__)


def _error(message: str, *, status: int) -> JsonResponse:
    return JsonResponse({"message": message, "errors": {}}, status=status)


def _verified_event(request, secrets: list[str]) -> dict:
    """The event, if signed with one of the secrets (else SignatureVerificationError)."""
    client = stripe_payments.stripe_client()
    payload, header = request.body, request.headers.get("Stripe-Signature")
    for secret in secrets[:-1]:
        try:
            return client.construct_event(payload, header, secret).to_dict()
        except stripe.SignatureVerificationError:
            continue
    return client.construct_event(payload, header, secrets[-1]).to_dict()


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events, signed with STRIPE_WEBHOOK_SECRET. 404 while Stripe is off (no secret
    key), 400 for a missing webhook secret, a bad signature or a bad payload (Stripe shows
    these in its dashboard), 503 when Stripe or the database is unreachable and Stripe must
    deliver again later, 500 (JSON, also retried) when handling failed, else 200."""
    if not stripe_enabled():
        raise Http404
    # Comma-separated: the platform's endpoint and the Connect endpoint (account.updated of
    # the sellers' accounts) each have their own signing secret.
    secrets = [secret.strip() for secret in settings.STRIPE_WEBHOOK_SECRET.split(",")
               if secret.strip()]
    if not secrets:
        logger.error("A Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not set")
        return _error("Webhook signing secret is not configured.", status=400)
    try:
        event = _verified_event(request, secrets)
        if not (event.get("id") and event.get("type")
                and isinstance(event.get("data", {}).get("object"), dict)):
            raise ValueError("not an event")
    except stripe.SignatureVerificationError:
        return _error("Invalid signature.", status=400)
    except (ValueError, TypeError, AttributeError):
        return _error("Invalid payload.", status=400)
    try:
        result = stripe_event_handle(event=event)
    except (stripe_payments.StripeUnavailable, stripe.StripeError, DatabaseError):
        # Nothing was stored (the event id commits with the work), so the retry redoes it all.
        logger.warning("Stripe event %s not handled yet; Stripe will retry", event["id"],
                       exc_info=True)
        return _error("Try again later.", status=503)
    except Exception:
        # A bug in a handler: still rolled back and still JSON, so Stripe keeps retrying
        # while the fix is deployed, and its dashboard shows the failure.
        logger.exception("Stripe event %s failed; Stripe will retry", event["id"])
        return _error("The event could not be handled.", status=500)
    return JsonResponse({"status": result})


def _connectable_enterprise(request, slug: str) -> Enterprise:
    if not stripe_enabled():
        raise Http404
    enterprise = get_object_or_404(Enterprise, slug=slug)
    if not user_can_manage_enterprise(user=request.user, enterprise=enterprise):
        raise PermissionDenied
    return enterprise


def _connect_context(enterprise: Enterprise, *, returned: bool) -> dict:
    return {"enterprise": enterprise, "returned": returned,
            "fee_percent": settings.PLATFORM_FEE_PERCENT}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stripe_connect_start(request, slug):
    """GET: what connecting means, with a button (also where Stripe sends the seller back when
    an onboarding link has expired). POST: create the account once, and go to Stripe."""
    enterprise = _connectable_enterprise(request, slug)
    if request.method == "POST":
        try:
            url = stripe_payments.connect_onboarding_link(
                enterprise=enterprise, email=request.user.email,
                refresh_url=request.build_absolute_uri(
                    reverse("stripe_connect_start", args=[enterprise.slug])),
                return_url=request.build_absolute_uri(
                    reverse("stripe_connect_return", args=[enterprise.slug])),
            )
        except stripe_payments.StripeUnavailable:
            messages.error(request, _("Stripe could not be reached. Try again in a moment."))
            return redirect("stripe_connect_start", enterprise.slug)
        return redirect(url)
    return render(request, "marketplace/stripe_connect.html",
                  _connect_context(enterprise, returned=False))


@login_required
@require_safe
def stripe_connect_return(request, slug):
    """Back from Stripe: its current state of the account, read now."""
    enterprise = _connectable_enterprise(request, slug)
    if enterprise.stripe_account_id:
        try:
            stripe_payments.connect_account_sync(enterprise=enterprise)
        except stripe_payments.StripeUnavailable:
            messages.warning(request, _("Stripe could not be reached to check your account. "
                                        "Look again in a moment."))
    return render(request, "marketplace/stripe_connect.html",
                  _connect_context(enterprise, returned=True))
