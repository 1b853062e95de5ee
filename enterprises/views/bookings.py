"""Shared resources of a cooperative: list, week calendar with booking, cancel, upkeep costs."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cms.templatetags.guyub import rupiah
from enterprises.forms_bookings import BookingForm, ResourceForm
from enterprises.models import Booking, Cooperative, SharedResource
from enterprises.selectors import bookings as selectors
from enterprises.selectors.cooperatives import member_enterprises_for_user, user_is_manager
from enterprises.services import bookings as services


def _cooperative(slug) -> Cooperative:
    return get_object_or_404(Cooperative, slug=slug, is_active=True)


def _resource(cooperative, pk, *, user) -> SharedResource:
    resource = get_object_or_404(SharedResource, pk=pk, cooperative=cooperative)
    if not resource.is_active and not user_is_manager(user=user, cooperative=cooperative):
        raise PermissionDenied
    return resource


def _parse_date(text, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return default


@require_safe
def resource_list(request, slug):
    cooperative = _cooperative(slug)
    is_manager = user_is_manager(user=request.user, cooperative=cooperative)
    resources = selectors.resource_list(cooperative=cooperative, include_inactive=is_manager)
    return render(request, "enterprises/resource_list.html", {
        "cooperative": cooperative, "resources": resources, "is_manager": is_manager,
        "is_member": is_manager or member_enterprises_for_user(
            user=request.user, cooperative=cooperative).exists(),
    })


@require_http_methods(["GET", "HEAD", "POST"])
def resource_detail(request, slug, pk):
    """The week calendar and, for members, the booking form (which posts back here)."""
    cooperative = _cooperative(slug)
    resource = _resource(cooperative, pk, user=request.user)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    member_enterprises = member_enterprises_for_user(user=request.user, cooperative=cooperative)
    enterprises = list(member_enterprises)
    if request.method == "POST" and not enterprises:
        raise PermissionDenied
    form = None
    if enterprises:
        form = BookingForm(request.POST or None, enterprises=member_enterprises)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_create(
                resource=resource, enterprise=form.cleaned_data["enterprise"], user=request.user,
                starts_at=form.cleaned_data["starts_at"], ends_at=form.cleaned_data["ends_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            start = timezone.localtime(booking.starts_at)
            messages.success(request, _("Booked. Cost: %(cost)s.") % {
                "cost": rupiah(booking.cost),
            })
            return redirect(_week_url(resource, start.date()))
    today = timezone.localdate()
    # After a refused booking, show the week of the date asked for.
    asked = form.cleaned_data.get("date") if form is not None and form.is_bound else None
    week_start = selectors.week_start_for(
        asked or _parse_date(request.GET.get("week"), default=today)
    )
    is_manager = user_is_manager(user=request.user, cooperative=cooperative)
    return render(request, "enterprises/resource_detail.html", {
        "cooperative": cooperative, "resource": resource, "form": form,
        "calendar": selectors.week_calendar(resource=resource, week_start=week_start),
        "today": today, "this_week": selectors.week_start_for(today),
        "show_names": bool(enterprises) or is_manager, "is_manager": is_manager,
        "own_enterprise_ids": {enterprise.pk for enterprise in enterprises},
        "own_bookings": selectors.booking_list_upcoming_for_enterprises(
            resource=resource, enterprises=enterprises),
    }, status=400 if form is not None and form.is_bound and form.errors else 200)


def _week_url(resource, day) -> str:
    url = reverse("resource_detail", kwargs={"slug": resource.cooperative.slug, "pk": resource.pk})
    return f"{url}?week={selectors.week_start_for(day).isoformat()}"


@login_required
def resource_edit(request, slug, pk=None):
    cooperative = _cooperative(slug)
    if not user_is_manager(user=request.user, cooperative=cooperative):
        raise PermissionDenied
    resource = get_object_or_404(SharedResource, pk=pk, cooperative=cooperative) if pk else None
    form = ResourceForm(request.POST or None, instance=resource)
    form.instance.cooperative = cooperative
    if request.method == "POST" and form.is_valid():
        resource = services.resource_save(resource=form.instance, user=request.user)
        messages.success(request, _("Saved."))
        return redirect("resource_detail", slug=cooperative.slug, pk=resource.pk)
    return render(request, "enterprises/resource_form.html", {
        "cooperative": cooperative, "resource": resource, "form": form,
    })


@require_POST
@login_required
def booking_cancel(request, slug, pk, booking_pk):
    cooperative = _cooperative(slug)
    booking = get_object_or_404(
        Booking.objects.select_related("resource__cooperative", "enterprise"),
        pk=booking_pk, resource_id=pk, resource__cooperative=cooperative,
    )
    try:
        services.booking_cancel(booking=booking, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Booking cancelled. The time is free again."))
    return redirect(_week_url(booking.resource, timezone.localtime(booking.starts_at).date()))


@require_safe
@login_required
def resource_costs(request, slug):
    """Upkeep shared by use: what each member's bookings cost in one month."""
    cooperative = _cooperative(slug)
    is_manager = user_is_manager(user=request.user, cooperative=cooperative)
    if not is_manager and not member_enterprises_for_user(
            user=request.user, cooperative=cooperative).exists():
        raise PermissionDenied
    month = _parse_date(f"{request.GET.get('month', '')}-01", default=timezone.localdate())
    month = month.replace(day=1)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    members = selectors.upkeep_by_member(
        cooperative=cooperative, starts=selectors.local_midnight(month),
        ends=selectors.local_midnight(next_month),
    )
    return render(request, "enterprises/resource_costs.html", {
        "cooperative": cooperative, "members": members, "month": month,
        "previous_month": (month - datetime.timedelta(days=1)).replace(day=1),
        "next_month": next_month, "total": sum(member.total for member in members),
    })
