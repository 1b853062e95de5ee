"""Writes for shared resources and their bookings.

No two confirmed bookings of one resource may overlap. booking_create locks the resource row, so
bookings of one resource are made one at a time, and checks for an overlap; on PostgreSQL the
exclusion constraint `booking_no_overlap` (migration 0004) is the final guard, on SQLite the
write transaction (BEGIN IMMEDIATE) serialises writers."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises import notifications
from enterprises.models import Booking, Enterprise, SharedResource
from enterprises.selectors import user_can_manage_enterprise
from enterprises.selectors.cooperatives import member_enterprises_for_user, user_is_manager

ALREADY_BOOKED = _("This time is already booked. Please choose another time.")


def booking_cost(*, resource: SharedResource, starts_at: datetime.datetime,
                 ends_at: datetime.datetime) -> int:
    """Cost per use plus cost per hour for the minutes booked, rounded up to whole rupiah."""
    seconds = (ends_at - starts_at).total_seconds()
    minutes = -(-int(seconds) // 60)  # a started minute counts
    return resource.cost_per_use + -(-resource.cost_per_hour * minutes // 60)


@transaction.atomic
def resource_save(*, resource: SharedResource, user) -> SharedResource:
    """Create or edit a shared resource; only the cooperative's managers may."""
    if not user_is_manager(user=user, cooperative=resource.cooperative):
        raise PermissionDenied
    resource.full_clean()
    resource.save()
    return resource


def _overlaps(*, resource: SharedResource, starts_at, ends_at) -> bool:
    """Confirmed bookings never overlap each other, so sorted by start they are sorted by end
    too: only the last one starting before `ends_at` can reach past `starts_at`. That is one
    step down the (resource, status, starts_at) index, however many bookings there are."""
    latest_end = (
        resource.bookings.filter(status=Booking.Status.CONFIRMED, starts_at__lt=ends_at)
        .order_by("-starts_at").values_list("ends_at", flat=True).first()
    )
    return latest_end is not None and latest_end > starts_at


@transaction.atomic
def booking_create(*, resource: SharedResource, enterprise: Enterprise, user,
                   starts_at: datetime.datetime, ends_at: datetime.datetime,
                   note: str = "") -> Booking:
    """Book [starts_at, ends_at) of `resource` for `enterprise`, a member run by `user`."""
    members = member_enterprises_for_user(user=user, cooperative=resource.cooperative)
    if not members.filter(pk=enterprise.pk).exists():
        raise PermissionDenied
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."), code="ends_before_start")
    # One booking of this resource at a time: a second booking waits here for the first to
    # commit, then sees it in the overlap check.
    resource = SharedResource.objects.select_for_update().get(pk=resource.pk)
    if not resource.is_active:
        raise ValidationError(_("This resource is not available for booking."), code="inactive")
    if _overlaps(resource=resource, starts_at=starts_at, ends_at=ends_at):
        raise ValidationError(ALREADY_BOOKED, code="overlap")
    booking = Booking(
        resource=resource, enterprise=enterprise, booked_by=user, starts_at=starts_at,
        ends_at=ends_at, note=note,
        cost=booking_cost(resource=resource, starts_at=starts_at, ends_at=ends_at),
    )
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable
            booking.save()
    except IntegrityError as error:
        raise ValidationError(ALREADY_BOOKED, code="overlap") from error
    notifications.booking_confirmed(booking=booking)
    return booking


def user_may_cancel(*, user, booking: Booking) -> bool:
    return user_can_manage_enterprise(user=user, enterprise=booking.enterprise) or user_is_manager(
        user=user, cooperative=booking.resource.cooperative
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, user) -> Booking:
    """Cancel a booking that has not ended, freeing its slot. The booking enterprise's people or
    a manager may; cancelling twice changes nothing."""
    if not user_may_cancel(user=user, booking=booking):
        raise PermissionDenied
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == Booking.Status.CANCELLED:
        return booking
    if booking.ends_at <= timezone.now():
        raise ValidationError(_("A booking that has ended cannot be cancelled."), code="ended")
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    return booking
