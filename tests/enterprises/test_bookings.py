"""Shared resources and bookings: cost, no double booking (service rule on every database, the
exclusion constraint and real concurrent transactions on PostgreSQL), permissions and pages."""

import datetime
import threading
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Booking, Membership, SharedResource
from enterprises.selectors import bookings as selectors
from enterprises.services import bookings as services
from tests.factories import CooperativeFactory, cooperative_member, seller
from tests.helpers import ON_POSTGRESQL

JAKARTA = ZoneInfo("Asia/Jakarta")
needs_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="needs PostgreSQL: exclusion constraint and row locks (CI runs it)"
)


def at(hour: int, minute: int = 0, *, days: int = 7) -> datetime.datetime:
    """A Jakarta time `days` from today: bookings in tests lie in the future."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=JAKARTA)


def make_resource(cooperative=None, **fields) -> SharedResource:
    cooperative = cooperative or CooperativeFactory()
    fields = {"name": "Mesin huller", "kind": SharedResource.Kind.EQUIPMENT,
              "cost_per_use": 10_000, "cost_per_hour": 25_000, **fields}
    return SharedResource.objects.create(cooperative=cooperative, **fields)


@pytest.fixture
def resource(db):
    return make_resource()


@pytest.fixture
def member(resource):
    return cooperative_member(resource.cooperative)


def book(resource, member, starts_at, ends_at, **kwargs) -> Booking:
    user, enterprise = member
    return services.booking_create(resource=resource, enterprise=enterprise, user=user,
                                   starts_at=starts_at, ends_at=ends_at, **kwargs)


# Cost


@pytest.mark.parametrize(("per_use", "per_hour", "minutes", "expected"), [
    (10_000, 25_000, 60, 35_000),
    (10_000, 25_000, 90, 47_500),
    (0, 10_000, 20, 3_334),  # 3,333.33 rounded up to whole rupiah
    (0, 7, 1, 1),
    (5_000, 0, 600, 5_000),
    (0, 0, 45, 0),
])
def test_cost_is_per_use_plus_per_hour_by_the_minute_rounded_up(per_use, per_hour, minutes,
                                                                 expected):
    resource = SharedResource(cost_per_use=per_use, cost_per_hour=per_hour)
    starts = at(8)
    ends = starts + datetime.timedelta(minutes=minutes)
    assert services.booking_cost(resource=resource, starts_at=starts, ends_at=ends) == expected


def test_booking_records_its_cost_and_who_booked(resource, member):
    booking = book(resource, member, at(8), at(9, 30), note="Giling 200 kg")
    booking.refresh_from_db()
    assert booking.cost == 10_000 + 37_500
    assert booking.enterprise == member[1]
    assert booking.booked_by == member[0]
    assert booking.status == Booking.Status.CONFIRMED


# No double booking: the service rule (runs on SQLite and PostgreSQL)


@pytest.mark.parametrize(("starts", "ends"), [
    ((9, 0), (11, 0)),   # the exact slot
    ((8, 0), (10, 0)),   # overlaps the start
    ((10, 0), (12, 0)),  # overlaps the end
    ((9, 30), (10, 0)),  # inside
    ((8, 0), (12, 0)),   # around
    ((10, 59), (11, 1)),  # one minute into the end
])
def test_overlapping_booking_is_refused(resource, member, starts, ends):
    book(resource, member, at(9), at(11))
    other = cooperative_member(resource.cooperative)
    with pytest.raises(ValidationError, match="This time is already booked"):
        book(resource, other, at(*starts), at(*ends))
    assert resource.bookings.count() == 1


def test_touching_slots_are_allowed(resource, member):
    book(resource, member, at(9), at(11))
    book(resource, member, at(11), at(12))
    book(resource, member, at(8), at(9))
    assert resource.bookings.filter(status=Booking.Status.CONFIRMED).count() == 3


def test_other_resources_and_days_do_not_conflict(resource, member):
    book(resource, member, at(9), at(11))
    truck = make_resource(resource.cooperative, name="Pickup", kind=SharedResource.Kind.VEHICLE)
    book(truck, member, at(9), at(11))
    book(resource, member, at(9, days=8), at(11, days=8))


def test_cancelled_slot_can_be_booked_again(resource, member):
    first = book(resource, member, at(9), at(11))
    services.booking_cancel(booking=first, user=member[0])
    first.refresh_from_db()
    assert first.status == Booking.Status.CANCELLED
    assert first.cancelled_at is not None
    second = book(resource, cooperative_member(resource.cooperative), at(9), at(11))
    assert second.status == Booking.Status.CONFIRMED


def test_end_must_follow_start(resource, member):
    with pytest.raises(ValidationError):
        book(resource, member, at(11), at(11))
    with pytest.raises(ValidationError):
        book(resource, member, at(11), at(10))


def test_inactive_resource_cannot_be_booked(resource, member):
    resource.is_active = False
    resource.save()
    with pytest.raises(ValidationError):
        book(resource, member, at(9), at(10))


# Who may book, cancel and manage


def test_non_member_cannot_book(resource):
    with pytest.raises(PermissionDenied):
        book(resource, seller(), at(9), at(10))


def test_member_of_another_cooperative_cannot_book(resource):
    with pytest.raises(PermissionDenied):
        book(resource, cooperative_member(CooperativeFactory()), at(9), at(10))


def test_former_member_cannot_book(resource, member):
    member[1].cooperative_memberships.update(
        status=Membership.Status.LEFT, left_at=timezone.now()
    )
    with pytest.raises(PermissionDenied):
        book(resource, member, at(9), at(10))


def test_user_cannot_book_for_someone_elses_member_enterprise(resource, member):
    other_user, _ = cooperative_member(resource.cooperative)
    with pytest.raises(PermissionDenied):
        book(resource, (other_user, member[1]), at(9), at(10))


def test_only_the_booking_enterprise_or_a_manager_may_cancel(resource, member):
    booking = book(resource, member, at(9), at(10))
    other_user, _ = cooperative_member(resource.cooperative)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, user=other_user)
    manager, _ = cooperative_member(resource.cooperative, role=Membership.Role.MANAGER)
    services.booking_cancel(booking=booking, user=manager)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_ended_booking_cannot_be_cancelled(resource, member):
    booking = Booking.objects.create(
        resource=resource, enterprise=member[1], starts_at=at(8, days=-3), ends_at=at(9, days=-3)
    )
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, user=member[0])


def test_member_cannot_create_a_resource_manager_can(resource, member):
    draft = SharedResource(cooperative=resource.cooperative, name="Gudang",
                           kind=SharedResource.Kind.SPACE)
    with pytest.raises(PermissionDenied):
        services.resource_save(resource=draft, user=member[0])
    manager, _ = cooperative_member(resource.cooperative, role=Membership.Role.MANAGER)
    services.resource_save(resource=draft, user=manager)
    assert resource.cooperative.resources.filter(name="Gudang").exists()


# Selectors


def test_week_calendar_places_bookings_in_days_and_hours(resource, member):
    booking = book(resource, member, at(9), at(11))
    week_start = selectors.week_start_for(booking.starts_at.astimezone(JAKARTA).date())
    calendar = selectors.week_calendar(resource=resource, week_start=week_start)
    day = next(d for d in calendar.days if d.date == booking.starts_at.astimezone(JAKARTA).date())
    assert day.bookings == [booking]
    booked_hours = [hour for hour, cell in zip(calendar.hours, day.cells, strict=True) if cell]
    assert booked_hours == [9, 10]
    assert sum(len(d.bookings) for d in calendar.days) == 1


def test_week_calendar_is_one_query(resource, member, django_assert_num_queries):
    for hour in (7, 9, 13):
        book(resource, member, at(hour), at(hour + 1))
    with django_assert_num_queries(1):
        selectors.week_calendar(resource=resource,
                                week_start=selectors.week_start_for(at(7).date()))


def test_upkeep_totals_count_confirmed_bookings_per_member(resource, member):
    other = cooperative_member(resource.cooperative)
    book(resource, member, at(8), at(9))            # 35,000
    book(resource, member, at(10), at(10, 30))      # 22,500
    book(resource, other, at(12), at(13))           # 35,000
    cancelled = book(resource, other, at(14), at(15))
    services.booking_cancel(booking=cancelled, user=other[0])
    starts = at(0) - datetime.timedelta(days=1)
    members = selectors.upkeep_by_member(
        cooperative=resource.cooperative, starts=starts, ends=starts + datetime.timedelta(3)
    )
    totals = {m.enterprise: m.total for m in members}
    assert totals == {member[1]: 57_500, other[1]: 35_000}
    assert members[0].lines == [(resource, 2, 57_500)]


# Pages


def detail_url(resource, **query):
    url = reverse("resource_detail", kwargs={"slug": resource.cooperative.slug,
                                             "pk": resource.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def booking_post(day_offset=7, start="09:00", end="10:30"):
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return {"date": day.isoformat(), "start": start, "end": end, "note": ""}


def test_member_books_through_the_page(client, resource, member):
    client.force_login(member[0])
    response = client.post(detail_url(resource), booking_post())
    assert response.status_code == 302
    booking = resource.bookings.get()
    assert booking.starts_at == at(9)
    assert booking.ends_at == at(10, 30)
    page = client.get(response.url)
    assert member[1].name in page.content.decode()
    assert reverse("booking_cancel", kwargs={
        "slug": resource.cooperative.slug, "pk": resource.pk, "booking_pk": booking.pk,
    }) in page.content.decode()


def test_taken_slot_shows_a_message_not_an_error_page(client, resource, member):
    book(resource, cooperative_member(resource.cooperative), at(9), at(10))
    client.force_login(member[0])
    response = client.post(detail_url(resource), booking_post(start="09:30", end="11:00"))
    assert response.status_code == 400
    assert "This time is already booked" in response.content.decode()
    assert resource.bookings.count() == 1


def test_past_time_is_refused_by_the_form(client, resource, member):
    client.force_login(member[0])
    response = client.post(detail_url(resource), booking_post(day_offset=-1))
    assert response.status_code == 400
    assert not resource.bookings.exists()


def test_non_member_gets_403_when_booking(client, resource, stranger):
    response = client.post(detail_url(resource), booking_post())
    assert response.status_code == 403
    assert not resource.bookings.exists()


def test_anonymous_booking_goes_to_login(client, resource):
    response = client.post(detail_url(resource), booking_post())
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_calendar_moves_by_week_and_hides_names_from_the_public(client, resource, member):
    booking = book(resource, member, at(9, days=14), at(10, days=14))
    week = selectors.week_start_for(booking.starts_at.astimezone(JAKARTA).date())
    page = client.get(detail_url(resource, week=week.isoformat())).content.decode()
    assert "Booked" in page and member[1].name not in page
    assert f"?week={(week + datetime.timedelta(7)).isoformat()}" in page
    assert client.get(detail_url(resource, week="not-a-date")).status_code == 200


def test_cancel_through_the_page(client, resource, member):
    booking = book(resource, member, at(9), at(10))
    url = reverse("booking_cancel", kwargs={
        "slug": resource.cooperative.slug, "pk": resource.pk, "booking_pk": booking.pk,
    })
    client.force_login(cooperative_member(resource.cooperative)[0])
    assert client.post(url).status_code == 403
    client.force_login(member[0])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_resource_pages_for_managers_only(client, resource, member):
    new_url = reverse("resource_create", kwargs={"slug": resource.cooperative.slug})
    edit_url = reverse("resource_edit", kwargs={"slug": resource.cooperative.slug,
                                                "pk": resource.pk})
    data = {"name": "Pengering", "kind": "equipment", "description": "", "usage_rules": "",
            "cost_per_use": 0, "cost_per_hour": 5000, "is_active": "on"}
    client.force_login(member[0])
    assert client.get(new_url).status_code == 403
    assert client.post(new_url, data).status_code == 403
    assert client.post(edit_url, data).status_code == 403
    manager, _ = cooperative_member(resource.cooperative, role=Membership.Role.MANAGER)
    client.force_login(manager)
    assert client.get(new_url).status_code == 200
    assert client.post(new_url, data).status_code == 302
    assert client.post(edit_url, {**data, "name": "Huller baru"}).status_code == 302
    resource.refresh_from_db()
    assert resource.name == "Huller baru"
    assert resource.cooperative.resources.filter(name="Pengering", cost_per_hour=5000).exists()


def test_resource_list_shows_active_resources(client, resource):
    make_resource(resource.cooperative, name="Rusak", is_active=False)
    page = client.get(reverse("resource_list", kwargs={"slug": resource.cooperative.slug}))
    assert resource.name in page.content.decode()
    assert "Rusak" not in page.content.decode()
    assert list(selectors.resource_list(cooperative=resource.cooperative)) == [resource]


def test_costs_page_for_members_only(client, resource, member, stranger):
    book(resource, member, at(8), at(9))
    url = reverse("resource_costs", kwargs={"slug": resource.cooperative.slug})
    month = at(8).date().strftime("%Y-%m")
    assert client.get(url, {"month": month}).status_code == 403
    client.force_login(member[0])
    page = client.get(url, {"month": month}).content.decode()
    assert member[1].name in page
    assert "Rp 35.000" in page


# PostgreSQL: the exclusion constraint and real concurrent transactions


@needs_postgresql
def test_exclusion_constraint_refuses_overlap_bypassing_the_service(resource, member):
    Booking.objects.create(resource=resource, enterprise=member[1], starts_at=at(9),
                           ends_at=at(11))
    Booking.objects.create(resource=resource, enterprise=member[1], starts_at=at(11),
                           ends_at=at(12))  # touching is fine
    Booking.objects.create(resource=resource, enterprise=member[1], starts_at=at(9),
                           ends_at=at(11), status=Booking.Status.CANCELLED)
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(resource=resource, enterprise=member[1], starts_at=at(10),
                               ends_at=at(13))


@needs_postgresql
def test_constraint_violation_becomes_the_clear_message(resource, member):
    book(resource, member, at(9), at(11))
    with mock.patch.object(services, "_overlaps", return_value=False), \
            pytest.raises(ValidationError, match="This time is already booked"):
        book(resource, member, at(10), at(12))
    assert resource.bookings.count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_members_racing_for_one_slot_one_wins():
    resource = make_resource()
    racers = [cooperative_member(resource.cooperative) for _ in range(2)]
    barrier = threading.Barrier(len(racers))
    outcomes = []

    def race(member):
        try:
            barrier.wait(timeout=10)
            book(resource, member, at(9), at(11))
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(member,)) for member in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[0] == "This time is already booked. Please choose another time."
    assert sorted(outcomes)[1] == "booked"
    assert resource.bookings.filter(status=Booking.Status.CONFIRMED).count() == 1


@pytest.fixture(autouse=True)
def _in_english(english):
    """These tests read the interface's English source text."""
