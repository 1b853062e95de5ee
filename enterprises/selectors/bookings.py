"""Reads for shared resources: what a cooperative shares, who booked it when, what it cost."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from enterprises.models import Booking, Cooperative, Enterprise, SharedResource

CALENDAR_FIRST_HOUR = 6
CALENDAR_LAST_HOUR = 20  # the last row is 19:00–20:00


def resource_list(*, cooperative: Cooperative, include_inactive: bool = False
                  ) -> QuerySet[SharedResource]:
    """The resources members can book; managers also see the ones taken out of use."""
    resources = cooperative.resources.all()
    return resources if include_inactive else resources.filter(is_active=True)


def week_start_for(day: datetime.date) -> datetime.date:
    """Weeks start on Monday, as Indonesian calendars do."""
    return day - datetime.timedelta(days=day.weekday())


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())


def booking_list_between(*, resource: SharedResource, starts: datetime.datetime,
                         ends: datetime.datetime) -> QuerySet[Booking]:
    """Confirmed bookings of `resource` that overlap [starts, ends)."""
    return resource.bookings.filter(
        status=Booking.Status.CONFIRMED, starts_at__lt=ends, ends_at__gt=starts
    ).select_related("enterprise").order_by("starts_at")


def booking_list_week(*, resource: SharedResource, week_start: datetime.date
                      ) -> QuerySet[Booking]:
    starts = local_midnight(week_start)
    return booking_list_between(
        resource=resource, starts=starts, ends=local_midnight(week_start + datetime.timedelta(7))
    )


@dataclass
class CalendarDay:
    date: datetime.date
    bookings: list = field(default_factory=list)
    cells: list = field(default_factory=list)  # one per hour row: the booking there, or None


@dataclass
class WeekCalendar:
    week_start: datetime.date
    days: list[CalendarDay]
    hours: list[int]

    @property
    def previous_week(self) -> datetime.date:
        return self.week_start - datetime.timedelta(7)

    @property
    def next_week(self) -> datetime.date:
        return self.week_start + datetime.timedelta(7)

    @property
    def week_end(self) -> datetime.date:
        return self.week_start + datetime.timedelta(6)

    def rows(self):
        """(hour, [cell per day]) for the table view."""
        for index, hour in enumerate(self.hours):
            yield hour, [day.cells[index] for day in self.days]


def week_calendar(*, resource: SharedResource, week_start: datetime.date) -> WeekCalendar:
    """Seven days of bookings from one query, laid out for an hour grid and a per-day list."""
    bookings = list(booking_list_week(resource=resource, week_start=week_start))
    hours = list(range(CALENDAR_FIRST_HOUR, CALENDAR_LAST_HOUR))
    days = []
    for offset in range(7):
        date = week_start + datetime.timedelta(offset)
        midnight = local_midnight(date)
        day_end = local_midnight(date + datetime.timedelta(1))
        day = CalendarDay(date=date, bookings=[
            booking for booking in bookings
            if booking.starts_at < day_end and booking.ends_at > midnight
        ])
        for hour in hours:
            slot_start = midnight + datetime.timedelta(hours=hour)
            slot_end = slot_start + datetime.timedelta(hours=1)
            day.cells.append(next(
                (b for b in day.bookings if b.starts_at < slot_end and b.ends_at > slot_start),
                None,
            ))
        days.append(day)
    return WeekCalendar(week_start=week_start, days=days, hours=hours)


def booking_list_upcoming_for_enterprises(*, resource: SharedResource,
                                          enterprises) -> QuerySet[Booking]:
    """The viewer's own confirmed bookings that have not ended yet."""
    return resource.bookings.filter(
        enterprise__in=enterprises, status=Booking.Status.CONFIRMED, ends_at__gt=timezone.now()
    ).select_related("enterprise").order_by("starts_at")


def upkeep_cost_totals(*, cooperative: Cooperative, starts: datetime.datetime,
                       ends: datetime.datetime) -> list[dict]:
    """What each member's confirmed bookings cost, per resource, for bookings starting in
    [starts, ends). One row per (enterprise, resource): the basis for sharing upkeep."""
    rows = (
        Booking.objects.filter(
            resource__cooperative=cooperative, status=Booking.Status.CONFIRMED,
            starts_at__gte=starts, starts_at__lt=ends,
        )
        .values("enterprise_id", "resource_id")
        .annotate(total=Sum("cost"), bookings=Count("pk"))
        .order_by("enterprise_id", "resource_id")
    )
    return list(rows)


@dataclass
class MemberUpkeep:
    enterprise: Enterprise
    total: int = 0
    lines: list = field(default_factory=list)  # (resource, bookings, total)


def upkeep_by_member(*, cooperative: Cooperative, starts: datetime.datetime,
                     ends: datetime.datetime) -> list[MemberUpkeep]:
    """Per-member totals with a per-resource breakdown, largest total first."""
    rows = upkeep_cost_totals(cooperative=cooperative, starts=starts, ends=ends)
    enterprises = Enterprise.objects.in_bulk({row["enterprise_id"] for row in rows})
    resources = SharedResource.objects.in_bulk({row["resource_id"] for row in rows})
    members: dict[int, MemberUpkeep] = {}
    for row in rows:
        member = members.setdefault(
            row["enterprise_id"], MemberUpkeep(enterprise=enterprises[row["enterprise_id"]])
        )
        member.total += row["total"]
        member.lines.append((resources[row["resource_id"]], row["bookings"], row["total"]))
    return sorted(members.values(), key=lambda m: (-m.total, m.enterprise.name))
