"""Mentoring pages: the public list of offers, asking for mentoring, and the dashboard where
mentors answer and mentees follow their requests.

Writes are POST-only and come back to the dashboard. Someone who does not run the enterprise
concerned gets a 404, as for a missing row; a refused action is a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from cms.htmx import list_template
from enterprises import selectors as enterprise_selectors
from knowledge.forms.mentoring import (
    MentoringDecisionForm,
    MentoringOfferFilter,
    MentoringOfferForm,
    MentoringRequestForm,
)
from knowledge.models import MentoringOffer, MentoringRequest
from knowledge.selectors import mentoring as selectors
from knowledge.services import mentoring as services

PAGE_SIZE = 20


def _flash(request, error: ValidationError | PermissionDenied) -> None:
    problems = error.messages if isinstance(error, ValidationError) else [str(error)]
    for message in problems:
        messages.error(request, message)


def _form_error(form, error: ValidationError | PermissionDenied) -> None:
    """A service's refusal shown on the form: on its field when it names one of the form's."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


@require_safe
@vary_on_headers("HX-Request")
def mentoring_list(request):
    filterset = MentoringOfferFilter(request.GET, queryset=selectors.mentoring_offer_list_active())
    offers = selectors.mentoring_offer_list_cards(filterset.qs).order_by(
        "skill__name", "mentor__name", "pk"
    )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    template = list_template(request, "knowledge/mentoring/mentoring_list.html")
    return render(request, template, {
        "filter": filterset, "page": page,
        "own_ids": selectors.user_enterprise_ids(user=request.user),
    })


def _own_enterprises(user):
    return enterprise_selectors.enterprise_list_for_user(user=user).filter(
        is_active=True
    ).order_by("name", "pk")


@login_required
def mentoring_request(request, pk):
    offer = get_object_or_404(
        MentoringOffer.objects.select_related("skill", "mentor", "mentor__regency",
                                              "mentor__province", "mentor__logo"),
        pk=pk, mentor__is_active=True,
    )
    own = list(_own_enterprises(request.user))
    runs_mentor = any(enterprise.pk == offer.mentor_id for enterprise in own)
    open_requests = list(selectors.mentoring_request_list_open_for(offer=offer, enterprises=own))
    # Those of the user's enterprises that may still ask (the service has the last word).
    candidates = _own_enterprises(request.user).exclude(pk=offer.mentor_id).exclude(
        pk__in=[open_request.mentee_id for open_request in open_requests]
    )
    form = MentoringRequestForm(request.POST or None, enterprises=candidates)
    can_ask = offer.is_active and not runs_mentor and len(candidates) > 0
    if request.method == "POST" and can_ask and form.is_valid():
        try:
            services.mentoring_request_send(
                offer=offer, mentee=form.cleaned_data["mentee"], by=request.user,
                message=form.cleaned_data["message"],
            )
        except (ValidationError, PermissionDenied) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your request is sent to %(mentor)s. You will be told "
                                        "when they answer.") % {"mentor": offer.mentor.name})
            return redirect("mentoring_dashboard")
    return render(request, "knowledge/mentoring/mentoring_request.html", {
        "offer": offer, "form": form, "has_enterprise": bool(own), "runs_mentor": runs_mentor,
        "can_ask": can_ask, "open_requests": open_requests,
        "asking_as": candidates[0] if len(candidates) == 1 else None,
    })


@login_required
@require_safe
def mentoring_dashboard(request):
    enterprises = list(_own_enterprises(request.user))
    limit = selectors.DASHBOARD_LIMIT
    return render(request, "knowledge/mentoring/mentoring_dashboard.html", {
        "enterprises": enterprises,
        "offers": list(selectors.mentoring_offer_list_for_mentors(enterprises=enterprises)),
        "received": list(selectors.mentoring_request_list_received(enterprises=enterprises)),
        "sent": list(selectors.mentoring_request_list_sent(enterprises=enterprises)[:limit]),
        "relationships": list(
            selectors.mentoring_relationship_list(enterprises=enterprises)[:limit]
        ),
        "own_ids": {enterprise.pk for enterprise in enterprises},
        "decision_form": MentoringDecisionForm(),
    })


def _managed_offer(request, pk) -> MentoringOffer:
    return get_object_or_404(
        MentoringOffer.objects.select_related("skill", "mentor"),
        pk=pk, mentor__memberships__user=request.user,
    )


def _offer_form_page(request, offer: MentoringOffer | None):
    enterprises = _own_enterprises(request.user)
    if offer is None and not enterprises:
        messages.info(request, _("Put your enterprise on Guyub first, then offer mentoring."))
        return redirect("enterprise_create")
    form = MentoringOfferForm(request.POST or None, enterprises=enterprises, offer=offer)
    if request.method == "POST" and form.is_valid():
        mentor = offer.mentor if offer else form.cleaned_data.get("mentor", enterprises[0])
        try:
            services.mentoring_offer_save(
                by=request.user, mentor=mentor, skill=form.cleaned_data["skill"],
                description=form.cleaned_data["description"],
                is_active=form.cleaned_data["is_active"], offer=offer,
            )
        except (ValidationError, PermissionDenied) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mentoring_dashboard")
    return render(request, "knowledge/mentoring/mentoring_offer_form.html", {
        "form": form, "offer": offer,
        "mentor": offer.mentor if offer else (enterprises[0] if len(enterprises) == 1 else None),
    })


@login_required
def mentoring_offer_create(request):
    return _offer_form_page(request, None)


@login_required
def mentoring_offer_edit(request, pk):
    return _offer_form_page(request, _managed_offer(request, pk))


@login_required
@require_POST
def mentoring_offer_toggle(request, pk):
    """Pause an offer, or take requests again, from the dashboard in one tap."""
    offer = _managed_offer(request, pk)
    try:
        services.mentoring_offer_save(
            by=request.user, mentor=offer.mentor, skill=offer.skill,
            description=offer.description, is_active=not offer.is_active, offer=offer,
        )
    except (ValidationError, PermissionDenied) as error:
        _flash(request, error)
    else:
        if offer.is_active:
            messages.success(request, _("Paused: the offer is off the mentoring list."))
        else:
            messages.success(request, _("The offer takes requests again."))
    return redirect("mentoring_dashboard")


@login_required
@require_POST
def mentoring_request_decide(request, pk):
    mentoring_request = get_object_or_404(
        MentoringRequest.objects.select_related("offer", "offer__mentor", "mentee"),
        pk=pk, offer__mentor__memberships__user=request.user,
    )
    form = MentoringDecisionForm(request.POST)
    if not form.is_valid():
        _flash(request, ValidationError([message for problems in form.errors.values()
                                          for message in problems]))
        return redirect("mentoring_dashboard")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.mentoring_request_decide(
            request=mentoring_request, by=request.user, accept=accept,
            response=form.cleaned_data["response"],
        )
    except (ValidationError, PermissionDenied) as error:
        _flash(request, error)
    else:
        name = mentoring_request.mentee.name
        messages.success(request, _("You will mentor %(name)s. They are told.") % {"name": name}
                         if accept else _("Declined. %(name)s is told.") % {"name": name})
    return redirect("mentoring_dashboard")


@login_required
@require_POST
def mentoring_request_withdraw(request, pk):
    mentoring_request = get_object_or_404(
        MentoringRequest.objects.select_related("offer", "mentee"),
        pk=pk, mentee__memberships__user=request.user,
    )
    try:
        services.mentoring_request_withdraw(request=mentoring_request, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        _flash(request, error)
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect("mentoring_dashboard")
