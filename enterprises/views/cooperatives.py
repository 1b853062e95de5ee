"""Cooperative pages: list, profile, founding and editing, and membership management.

Membership actions are POST-only and come back to the page they were sent from; a refused action
(an open membership already, the last manager leaving) is a message, a forbidden one is a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from wagtail.models import Locale

from cms.htmx import list_template
from enterprises import selectors as enterprise_selectors
from enterprises.filters import CooperativeFilter
from enterprises.forms_cooperatives import (
    CooperativeCreateForm,
    CooperativeForm,
    EnterpriseChoiceForm,
    MembershipRoleForm,
)
from enterprises.models import Cooperative, Membership
from enterprises.selectors import bookings as booking_selectors
from enterprises.selectors import cooperatives as selectors
from enterprises.selectors import decisions as decision_selectors
from enterprises.services import cooperatives as services
from knowledge.selectors import connections
from marketplace.selectors import bulk_orders as bulk_order_selectors
from marketplace.selectors import joint_offers as joint_offer_selectors

PAGE_SIZE = 24
SECTION_SIZE = 6


@require_safe
@vary_on_headers("HX-Request")
def cooperative_list(request):
    filterset = CooperativeFilter(request.GET, queryset=selectors.cooperative_list_visible())
    cooperatives = selectors.cooperative_list_page_cards(filterset.qs).order_by("name", "pk")
    page = Paginator(cooperatives, PAGE_SIZE).get_page(request.GET.get("page"))
    template = list_template(request, "enterprises/cooperative_list.html")
    return render(request, template, {"filter": filterset, "page": page})


def _cooperative(slug) -> Cooperative:
    return get_object_or_404(selectors.cooperative_list_cards(), slug=slug)


@require_safe
def cooperative_detail(request, slug):
    cooperative = _cooperative(slug)
    user = request.user
    return render(request, "enterprises/cooperative_detail.html", {
        "cooperative": cooperative,
        "members": selectors.membership_list_member_cards(cooperative=cooperative),
        "resources": booking_selectors.resource_list(cooperative=cooperative)[:SECTION_SIZE],
        "bulk_orders": bulk_order_selectors.bulk_order_list(cooperative=cooperative)[
            :SECTION_SIZE
        ],
        "joint_offers": joint_offer_selectors.joint_offer_list(cooperative=cooperative)[
            :SECTION_SIZE
        ],
        "proposals": decision_selectors.proposal_list(cooperative=cooperative)[:SECTION_SIZE],
        "is_member": selectors.user_is_member(user=user, cooperative=cooperative),
        "is_manager": selectors.user_is_manager(user=user, cooperative=cooperative),
        "can_apply": list(selectors.enterprise_list_can_apply(user=user, cooperative=cooperative)),
        "own_memberships": list(
            selectors.membership_list_for_user(user=user, cooperative=cooperative)
        ),
        "community": connections.cooperative_connections(
            cooperative=cooperative, locale=Locale.get_active()
        ),
    })


@login_required
def cooperative_create(request):
    enterprises = enterprise_selectors.enterprise_list_for_user(user=request.user).filter(
        is_active=True
    ).order_by("name")
    form = CooperativeCreateForm(request.POST or None, request.FILES or None,
                                 enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        cooperative = services.cooperative_create(
            user=request.user, logo_file=form.cleaned_data.get("logo_upload"),
            **form.cleaned_data,
        )
        messages.success(request, _("Your cooperative is on Guyub. Invite the other members."))
        return redirect("membership_manage", slug=cooperative.slug)
    return render(request, "enterprises/cooperative_form.html",
                  {"form": form, "has_enterprise": enterprises.exists()})


def _managed(request, slug) -> Cooperative:
    cooperative = get_object_or_404(Cooperative, slug=slug)
    if not selectors.user_is_manager(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    return cooperative


@login_required
def cooperative_edit(request, slug):
    cooperative = _managed(request, slug)
    form = CooperativeForm(request.POST or None, request.FILES or None, instance=cooperative)
    if request.method == "POST" and form.is_valid():
        services.cooperative_update(
            cooperative=cooperative, user=request.user,
            logo_file=form.cleaned_data.get("logo_upload"), **form.cleaned_data,
        )
        messages.success(request, _("Saved."))
        return redirect(cooperative)
    return render(request, "enterprises/cooperative_form.html",
                  {"form": form, "cooperative": cooperative})


@login_required
@require_safe
def membership_manage(request, slug):
    """Managers answer applications, invite and change roles; members see who belongs."""
    cooperative = _cooperative(slug)
    is_manager = selectors.user_is_manager(user=request.user, cooperative=cooperative)
    if not is_manager and not selectors.user_is_member(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    query = request.GET.get("q", "")[:100]
    return render(request, "enterprises/membership_manage.html", {
        "cooperative": cooperative,
        "is_manager": is_manager,
        "members": selectors.membership_list_member_cards(cooperative=cooperative),
        "requests": selectors.membership_list_requests(cooperative=cooperative)
        if is_manager else [],
        "query": query,
        "candidates": selectors.enterprise_list_invitable(cooperative=cooperative, text=query)
        if is_manager else [],
        "own_memberships": selectors.membership_list_for_user(
            user=request.user, cooperative=cooperative
        ).filter(status=Membership.Status.ACTIVE),
        "roles": Membership.Role.choices,
    })


def _back(request, cooperative: Cooperative, default: str = "membership_manage"):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(target)
    return redirect(default, slug=cooperative.slug)


def _run(request, action, success: str) -> None:
    """Run a membership service; its refusal becomes a message, its success another."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


def _membership(slug, pk) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("cooperative", "enterprise"),
        pk=pk, cooperative__slug=slug,
    )


@login_required
@require_POST
def membership_apply(request, slug):
    cooperative = get_object_or_404(Cooperative, slug=slug)
    form = EnterpriseChoiceForm(
        request.POST,
        enterprises=enterprise_selectors.enterprise_list_for_user(user=request.user),
    )
    if not form.is_valid():
        raise PermissionDenied
    enterprise = form.cleaned_data["enterprise"]
    _run(request, lambda: services.membership_apply(
        cooperative=cooperative, enterprise=enterprise, user=request.user,
    ), _("%(name)s has applied. A manager will answer soon.") % {"name": enterprise.name})
    return _back(request, cooperative, default="cooperative_detail")


@login_required
@require_POST
def membership_invite(request, slug):
    cooperative = _managed(request, slug)
    form = EnterpriseChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an enterprise to invite."))
        return _back(request, cooperative)
    enterprise = form.cleaned_data["enterprise"]
    _run(request, lambda: services.membership_invite(
        cooperative=cooperative, enterprise=enterprise, user=request.user,
    ), _("%(name)s is invited.") % {"name": enterprise.name})
    return _back(request, cooperative)


@login_required
@require_POST
def membership_accept(request, slug, pk):
    membership = _membership(slug, pk)
    _run(request, lambda: services.membership_accept(membership=membership, user=request.user),
         _("%(name)s is now a member.") % {"name": membership.enterprise.name})
    return _back(request, membership.cooperative)


@login_required
@require_POST
def membership_decline(request, slug, pk):
    membership = _membership(slug, pk)
    _run(request, lambda: services.membership_decline(membership=membership, user=request.user),
         _("Declined."))
    return _back(request, membership.cooperative)


@login_required
@require_POST
def membership_leave(request, slug, pk):
    membership = _membership(slug, pk)
    _run(request, lambda: services.membership_leave(membership=membership, user=request.user),
         _("%(name)s has left the cooperative.") % {"name": membership.enterprise.name})
    return _back(request, membership.cooperative, default="cooperative_detail")


@login_required
@require_POST
def membership_role(request, slug, pk):
    membership = _membership(slug, pk)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return _back(request, membership.cooperative)
    _run(request, lambda: services.membership_set_role(
        membership=membership, role=form.cleaned_data["role"], user=request.user,
    ), _("Role changed."))
    return _back(request, membership.cooperative)
