""""Your network" (/dashboard/network/): an enterprise's ties, referrals, invite link,
collaboration requests, suggestions and its own income; and the join page (/join/<code>/).

Only the people who run an enterprise see its page and its income, or act for it: anyone else
gets a 404, as for a missing row. Writes are POST-only and go back where they came from (the
dashboard, the join page or the network page); a refused action is a message."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from enterprises import selectors as enterprise_selectors
from enterprises.forms_connections import (
    CollaborationRequestForm,
    IncomeReportForm,
    ReferredByForm,
    month_last,
)
from enterprises.models import CollaborationRequest, Enterprise, IncomeRecord, Tie
from enterprises.selectors import connections as selectors
from enterprises.services import collaborations, referrals
from enterprises.services.income import income_report as income_report_service

HISTORY_MONTHS = 12


def _managed(request, slug) -> Enterprise:
    """The enterprise, for its own people only (404 for everyone else: its page shows income)."""
    return get_object_or_404(
        Enterprise.objects.select_related("regency", "province").distinct(),
        slug=slug, memberships__user=request.user,
    )


def _flash(request, error: ValidationError | PermissionDenied) -> None:
    problems = error.messages if isinstance(error, ValidationError) else [str(error)]
    for message in problems:
        messages.error(request, message)


def _form_problems(request, form) -> None:
    for problems in form.errors.values():
        for message in problems:
            messages.error(request, message)


def _back(request, enterprise: Enterprise, anchor: str = ""):
    target = request.POST.get("next", "")
    # A path on this site only: redirect() would read a bare word as a URL name (a 500 when it
    # is none, another page when it is one), and a relative path lands who knows where.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect(reverse("your_network", kwargs={"slug": enterprise.slug}) + anchor)


def invite_url(request, invite) -> str:
    """The link to share: in the default language (no /en/), whatever page it is shown on."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("join", kwargs={"code": invite.code})
    return request.build_absolute_uri(path)


def _income_form(enterprise: Enterprise, amount: int | None) -> IncomeReportForm:
    return IncomeReportForm(prefix=f"income-{enterprise.pk}",
                            initial={"month": month_last(), "amount": amount})


def dashboard_network(request, enterprises) -> list[dict]:
    """The dashboard's network panel, one entry per enterprise, in fixed queries (an invite
    link is made the first time an enterprise's people open the dashboard)."""
    panels = selectors.network_panels(enterprises=enterprises)
    result = []
    for enterprise in enterprises:
        panel = panels[enterprise.pk]
        if panel["invite"] is None and enterprise.is_active:
            panel["invite"] = referrals.invite_for(enterprise=enterprise, user=request.user)
        result.append({
            **panel, "enterprise": enterprise,
            "invite_url": invite_url(request, panel["invite"]) if panel["invite"] else "",
            "income_form": _income_form(enterprise, panel["last_month_income"]),
        })
    return result


@login_required
@require_safe
def your_network_index(request):
    enterprise = enterprise_selectors.enterprise_list_for_user(user=request.user).order_by(
        "name", "pk").first()
    if enterprise is None:
        return redirect("dashboard")
    return redirect("your_network", slug=enterprise.slug)


def _not_own(request, enterprise: Enterprise) -> Q:
    return Q(pk=enterprise.pk) | Q(memberships__user=request.user)


@login_required
@require_safe
def your_network(request, slug):
    enterprise = _managed(request, slug)
    network = selectors.your_network(enterprise=enterprise)
    if network["invite"] is None and enterprise.is_active:
        network["invite"] = referrals.invite_for(enterprise=enterprise, user=request.user)
    query = request.GET.get("q", "")[:100]
    partner_query = request.GET.get("partner", "")[:100]
    own = list(enterprise_selectors.enterprise_list_for_user(user=request.user).order_by(
        "name", "pk"))
    return render(request, "enterprises/connections/your_network.html", {
        "enterprise": enterprise,
        "own_enterprises": own,
        "network": network,
        "invite_url": invite_url(request, network["invite"]) if network["invite"] else "",
        "suggestions": selectors.connection_suggestions(enterprise=enterprise),
        "query": query,
        "referrer_candidates": selectors.enterprise_search(
            text=query, exclude=_not_own(request, enterprise)
        ) if query and network["referred_by"] is None else [],
        "partner_query": partner_query,
        "partner_candidates": selectors.enterprise_search(
            text=partner_query, exclude=_not_own(request, enterprise)
        ) if partner_query else [],
        "collaboration_form": CollaborationRequestForm(),
    })


@login_required
@require_POST
def invite_renew(request, slug):
    enterprise = _managed(request, slug)
    try:
        referrals.invite_renew(enterprise=enterprise, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        _flash(request, error)
    else:
        messages.success(request, _("Here is your new invite link. The old one no longer "
                                    "works."))
    return _back(request, enterprise, "#invite")


@login_required
@require_POST
def referred_by_set(request, slug):
    enterprise = _managed(request, slug)
    form = ReferredByForm(request.POST)
    if not form.is_valid():
        _form_problems(request, form)
        return _back(request, enterprise, "#referrals")
    referrer = form.cleaned_data["referrer"]
    try:
        referrals.referred_by_set(enterprise=enterprise, referrer=referrer, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        _flash(request, error)
    else:
        messages.success(request, _("Thank you. %(referrer)s is recorded as having referred "
                                    "%(name)s.") % {"referrer": referrer.name,
                                                    "name": enterprise.name})
    return _back(request, enterprise, "#referrals")


@login_required
@require_POST
def collaboration_request_create(request, slug):
    enterprise = _managed(request, slug)
    form = CollaborationRequestForm(request.POST)
    if not form.is_valid():
        _form_problems(request, form)
        return _back(request, enterprise, "#collaborate")
    partner = form.cleaned_data["enterprise"]
    try:
        result = collaborations.collaboration_request(
            from_enterprise=enterprise, to_enterprise=partner, user=request.user,
            note=form.cleaned_data["note"],
        )
    except (ValidationError, PermissionDenied) as error:
        _flash(request, error)
    else:
        if result.status == CollaborationRequest.Status.CONFIRMED:
            messages.success(request, _("%(name)s had already said you work together. It is "
                                        "now confirmed.") % {"name": partner.name})
        else:
            messages.success(request, _("Sent. %(name)s is asked to confirm that you work "
                                        "together.") % {"name": partner.name})
    return _back(request, enterprise, "#collaborate")


def _request_for(request, pk, *, side: str) -> CollaborationRequest:
    """A request, for the people of its `side` ("to_enterprise" or "from_enterprise") only."""
    return get_object_or_404(
        CollaborationRequest.objects.select_related("from_enterprise", "to_enterprise")
        .distinct(),
        pk=pk, **{f"{side}__memberships__user": request.user},
    )


def _answer(request, pk, *, side: str, action, success: str):
    collaboration = _request_for(request, pk, side=side)
    own = getattr(collaboration, side)
    try:
        action(request=collaboration, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        _flash(request, error)
    else:
        other = (collaboration.from_enterprise if side == "to_enterprise"
                 else collaboration.to_enterprise)
        messages.success(request, success % {"name": other.name})
    return _back(request, own, "#requests")


@login_required
@require_POST
def collaboration_confirm(request, pk):
    return _answer(request, pk, side="to_enterprise",
                   action=collaborations.collaboration_confirm,
                   success=_("Confirmed: you and %(name)s work together."))


@login_required
@require_POST
def collaboration_decline(request, pk):
    return _answer(request, pk, side="to_enterprise",
                   action=collaborations.collaboration_decline,
                   success=_("Declined. %(name)s is told."))


@login_required
@require_POST
def collaboration_withdraw(request, pk):
    return _answer(request, pk, side="from_enterprise",
                   action=collaborations.collaboration_withdraw,
                   success=_("Your request to %(name)s is withdrawn."))


def _income_page(request, enterprise: Enterprise, form: IncomeReportForm, status: int = 200):
    return render(request, "enterprises/connections/income_history.html", {
        "enterprise": enterprise,
        "history": selectors.income_history(enterprise=enterprise, months=HISTORY_MONTHS),
        "form": form,
        "source_self_reported": IncomeRecord.Source.SELF_REPORTED,
    }, status=status)


@login_required
@require_safe
def income_history(request, slug):
    enterprise = _managed(request, slug)
    reported = IncomeRecord.objects.filter(
        enterprise=enterprise, month=month_last(), source=IncomeRecord.Source.SELF_REPORTED
    ).values_list("amount", flat=True).first()
    return _income_page(request, enterprise, _income_form(enterprise, reported))


@login_required
@require_POST
def income_report(request, slug):
    """The monthly form, posted from the dashboard or the income page. Bad input shows the
    income page with the form and its errors."""
    enterprise = _managed(request, slug)
    form = IncomeReportForm(request.POST, prefix=f"income-{enterprise.pk}")
    if form.is_valid():
        try:
            record = income_report_service(
                enterprise=enterprise, month=form.cleaned_data["month"],
                amount=form.cleaned_data["amount"], user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error.messages if isinstance(error, ValidationError)
                               else str(error))
        else:
            messages.success(request, _("Saved: %(month)s.") % {
                "month": _month_name(record.month)})
            return _back(request, enterprise)
    return _income_page(request, enterprise, form)


def _month_name(month) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


# --- /join/<code>/ ------------------------------------------------------------------------------


def _referrable(request, inviter: Enterprise) -> list[Enterprise]:
    """The user's enterprises that could still say the inviter referred them."""
    if not request.user.is_authenticated:
        return []
    if inviter.memberships.filter(user=request.user).exists():
        return []
    has_referrer = Tie.objects.filter(kind=Tie.Kind.REFERRAL, to_enterprise__isnull=False)
    return list(
        enterprise_selectors.enterprise_list_for_user(user=request.user)
        .filter(is_active=True).exclude(pk=inviter.pk)
        .exclude(pk__in=has_referrer.values("to_enterprise")).order_by("name", "pk")
    )


@require_http_methods(["GET", "HEAD", "POST"])
def join(request, code):
    invite = selectors.invite_active(code=code)
    if invite is None:
        return render(request, "enterprises/connections/join_invalid.html", status=404)
    inviter = invite.enterprise
    own_link = request.user.is_authenticated and inviter.memberships.filter(
        user=request.user).exists()
    referrable = _referrable(request, inviter)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        chosen = next((enterprise for enterprise in referrable
                       if enterprise.slug == request.POST.get("enterprise")), None)
        if chosen is None:
            messages.error(request, _("Choose one of your enterprises that has no referrer "
                                      "yet."))
            return redirect(request.path)
        try:
            referrals.referred_by_set(enterprise=chosen, referrer=inviter, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            _flash(request, error)
            return redirect(request.path)
        messages.success(request, _("Thank you. %(referrer)s is recorded as having referred "
                                    "%(name)s.") % {"referrer": inviter.name,
                                                    "name": chosen.name})
        return redirect("your_network", slug=chosen.slug)
    if not request.user.is_authenticated:
        # Kept until sign-up, which records the referral (cms.views.signup).
        request.session[referrals.INVITE_SESSION_KEY] = invite.code
    return render(request, "enterprises/connections/join.html", {
        "invite": invite, "inviter": inviter, "own_link": own_link, "referrable": referrable,
        "has_enterprise": request.user.is_authenticated
        and enterprise_selectors.enterprise_list_for_user(user=request.user).exists(),
    })
