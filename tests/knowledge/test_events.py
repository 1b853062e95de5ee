"""Events and trainings, the services: RSVPs and the waiting list under capacity, cancelling and
promotion, organisers' events (who may, what is checked), attendance and co-attendance ties,
and capacity under concurrency on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from cms.models import Notification
from enterprises.models import Membership, Tie
from knowledge.models import EventPage, Rsvp
from knowledge.services import events as services
from tests.factories import (
    CooperativeFactory,
    RegencyFactory,
    UserFactory,
    cooperative_member,
    event,
    seller,
)
from tests.helpers import ON_POSTGRESQL

pytestmark = pytest.mark.django_db
Status = Rsvp.Status


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def rina():
    """Mbak Rina and her batik workshop, which organises trainings."""
    return seller(name="Batik Rina", slug="batik-rina")


@pytest.fixture
def training(rina):
    _user, workshop = rina
    return event(title="Pelatihan foto produk", capacity=2, organiser_enterprise=workshop)


def statuses(page) -> list[tuple[str, str]]:
    return list(Rsvp.objects.filter(event=page).order_by("requested_at", "pk")
                .values_list("user__username", "status"))


def started(**fields) -> EventPage:
    """An event that began an hour ago and ends in two."""
    return event(starts_at=timezone.now() - timedelta(hours=1),
                 ends_at=timezone.now() + timedelta(hours=2), **fields)


def new_event_fields(**overrides) -> dict:
    starts = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    fields = {"title": "Pelatihan pewarna alami", "kind": EventPage.Kind.TRAINING,
              "summary": "Pewarna dari daun indigo.", "starts_at": starts,
              "ends_at": starts + timedelta(hours=3), "venue": "Balai Desa Karangsari",
              "regency": RegencyFactory(), "capacity": 20}
    return fields | overrides


# --- RSVPs and the waiting list ------------------------------------------------------------------


def test_a_third_person_for_two_places_goes_on_the_waiting_list(training):
    people = [UserFactory(username=name) for name in ("ani", "budi", "citra")]

    rsvps = [services.rsvp_join(event=training, user=person) for person in people]

    assert [rsvp.status for rsvp in rsvps] == [Status.GOING, Status.GOING, Status.WAITING]
    assert statuses(training) == [("ani", "going"), ("budi", "going"), ("citra", "waiting")]


def test_joining_twice_returns_the_same_rsvp_unchanged(training):
    person = UserFactory()
    first = services.rsvp_join(event=training, user=person)

    again = services.rsvp_join(event=training, user=person)

    assert again.pk == first.pk
    assert again.requested_at == first.requested_at
    assert Rsvp.objects.filter(event=training).count() == 1


def test_no_capacity_means_no_limit(rina):
    _user, workshop = rina
    open_day = event(title="Pasar tani", capacity=None, organiser_enterprise=workshop)

    rsvps = [services.rsvp_join(event=open_day, user=UserFactory()) for _ in range(12)]

    assert {rsvp.status for rsvp in rsvps} == {Status.GOING}


def test_an_ended_event_takes_no_rsvp(training):
    past = event(title="Pasar kemarin", starts_at=timezone.now() - timedelta(days=2),
                 ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=3))

    with pytest.raises(ValidationError, match="has ended"):
        services.rsvp_join(event=past, user=UserFactory())
    assert not Rsvp.objects.filter(event=past).exists()


def test_an_event_under_way_still_takes_rsvps_until_it_ends():
    """Latecomers can still RSVP at the door, so the organiser can mark them present."""
    rsvp = services.rsvp_join(event=started(title="Sedang berlangsung"), user=UserFactory())

    assert rsvp.status == Status.GOING


def test_you_can_only_come_for_an_enterprise_you_run(training):
    person, _own = seller()
    _other_user, someone_elses = seller()

    with pytest.raises(PermissionDenied):
        services.rsvp_join(event=training, user=person, enterprise=someone_elses)
    assert not Rsvp.objects.filter(event=training).exists()


def test_the_rsvp_records_the_enterprise_they_come_for(training):
    person, own = seller()

    rsvp = services.rsvp_join(event=training, user=person, enterprise=own)

    assert rsvp.enterprise == own


def test_rsvps_on_the_english_copy_attach_to_the_indonesian_event(training):
    english_copy = training.get_translation(Locale.objects.get(language_code="en"))
    assert english_copy.pk != training.pk

    rsvp = services.rsvp_join(event=english_copy.specific, user=UserFactory())

    assert rsvp.event_id == training.pk


# --- Cancelling -----------------------------------------------------------------------------------


def test_a_freed_place_goes_to_the_first_person_waiting_who_is_told(training):
    ani, budi, citra, dedi = (UserFactory(username=name) for name in ("ani", "budi", "citra",
                                                                      "dedi"))
    for person in (ani, budi, citra, dedi):
        services.rsvp_join(event=training, user=person)

    cancelled = services.rsvp_cancel(event=training, user=budi)

    assert cancelled.status == Status.CANCELLED
    assert statuses(training) == [("ani", "going"), ("budi", "cancelled"), ("citra", "going"),
                                  ("dedi", "waiting")]
    told = Notification.objects.get(kind="event_place")
    assert told.user == citra
    assert training.title in told.title
    assert told.url == training.url
    assert not Notification.objects.filter(user=dedi).exists()


def test_leaving_the_waiting_list_promotes_nobody(training):
    ani, budi, citra, dedi = (UserFactory() for _ in range(4))
    for person in (ani, budi, citra, dedi):
        services.rsvp_join(event=training, user=person)

    services.rsvp_cancel(event=training, user=citra)

    assert Rsvp.objects.get(event=training, user=dedi).status == Status.WAITING
    assert not Notification.objects.filter(kind="event_place").exists()


def test_joining_again_after_cancelling_goes_to_the_back(training):
    ani, budi, citra, dedi = (UserFactory(username=name) for name in ("ani", "budi", "citra",
                                                                      "dedi"))
    for person in (ani, budi, citra):
        services.rsvp_join(event=training, user=person)
    services.rsvp_cancel(event=training, user=ani)  # citra moves up
    services.rsvp_join(event=training, user=dedi)  # full again: dedi waits

    again = services.rsvp_join(event=training, user=ani)

    assert again.status == Status.WAITING
    waiting = Rsvp.objects.filter(event=training, status=Status.WAITING).order_by(
        "requested_at", "pk")
    assert [rsvp.user.username for rsvp in waiting] == ["dedi", "ani"]


def test_cancelling_without_an_rsvp_is_refused(training):
    with pytest.raises(ValidationError):
        services.rsvp_cancel(event=training, user=UserFactory())


# --- Organisers' events --------------------------------------------------------------------------


def test_an_enterprise_owner_publishes_an_event_with_its_english_alias(rina):
    user, workshop = rina

    page = services.event_create(user=user, organiser=workshop, **new_event_fields())

    assert page.live and page.organiser == workshop and page.owner == user
    assert page.locale.language_code == "id"
    alias = page.get_translation(Locale.objects.get(language_code="en"))
    assert alias.live and alias.alias_of_id == page.pk


def test_a_cooperative_manager_organises_for_the_cooperative():
    cooperative = CooperativeFactory()
    manager, _enterprise = cooperative_member(cooperative, role=Membership.Role.MANAGER)

    page = services.event_create(user=manager, organiser=cooperative,
                                 **new_event_fields(kind=EventPage.Kind.COOPERATIVE_MEETING))

    assert page.organiser_cooperative == cooperative
    assert page.user_can_manage(manager)


def test_nobody_organises_for_an_enterprise_or_cooperative_they_do_not_run(rina):
    _user, workshop = rina
    stranger, _own = seller()
    cooperative = CooperativeFactory()
    member, _enterprise = cooperative_member(cooperative)  # a member, not a manager

    with pytest.raises(PermissionDenied):
        services.event_create(user=stranger, organiser=workshop, **new_event_fields())
    with pytest.raises(PermissionDenied):
        services.event_create(user=member, organiser=cooperative, **new_event_fields())
    assert not EventPage.objects.filter(title="Pelatihan pewarna alami").exists()


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"ends_at": None}, "ends_at", "when the event ends"),
    ({"title": "  "}, "title", "name"),
    ({"venue": "", "online_url": ""}, "venue", "online link"),
    ({"capacity": 0}, "capacity", "at least 1"),
])
def test_an_event_needs_a_name_an_end_after_its_start_a_place_and_places(rina, overrides,
                                                                         field, message):
    user, workshop = rina

    with pytest.raises(ValidationError) as error:
        services.event_create(user=user, organiser=workshop, **new_event_fields(**overrides))

    assert message in " ".join(error.value.message_dict[field])
    assert not EventPage.objects.filter(summary="Pewarna dari daun indigo.").exists()


def test_an_event_ends_after_it_starts_and_starts_in_the_future(rina):
    user, workshop = rina
    fields = new_event_fields()

    with pytest.raises(ValidationError) as error:
        services.event_create(user=user, organiser=workshop,
                              **fields | {"ends_at": fields["starts_at"]})
    assert "end after it starts" in error.value.message_dict["ends_at"][0]
    with pytest.raises(ValidationError) as error:
        services.event_create(user=user, organiser=workshop, **fields | {
            "starts_at": timezone.now() - timedelta(days=1),
            "ends_at": timezone.now() + timedelta(hours=1)})
    assert "past" in error.value.message_dict["starts_at"][0]


def test_an_online_event_needs_no_place(rina):
    user, workshop = rina

    page = services.event_create(user=user, organiser=workshop, **new_event_fields(
        venue="", regency=None, online_url="https://meet.jit.si/guyub-kelas"))

    assert page.online_url == "https://meet.jit.si/guyub-kelas"


def test_event_slugs_never_take_the_names_of_the_pages_around_them(rina):
    user, workshop = rina

    page = services.event_create(user=user, organiser=workshop,
                                 **new_event_fields(title="New"))
    second = services.event_create(user=user, organiser=workshop,
                                   **new_event_fields(title="Pelatihan pewarna alami"))
    third = services.event_create(user=user, organiser=workshop,
                                  **new_event_fields(title="Pelatihan pewarna alami"))

    assert page.slug.startswith("new-")
    assert second.slug == "pelatihan-pewarna-alami" != third.slug


def test_only_organisers_change_an_event(training, rina):
    organiser, _workshop = rina
    stranger, _own = seller()

    with pytest.raises(PermissionDenied):
        services.event_update(event=training, user=stranger, title="Dibajak")
    services.event_update(event=training, user=organiser, title="Pelatihan foto produk 2")

    training.refresh_from_db()
    assert training.title == "Pelatihan foto produk 2"
    english = training.get_translation(Locale.objects.get(language_code="en"))
    assert english.title == "Pelatihan foto produk 2"  # the alias follows


def test_the_capacity_cannot_go_below_the_people_going(training, rina):
    organiser, _workshop = rina
    for _ in range(2):
        services.rsvp_join(event=training, user=UserFactory())

    with pytest.raises(ValidationError) as error:
        services.event_update(event=training, user=organiser, capacity=1)

    assert "2 people are already going" in error.value.message_dict["capacity"][0]
    training.refresh_from_db()
    assert training.capacity == 2


def test_more_places_move_the_waiting_list_up_in_order(training, rina):
    organiser, _workshop = rina
    people = [UserFactory(username=f"p{number}") for number in range(5)]
    for person in people:
        services.rsvp_join(event=training, user=person)

    services.event_update(event=training, user=organiser, capacity=4)

    assert statuses(training) == [("p0", "going"), ("p1", "going"), ("p2", "going"),
                                  ("p3", "going"), ("p4", "waiting")]
    assert set(Notification.objects.filter(kind="event_place")
               .values_list("user__username", flat=True)) == {"p2", "p3"}


def test_translated_pages_get_the_new_time_too(training, rina):
    from knowledge.services.pages import page_translate

    organiser, _workshop = rina
    english = page_translate(page=training, language_code="en", title="Product photo training")
    later = training.starts_at + timedelta(days=1)

    services.event_update(event=training, user=organiser, starts_at=later,
                          ends_at=later + timedelta(hours=2))

    english.refresh_from_db()
    assert english.title == "Product photo training"
    assert english.starts_at == later


# --- Attendance and ties -------------------------------------------------------------------------


def attend(page, count: int):
    """`count` people, each running an enterprise, going to `page`: [(rsvp, enterprise)]."""
    going = []
    for _ in range(count):
        user, enterprise = seller()
        going.append((services.rsvp_join(event=page, user=user, enterprise=enterprise),
                      enterprise))
    return going


def co_attendance_pairs() -> set[tuple[int, int]]:
    return set(Tie.objects.filter(kind=Tie.Kind.CO_ATTENDANCE)
               .values_list("from_enterprise_id", "to_enterprise_id"))


def test_marked_attendees_share_a_tie_and_absentees_none(rina):
    """Mbak Rina runs a training at the village hall; attendees RSVP and are marked present;
    they now share a tie."""
    organiser, workshop = rina
    hall = started(title="Pelatihan di balai desa", organiser_enterprise=workshop)
    (a, first), (b, second), (c, third), (absent, missing) = attend(hall, 4)

    services.attendance_mark(event=hall, marked_by=organiser,
                             present_rsvp_ids={a.pk, b.pk, c.pk})

    ids = sorted([first.pk, second.pk, third.pk])
    assert co_attendance_pairs() == {(ids[0], ids[1]), (ids[0], ids[2]), (ids[1], ids[2])}
    tie = Tie.objects.filter(kind=Tie.Kind.CO_ATTENDANCE).first()
    assert tie.evidence == f"event:{hall.pk}" and tie.origin == Tie.Origin.AUTOMATIC
    assert tie.started_on == timezone.localdate(hall.starts_at)
    assert not Tie.objects.filter(from_enterprise=missing).exists()
    assert not Tie.objects.filter(to_enterprise=missing).exists()
    marks = dict(Rsvp.objects.filter(event=hall).values_list("pk", "attended"))
    assert marks == {a.pk: True, b.pk: True, c.pk: True, absent.pk: False}


def test_a_second_shared_event_keeps_one_tie_with_the_earliest_start(rina):
    organiser, workshop = rina
    first_user, first = seller()
    second_user, second = seller()
    earlier = event(title="Pelatihan pertama", organiser_enterprise=workshop,
                    starts_at=timezone.now() + timedelta(days=1))
    later = event(title="Pelatihan kedua", organiser_enterprise=workshop,
                  starts_at=timezone.now() + timedelta(days=8))
    rsvps = {page: [services.rsvp_join(event=page, user=user, enterprise=enterprise).pk
                    for user, enterprise in ((first_user, first), (second_user, second))]
             for page in (earlier, later)}
    # Both events have happened by the time the organiser marks them (the later one first).
    for page in (later, earlier):
        EventPage.objects.filter(pk=page.pk).update(
            starts_at=page.starts_at - timedelta(days=30),
            ends_at=page.ends_at - timedelta(days=30))
        page.refresh_from_db()
        services.attendance_mark(event=page, marked_by=organiser,
                                 present_rsvp_ids=set(rsvps[page]))

    ties = Tie.objects.filter(kind=Tie.Kind.CO_ATTENDANCE)
    assert ties.count() == 1
    assert ties.get().started_on == timezone.localdate(earlier.starts_at)  # moved back above


def test_unmarking_someone_later_keeps_the_tie(rina):
    organiser, workshop = rina
    hall = started(title="Kerja bakti", organiser_enterprise=workshop,
                   kind=EventPage.Kind.GOTONG_ROYONG)
    (a, _first), (b, _second) = attend(hall, 2)
    services.attendance_mark(event=hall, marked_by=organiser, present_rsvp_ids={a.pk, b.pk})

    services.attendance_mark(event=hall, marked_by=organiser, present_rsvp_ids={a.pk})

    assert Rsvp.objects.get(pk=b.pk).attended is False
    assert len(co_attendance_pairs()) == 1


def test_people_from_the_same_enterprise_or_none_make_no_tie(rina):
    organiser, workshop = rina
    hall = started(title="Rapat", organiser_enterprise=workshop)
    owner, shop = seller()
    from tests.factories import EnterpriseMemberFactory

    staff = EnterpriseMemberFactory(enterprise=shop).user
    alone = UserFactory()
    rsvps = [services.rsvp_join(event=hall, user=owner, enterprise=shop),
             services.rsvp_join(event=hall, user=staff, enterprise=shop),
             services.rsvp_join(event=hall, user=alone)]

    services.attendance_mark(event=hall, marked_by=organiser,
                             present_rsvp_ids={rsvp.pk for rsvp in rsvps})

    assert not Tie.objects.exists()


def test_only_organisers_mark_attendance_and_only_from_the_start(rina, training):
    organiser, workshop = rina
    hall = started(title="Pelatihan", organiser_enterprise=workshop)
    (a, _first), (b, _second) = attend(hall, 2)
    stranger, _own = seller()

    with pytest.raises(PermissionDenied):
        services.attendance_mark(event=hall, marked_by=stranger, present_rsvp_ids={a.pk, b.pk})
    (c, _third), = attend(training, 1)
    with pytest.raises(ValidationError, match="once the event has started"):
        services.attendance_mark(event=training, marked_by=organiser, present_rsvp_ids={c.pk})

    assert not Rsvp.objects.filter(attended__isnull=False).exists()
    assert not Tie.objects.exists()


def test_rsvps_of_other_events_cannot_be_marked_through_this_one(rina):
    organiser, workshop = rina
    hall = started(title="Pelatihan A", organiser_enterprise=workshop)
    other = started(title="Pelatihan B")
    (mine, _first), = attend(hall, 1)
    (theirs, _second), = attend(other, 1)

    services.attendance_mark(event=hall, marked_by=organiser,
                             present_rsvp_ids={mine.pk, theirs.pk})

    assert Rsvp.objects.get(pk=theirs.pk).attended is None


def test_marking_30_present_costs_the_same_queries_as_marking_5(rina):
    """A big training's attendance records its hundreds of ties in a few queries."""
    organiser, workshop = rina
    warm_up, small, large = (started(title=f"Pelatihan {n}", organiser_enterprise=workshop)
                             for n in (2, 5, 30))
    rsvps = {page: [rsvp.pk for rsvp, _enterprise in attend(page, count)]
             for page, count in ((warm_up, 2), (small, 5), (large, 30))}
    services.attendance_mark(event=warm_up, marked_by=organiser,
                             present_rsvp_ids=set(rsvps[warm_up]))

    counts = []
    for page in (small, large):
        with CaptureQueriesContext(connection) as queries:
            services.attendance_mark(event=page, marked_by=organiser,
                                     present_rsvp_ids=set(rsvps[page]))
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
    assert len(co_attendance_pairs()) == 1 + 10 + 435


# --- Capacity under concurrency (PostgreSQL) -----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL row locks and parallel "
                                              "transactions; CI runs it on PostgreSQL")
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
def test_ten_people_racing_for_three_places_get_exactly_three(migrated_rows):
    page = event(title="Pelatihan rebutan", capacity=3)
    people = [UserFactory() for _ in range(10)]
    start = threading.Barrier(len(people))
    outcomes = []

    def join(person):
        try:
            start.wait()
            outcomes.append(services.rsvp_join(event=page, user=person).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [Status.GOING] * 3 + [Status.WAITING] * 7
    assert Rsvp.objects.filter(event=page, status=Status.GOING).count() == 3
    assert Rsvp.objects.filter(event=page, status=Status.WAITING).count() == 7
