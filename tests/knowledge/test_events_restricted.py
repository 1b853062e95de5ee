"""Events editors restricted (login, password) stay out of every list, the calendar feed and
the actions on one event for the people the restriction keeps out; their organisers still
reach their tools. Events editors took down or locked are not published again by an
organiser's edit. Line breaks in a title never reach a calendar file."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from knowledge.models import EventPage, Rsvp
from knowledge.services import events as services
from tests.factories import RegencyFactory, UserFactory, event, seller

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def rina():
    return seller(name="Batik Rina", slug="batik-rina")


def english(page) -> EventPage:
    return page.get_translation(Locale.objects.get(language_code="en")).specific


def restricted(organiser, restriction_type: str) -> EventPage:
    page = event(title="Rapat rahasia", summary="Secret summary",
                 online_url="https://meet.example/secret", organiser_enterprise=organiser)
    fields = {"password": "sandi"} if restriction_type == "password" else {}
    PageViewRestriction.objects.create(page=page, restriction_type=restriction_type, **fields)
    return page


def leaks(client) -> dict[str, bool]:
    """Where the restricted event shows, for the client's user."""
    found = {}
    # English is unprefixed in these tests (the `english` fixture), Indonesian under /id/.
    for url in ("/events/", "/id/events/", "/events/?when=past",
                "/api/v1/events/", "/api/v1/events/?locale=en", "/events/calendar.ics",
                "/id/events/calendar.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = "Rapat rahasia" in response.content.decode()
    return found


# --- View restrictions ---------------------------------------------------------------------------


@pytest.mark.parametrize("restriction_type", ["login", "password"])
def test_a_restricted_event_is_in_no_list_and_no_feed(client, rina, restriction_type):
    _user, workshop = rina
    event(title="Pelatihan terbuka", organiser_enterprise=workshop)
    restricted(workshop, restriction_type)

    assert "Pelatihan terbuka" in client.get("/events/").content.decode()
    assert not any(leaks(client).values()), leaks(client)
    client.force_login(UserFactory())  # passes a login restriction, not a password
    if restriction_type == "password":
        assert not any(leaks(client).values()), leaks(client)


@pytest.mark.parametrize("restriction_type", ["login", "password"])
def test_the_api_does_not_find_a_restricted_event_in_any_language(client, rina,
                                                                   restriction_type):
    _user, workshop = rina
    page = restricted(workshop, restriction_type)

    for pk in (page.pk, english(page).pk):
        response = client.get(f"/api/v1/events/{pk}/")
        assert response.status_code == 404
        assert "meet.example" not in response.content.decode()


def test_a_stranger_cannot_rsvp_to_a_password_restricted_event(client, rina):
    _user, workshop = rina
    page = restricted(workshop, "password")
    stranger = UserFactory()
    client.force_login(stranger)

    for pk in (page.pk, english(page).pk):
        assert client.post(reverse("event_rsvp", args=[pk])).status_code == 404
        assert client.post(reverse("event_rsvp_cancel", args=[pk])).status_code == 404
        assert client.get(reverse("event_ical", args=[pk])).status_code == 404
    assert not Rsvp.objects.exists()


def test_an_anonymous_visitor_cannot_rsvp_or_download_a_login_restricted_event(client, rina):
    _user, workshop = rina
    page = restricted(workshop, "login")

    response = client.post(reverse("event_rsvp", args=[page.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get(reverse("event_ical", args=[page.pk])).status_code == 404
    assert client.get(reverse("event_ical", args=[english(page).pk])).status_code == 404
    assert not Rsvp.objects.exists()


def test_a_logged_in_person_passes_a_login_restriction(client, rina):
    _user, workshop = rina
    page = restricted(workshop, "login")
    member = UserFactory()
    client.force_login(member)

    client.post(reverse("event_rsvp", args=[page.pk]))

    assert Rsvp.objects.get(user=member).event_id == page.pk
    assert client.get(reverse("event_ical", args=[page.pk])).status_code == 200


def test_organisers_still_reach_their_restricted_events_tools(client, rina):
    organiser, workshop = rina
    page = restricted(workshop, "password")
    client.force_login(organiser)

    assert client.get(reverse("event_edit", args=[page.pk])).status_code == 200
    assert client.get(reverse("event_attendance", args=[page.pk])).status_code == 200
    assert client.get(reverse("event_ical", args=[page.pk])).status_code == 200


def test_a_stranger_gets_not_found_for_a_restricted_events_tools(client, rina):
    _user, workshop = rina
    page = restricted(workshop, "password")
    client.force_login(UserFactory())

    assert client.get(reverse("event_edit", args=[page.pk])).status_code == 404
    assert client.post(reverse("event_attendance", args=[page.pk])).status_code == 404


# --- Events editors took down or locked ----------------------------------------------------------


def edit_data(page, **overrides) -> dict:
    data = {"organiser": f"enterprise:{page.organiser_enterprise_id}", "title": "Acara lagi",
            "kind": "training", "summary": "Ringkasan.",
            "starts_at": timezone.localtime(page.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(page.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "venue": "Balai", "regency": "", "online_url": "", "capacity": "", "details": ""}
    return data | overrides


def test_an_organiser_cannot_publish_again_an_event_editors_took_down(client, rina):
    organiser, workshop = rina
    page = event(title="Acara spam", organiser_enterprise=workshop)
    page.unpublish()
    client.force_login(organiser)

    shown = client.get(reverse("event_edit", args=[page.pk]), follow=True)
    response = client.post(reverse("event_edit", args=[page.pk]), edit_data(page), follow=True)

    for answer in (shown, response):
        assert answer.status_code == 200
        assert "Editors have taken this event down; ask them to publish it again." in \
            answer.content.decode()
        assert 'name="title"' not in answer.content.decode()
    page.refresh_from_db()
    assert not page.live and page.title == "Acara spam"
    assert not english(page).live


def test_the_service_refuses_to_change_an_event_taken_down_or_locked(rina):
    organiser, workshop = rina
    down = event(title="Diturunkan", organiser_enterprise=workshop)
    down.unpublish()
    locked = event(title="Dikunci", organiser_enterprise=workshop)
    EventPage.objects.filter(pk=locked.pk).update(locked=True)

    with pytest.raises(services.ValidationError, match="taken this event down"):
        services.event_update(event=down, user=organiser, title="Naik lagi")
    with pytest.raises(services.ValidationError, match="locked this event"):
        services.event_update(event=locked, user=organiser, title="Diubah")

    assert EventPage.objects.get(pk=down.pk).live is False
    assert EventPage.objects.get(pk=locked.pk).title == "Dikunci"


def test_an_edit_leaves_a_translation_editors_took_down_down(rina):
    organiser, workshop = rina
    page = event(title="Pelatihan", organiser_enterprise=workshop)
    alias = english(page)
    alias.unpublish()

    services.event_update(event=page, user=organiser, capacity=10)

    assert EventPage.objects.get(pk=page.pk).live
    assert EventPage.objects.get(pk=alias.pk).live is False
    assert EventPage.objects.get(pk=alias.pk).capacity == 10


# --- Line breaks in titles -----------------------------------------------------------------------


def test_a_title_with_line_breaks_is_one_line_and_the_calendar_file_has_one_event(client, rina):
    organiser, workshop = rina
    starts = (timezone.now() + timedelta(days=5)).replace(second=0, microsecond=0)
    page = services.event_create(
        user=organiser, organiser=workshop, title="A\r\nBEGIN:VEVENT",
        kind=EventPage.Kind.TRAINING, summary="a\r\nATTACH:http://evil",
        starts_at=starts, ends_at=starts + timedelta(hours=2), venue="Balai\nX-EVIL:1",
        regency=RegencyFactory(),
    )

    assert (page.title, page.summary, page.venue) == \
        ("A BEGIN:VEVENT", "a ATTACH:http://evil", "Balai X-EVIL:1")
    for url in (reverse("event_ical", args=[page.pk]), "/events/calendar.ics"):
        response = client.get(url)
        assert response.status_code == 200
        calendar = icalendar.Calendar.from_ical(response.content)
        (vevent,) = calendar.walk("VEVENT")
        assert str(vevent["SUMMARY"]) == "A BEGIN:VEVENT"
        assert response.content.count(b"\nBEGIN:VEVENT\r\n") == 1


def test_the_form_puts_a_title_on_one_line(client, rina):
    organiser, workshop = rina
    client.force_login(organiser)
    starts = timezone.localtime(timezone.now() + timedelta(days=5))
    client.post(reverse("event_create"), {
        "organiser": f"enterprise:{workshop.pk}", "title": "Judul\r\nBEGIN:VEVENT",
        "kind": "training", "summary": "Satu\r\ndua", "venue": "Balai\r\nDesa",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "details": "",
    })

    page = EventPage.objects.get(locale__language_code="id")
    assert (page.title, page.summary, page.venue) == ("Judul BEGIN:VEVENT", "Satu dua",
                                                      "Balai Desa")


def test_a_calendar_named_after_a_title_with_a_line_break_still_parses():
    from knowledge import ical

    body = ical.calendar_to_ical([], name="A\r\nBEGIN:VEVENT")

    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.walk("VEVENT") == []
    assert calendar["X-WR-CALNAME"].startswith("A")
    assert body.count(b"BEGIN:VEVENT") == 1  # in the escaped name only, not a line of its own
    assert b"\nBEGIN:VEVENT" not in body
