"""Events and trainings, the pages: the index and its archive (in both languages), an event's
page for each kind of visitor, organising, RSVP and attendance through the views (with
permissions denied), calendars, "my events", and query counts that do not grow."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from enterprises.models import EnterpriseMember, Membership, Tie
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
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db
Status = Rsvp.Status
INDEX = "/events/"


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def rina():
    return seller(name="Batik Rina", slug="batik-rina")


@pytest.fixture
def training(rina):
    _user, workshop = rina
    return event(title="Pelatihan foto produk", capacity=2, organiser_enterprise=workshop,
                 regency=RegencyFactory(name="Kabupaten Banyumas"))


def past_event(**fields) -> EventPage:
    starts = timezone.now() - timedelta(days=fields.pop("days_ago", 3))
    return event(starts_at=starts, ends_at=starts + timedelta(hours=3), **fields)


def started(**fields) -> EventPage:
    return event(starts_at=timezone.now() - timedelta(hours=1),
                 ends_at=timezone.now() + timedelta(hours=2), **fields)


def english(page) -> EventPage:
    return page.get_translation(Locale.objects.get(language_code="en")).specific


def url(page) -> str:
    """The event's page in English, the language these tests read (unprefixed here)."""
    return english(page).get_url()


def text(html: str) -> str:
    """What a reader sees: the page without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


# --- The index and the archive -------------------------------------------------------------------


def test_the_index_lists_upcoming_events_soonest_first_and_not_past_ones(client):
    later = event(title="Rapat anggota", starts_at=timezone.now() + timedelta(days=9),
                  kind=EventPage.Kind.COOPERATIVE_MEETING)
    sooner = event(title="Pasar tani", starts_at=timezone.now() + timedelta(days=2),
                   kind=EventPage.Kind.MARKET_DAY)
    past_event(title="Pelatihan lalu")

    html = client.get(INDEX).content.decode()

    assert html.index(sooner.title) < html.index(later.title)
    assert "Pelatihan lalu" not in html
    assert "2 events" in html


def test_the_archive_lists_past_events_newest_first(client):
    event(title="Pasar tani")
    past_event(title="Kerja bakti lama", days_ago=30)
    past_event(title="Pelatihan minggu lalu", days_ago=7)

    html = client.get(INDEX, {"when": "past"}).content.decode()

    assert html.index("Pelatihan minggu lalu") < html.index("Kerja bakti lama")
    assert "Pasar tani" not in html
    assert "Past events" in html


def test_kind_and_regency_filter_the_list(client):
    banyumas = RegencyFactory(name="Kabupaten Banyumas")
    temanggung = RegencyFactory(name="Kabupaten Temanggung")
    event(title="Pelatihan di Banyumas", regency=banyumas)
    event(title="Pelatihan di Temanggung", regency=temanggung)
    event(title="Kerja bakti di Banyumas", regency=banyumas,
          kind=EventPage.Kind.GOTONG_ROYONG)

    by_kind = client.get(INDEX, {"kind": "gotong_royong"}).content.decode()
    by_regency = client.get(INDEX, {"regency": temanggung.slug}).content.decode()
    both = client.get(INDEX, {"kind": "training", "regency": banyumas.slug}).content.decode()

    assert "Kerja bakti di Banyumas" in by_kind and "Pelatihan di" not in by_kind
    assert "Pelatihan di Temanggung" in by_regency and "Banyumas</a>" not in by_regency
    assert "Pelatihan di Banyumas" in both
    assert "Temanggung</a>" not in both and "Kerja bakti di" not in both


def test_an_empty_list_says_so_and_invites_organisers(client, rina):
    client.force_login(rina[0])

    html = client.get(INDEX, {"kind": "cultural"}).content.decode()

    assert "No upcoming events match" in html
    assert reverse("event_create") in html


def test_the_index_costs_the_same_queries_for_3_and_20_events(client, rina):
    user, workshop = rina
    client.force_login(user)

    def add(count):
        for number in range(count):
            page = event(title=f"Acara {EventPage.objects.count()}-{number}", capacity=5,
                         organiser_enterprise=workshop)
            services.rsvp_join(event=page, user=user, enterprise=workshop)

    add(3)
    few = count_queries(client, INDEX)
    add(17)
    assert count_queries(client, INDEX) == few
    add(1)
    second_page = client.get(INDEX, {"page": 2}).content.decode()
    assert "Page 2 of 2" in second_page


# --- An event's page -----------------------------------------------------------------------------


def test_an_anonymous_visitor_sees_when_where_who_and_is_asked_to_log_in(client, training):
    EventPage.objects.filter(pk__in=[training.pk, english(training).pk]).update(
        starts_at=timezone.make_aware(timezone.datetime(2030, 12, 12, 9, 0)),
        ends_at=timezone.make_aware(timezone.datetime(2030, 12, 12, 12, 0)),
    )

    html = client.get(url(training)).content.decode()

    assert "Thursday, 12 December 2030, 09.00–12.00 WIB" in text(html)
    assert "Balai Desa Karangsari, Kabupaten Banyumas" in html
    assert 'href="/enterprises/batik-rina/"' in html
    assert "2 of 2 places left" in html
    assert f'{reverse("login")}?next={url(training)}' in html
    assert reverse("event_rsvp", args=[training.pk]) not in html
    assert reverse("event_ical", args=[training.pk]) in html
    assert "For the organisers" not in html


def test_a_person_who_runs_enterprises_chooses_one_and_rsvps(client, training):
    user, shop = seller(name="Keripik Sari")
    client.force_login(user)

    page = client.get(url(training)).content.decode()
    assert 'name="enterprise"' in page and "Keripik Sari" in page

    response = client.post(reverse("event_rsvp", args=[training.pk]), {"enterprise": shop.pk})

    assert response.status_code == 302 and response.url == url(training)
    rsvp = Rsvp.objects.get(event=training, user=user)
    assert (rsvp.status, rsvp.enterprise) == (Status.GOING, shop)
    html = client.get(url(training)).content.decode()
    assert "You are going." in html and "You come for Keripik Sari." in html
    assert "1 of 2 places left" in html
    assert reverse("event_rsvp_cancel", args=[training.pk]) in html


def test_on_a_full_event_the_next_person_joins_the_waiting_list_with_their_number(client,
                                                                                   training):
    for _ in range(2):
        services.rsvp_join(event=training, user=UserFactory())
    services.rsvp_join(event=training, user=UserFactory())  # number 1 waiting
    user = UserFactory()
    client.force_login(user)
    assert "Join the waiting list" in client.get(url(training)).content.decode()

    response = client.post(reverse("event_rsvp", args=[training.pk]), follow=True)

    html = response.content.decode()
    assert "number 2 on the waiting list" in html
    assert "You are number 2 on the waiting list." in html
    assert Rsvp.objects.get(event=training, user=user).status == Status.WAITING


def test_coming_for_someone_elses_enterprise_is_forbidden_and_writes_nothing(client, training):
    user, _own = seller()
    _other, not_theirs = seller()
    client.force_login(user)

    response = client.post(reverse("event_rsvp", args=[training.pk]),
                           {"enterprise": not_theirs.pk})

    assert response.status_code == 403
    assert not Rsvp.objects.exists()


def test_rsvp_needs_a_login_and_a_post(client, training):
    response = client.post(reverse("event_rsvp", args=[training.pk]))
    assert response.status_code == 302 and reverse("login") in response.url
    client.force_login(UserFactory())
    assert client.get(reverse("event_rsvp", args=[training.pk])).status_code == 405
    assert not Rsvp.objects.exists()


def test_cancelling_frees_the_place_for_the_first_person_waiting(client, training):
    user = UserFactory()
    services.rsvp_join(event=training, user=user)
    services.rsvp_join(event=training, user=UserFactory())
    waiting = services.rsvp_join(event=training, user=UserFactory())
    client.force_login(user)

    response = client.post(reverse("event_rsvp_cancel", args=[training.pk]), follow=True)

    assert "Your place is cancelled." in response.content.decode()
    assert "You cancelled your place." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.GOING


def test_an_ended_event_shows_how_many_came_and_takes_no_rsvp(client, rina):
    organiser, workshop = rina
    page = started(title="Pelatihan selesai", organiser_enterprise=workshop)
    rsvps = [services.rsvp_join(event=page, user=UserFactory()) for _ in range(3)]
    services.attendance_mark(event=page, marked_by=organiser,
                             present_rsvp_ids={rsvps[0].pk, rsvps[1].pk})
    EventPage.objects.filter(pk=page.pk).update(ends_at=timezone.now() - timedelta(minutes=5))
    client.force_login(UserFactory())

    html = client.get(url(page)).content.decode()

    assert "This event has ended" in html and "2 people came." in text(html)
    assert reverse("event_rsvp", args=[page.pk]) not in html
    response = client.post(reverse("event_rsvp", args=[page.pk]), follow=True)
    assert "has ended" in response.content.decode()
    assert Rsvp.objects.filter(event=page).count() == 3


def test_organisers_see_who_is_coming_and_their_tools_others_do_not(client, training, rina):
    organiser, _workshop = rina
    guest, shop = seller(name="Keripik Sari")
    guest.first_name, guest.last_name = "Sari", "Wulandari"
    guest.save()
    services.rsvp_join(event=training, user=guest, enterprise=shop)

    client.force_login(organiser)
    html = client.get(url(training)).content.decode()
    assert "For the organisers" in html
    assert "Sari Wulandari" in html and "Keripik Sari" in html
    assert reverse("event_edit", args=[training.pk]) in html
    assert guest.email not in html and shop.whatsapp not in html

    client.force_login(UserFactory())
    html = client.get(url(training)).content.decode()
    assert "For the organisers" not in html and "Sari Wulandari" not in html


def test_the_event_page_costs_the_same_queries_for_3_and_30_rsvps(client, rina):
    organiser, workshop = rina
    page = event(title="Pelatihan besar", capacity=20, organiser_enterprise=workshop)
    client.force_login(organiser)

    def add(count):
        for _ in range(count):
            user, enterprise = seller()
            services.rsvp_join(event=page, user=user, enterprise=enterprise)

    add(3)
    few = count_queries(client, url(page))
    add(27)  # 20 going, 10 waiting
    assert count_queries(client, url(page)) == few


# --- Organising ----------------------------------------------------------------------------------


def event_form_data(**overrides) -> dict:
    starts = timezone.localtime(timezone.now() + timedelta(days=10)).replace(
        hour=9, minute=0, second=0, microsecond=0)
    data = {"title": "Pelatihan pewarna alami", "kind": "training",
            "summary": "Pewarna dari daun indigo.",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "venue": "Sanggar Batik Rina", "regency": "", "online_url": "", "capacity": "15",
            "details": "Bawa kain katun putih.\n\nGratis."}
    return data | overrides


def test_the_form_offers_only_what_the_user_runs_or_manages(client, rina):
    user, workshop = rina
    cooperative = CooperativeFactory(name="Koperasi Kopi")
    _, managing = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    EnterpriseMember.objects.create(enterprise=managing, user=user)  # Rina helps run it
    other_cooperative = CooperativeFactory(name="Koperasi Lain")
    _stranger, other_enterprise = seller(name="Usaha Orang Lain")
    client.force_login(user)

    html = client.get(reverse("event_create")).content.decode()

    assert f'value="enterprise:{workshop.pk}"' in html
    assert f'value="cooperative:{cooperative.pk}"' in html
    assert f'value="cooperative:{other_cooperative.pk}"' not in html
    assert f'value="enterprise:{other_enterprise.pk}"' not in html


def test_an_owner_publishes_an_event_from_the_form(client, rina):
    user, workshop = rina
    client.force_login(user)

    response = client.post(reverse("event_create"),
                           event_form_data(organiser=f"enterprise:{workshop.pk}"))

    page = EventPage.objects.get(title="Pelatihan pewarna alami", locale__language_code="id")
    assert response.status_code == 302 and response.url == english(page).get_url()
    assert page.live and page.organiser_enterprise == workshop and page.capacity == 15
    assert timezone.localtime(page.starts_at).hour == 9
    assert str(page.body[0].value) == "<p>Bawa kain katun putih.</p><p>Gratis.</p>"


def test_the_form_shows_the_services_errors_and_publishes_nothing(client, rina):
    user, workshop = rina
    client.force_login(user)
    data = event_form_data(organiser=f"enterprise:{workshop.pk}", venue="")

    response = client.post(reverse("event_create"), data)
    tampered = client.post(reverse("event_create"),
                           event_form_data(organiser=f"enterprise:{seller()[1].pk}"))

    assert response.status_code == 200
    assert "Give a place, or an online link" in response.content.decode()
    assert tampered.status_code == 200 and "Select a valid choice" in tampered.content.decode()
    assert not EventPage.objects.filter(title="Pelatihan pewarna alami").exists()


def test_people_who_run_nothing_cannot_organise(client):
    client.force_login(UserFactory())

    response = client.get(reverse("event_create"))

    assert response.status_code == 403
    assert reverse("enterprise_create") in response.content.decode()


def test_only_organisers_edit_and_nothing_changes_for_a_stranger(client, training, stranger):
    response = client.post(reverse("event_edit", args=[training.pk]),
                           event_form_data(title="Dibajak"))

    assert response.status_code == 403
    assert client.get(reverse("event_edit", args=[training.pk])).status_code == 403
    training.refresh_from_db()
    assert training.title == "Pelatihan foto produk"


def test_the_organiser_edits_an_event_and_cannot_cut_places_below_those_going(client, training,
                                                                              rina):
    user, workshop = rina
    for _ in range(2):
        services.rsvp_join(event=training, user=UserFactory())
    client.force_login(user)
    form = client.get(reverse("event_edit", args=[english(training).pk])).content.decode()
    assert 'value="Pelatihan foto produk"' in form

    refused = client.post(reverse("event_edit", args=[training.pk]), event_form_data(
        organiser=f"enterprise:{workshop.pk}", title="Pelatihan foto produk", capacity="1"))
    saved = client.post(reverse("event_edit", args=[training.pk]), event_form_data(
        organiser=f"enterprise:{workshop.pk}", title="Pelatihan foto produk lanjutan",
        capacity="5"))

    assert "2 people are already going" in refused.content.decode()
    assert saved.status_code == 302
    training.refresh_from_db()
    assert (training.title, training.capacity) == ("Pelatihan foto produk lanjutan", 5)


# --- Attendance ----------------------------------------------------------------------------------


def test_a_stranger_cannot_see_or_mark_attendance(client, rina, stranger):
    _organiser, workshop = rina
    page = started(title="Pelatihan", organiser_enterprise=workshop)
    rsvp = services.rsvp_join(event=page, user=UserFactory())

    assert client.get(reverse("event_attendance", args=[page.pk])).status_code == 403
    response = client.post(reverse("event_attendance", args=[page.pk]), {"present": [rsvp.pk]})

    assert response.status_code == 403
    rsvp.refresh_from_db()
    assert rsvp.attended is None


def test_attendance_opens_at_the_start(client, training, rina):
    client.force_login(rina[0])
    rsvp = services.rsvp_join(event=training, user=UserFactory())

    html = client.get(reverse("event_attendance", args=[training.pk])).content.decode()
    response = client.post(reverse("event_attendance", args=[training.pk]),
                           {"present": [rsvp.pk]}, follow=True)

    assert "You can mark attendance once the event starts" in html
    assert "once the event has started" in response.content.decode()
    rsvp.refresh_from_db()
    assert rsvp.attended is None


def test_mbak_rina_marks_who_came_and_they_now_share_a_tie(client, rina):
    """Mbak Rina runs a training at the village hall; attendees RSVP and are marked present;
    they now share a tie."""
    organiser, workshop = rina
    hall = started(title="Pelatihan di balai desa", organiser_enterprise=workshop,
                   venue="Balai Desa Karangsari")
    attendees = [seller() for _ in range(3)]
    rsvps = [services.rsvp_join(event=hall, user=user, enterprise=enterprise)
             for user, enterprise in attendees]
    client.force_login(organiser)
    page = client.get(reverse("event_attendance", args=[english(hall).pk])).content.decode()
    assert page.count('name="present"') == 3

    response = client.post(reverse("event_attendance", args=[hall.pk]),
                           {"present": [rsvps[0].pk, rsvps[1].pk]}, follow=True)

    assert "Attendance saved: 2 of 3 came." in response.content.decode()
    tie = Tie.objects.get(kind=Tie.Kind.CO_ATTENDANCE)
    assert {tie.from_enterprise, tie.to_enterprise} == {attendees[0][1], attendees[1][1]}
    assert Rsvp.objects.get(pk=rsvps[2].pk).attended is False


# --- Calendars -----------------------------------------------------------------------------------


def test_add_to_calendar_gives_an_ics_file_that_parses(client, training):
    response = client.get(reverse("event_ical", args=[english(training).pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    start = vevent.decoded("DTSTART")
    assert start.utcoffset() == timedelta(0)
    assert start == training.starts_at.replace(microsecond=0)
    assert vevent.decoded("DTEND") == training.ends_at.replace(microsecond=0)
    assert str(vevent["SUMMARY"]) == "Pelatihan foto produk"
    assert str(vevent["LOCATION"]) == "Balai Desa Karangsari, Kabupaten Banyumas"
    assert str(vevent["URL"]) == "http://testserver/events/pelatihan-foto-produk/"
    assert str(vevent["UID"]) == f"event-{training.pk}@testserver"


def test_the_feed_lists_only_upcoming_events_and_filters(client, training):
    event(title="Pasar tani", kind=EventPage.Kind.MARKET_DAY,
          regency=RegencyFactory(name="Kabupaten Temanggung"))
    past_event(title="Pelatihan lalu")

    def summaries(**params):
        response = client.get(reverse("event_feed"), params)
        assert response.status_code == 200
        calendar = icalendar.Calendar.from_ical(response.content)
        return sorted(str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT"))

    assert summaries() == ["Pasar tani", "Pelatihan foto produk"]
    assert summaries(kind="market_day") == ["Pasar tani"]
    assert summaries(regency="kabupaten-banyumas") == ["Pelatihan foto produk"]


# --- My events -----------------------------------------------------------------------------------


def test_my_events_lists_rsvps_with_status_and_waiting_position(client, training):
    user = UserFactory()
    full = event(title="Kerja bakti", capacity=1, kind=EventPage.Kind.GOTONG_ROYONG)
    services.rsvp_join(event=full, user=UserFactory())
    services.rsvp_join(event=full, user=UserFactory())
    services.rsvp_join(event=training, user=user)
    services.rsvp_join(event=full, user=user)
    cancelled = event(title="Rapat batal")
    services.rsvp_join(event=cancelled, user=user)
    services.rsvp_cancel(event=cancelled, user=user)
    client.force_login(user)

    html = client.get(reverse("my_events")).content.decode()

    assert "Pelatihan foto produk" in html and "Going" in html
    assert "Waiting list: number 2" in html
    assert "Rapat batal" in html and "Cancelled" in html
    assert client.get(reverse("my_events")).status_code == 200
    client.logout()
    assert client.get(reverse("my_events")).status_code == 302


def test_an_event_under_way_can_still_be_corrected_without_moving_its_time(client, rina):
    user, workshop = rina
    page = started(title="Pelatihan berjalan", organiser_enterprise=workshop)
    client.force_login(user)
    data = {**event_form_data(organiser=f"enterprise:{workshop.pk}",
                              title="Pelatihan berjalan (ruang 2)"),
            "starts_at": timezone.localtime(page.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(page.ends_at).strftime("%Y-%m-%dT%H:%M")}

    response = client.post(reverse("event_edit", args=[page.pk]), data)

    assert response.status_code == 302, response.content.decode()
    before = page.starts_at
    page.refresh_from_db()
    assert page.title == "Pelatihan berjalan (ruang 2)" and page.starts_at == before
