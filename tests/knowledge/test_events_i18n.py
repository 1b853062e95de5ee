"""Events in both languages, as the site serves them: Indonesian at /events/, English at
/en/events/ where the events are aliases (or translations) of the Indonesian ones, with the same
RSVPs."""

import re

import pytest
from django.utils import timezone
from wagtail.models import Locale

from knowledge.models import EventPage, Rsvp
from knowledge.services import events as services
from knowledge.services.pages import page_translate
from tests.factories import RegencyFactory, UserFactory, event, seller
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.fixture
def training():
    _user, workshop = seller(name="Batik Rina", slug="batik-rina")
    page = event(title="Pelatihan foto produk", capacity=2, organiser_enterprise=workshop,
                 regency=RegencyFactory(name="Kabupaten Banyumas"),
                 starts_at=timezone.make_aware(timezone.datetime(2030, 12, 14, 9, 0)),
                 ends_at=timezone.make_aware(timezone.datetime(2030, 12, 14, 12, 0)))
    return page


def english(page) -> EventPage:
    return page.get_translation(Locale.objects.get(language_code="en")).specific


def test_the_indonesian_page_speaks_indonesian_time(client, training):
    html = client.get("/events/pelatihan-foto-produk/").content.decode()

    assert "Sabtu, 14 Desember 2030, 09.00–12.00 WIB" in text(html)


def test_the_english_index_lists_the_aliases_with_the_indonesian_rsvps(client, training):
    services.rsvp_join(event=training, user=UserFactory())
    copy = english(training)
    assert copy.alias_of_id == training.pk

    html = client.get("/en/events/").content.decode()

    assert 'href="/en/events/pelatihan-foto-produk/"' in html
    assert "1 place left" in html
    page = client.get("/en/events/pelatihan-foto-produk/").content.decode()
    assert "Saturday, 14 December 2030, 09.00–12.00 WIB" in text(page)
    assert "1 of 2 places left" in text(page)


def test_a_translated_event_is_listed_under_its_english_title(client, training):
    page_translate(page=training, language_code="en", title="Product photo training",
                   summary="Take product photos with a phone.")

    english_html = client.get("/en/events/").content.decode()
    indonesian_html = client.get("/events/").content.decode()

    assert "Product photo training" in english_html
    assert "Pelatihan foto produk" in indonesian_html
    assert "Product photo training" not in indonesian_html


def test_rsvp_on_the_english_page_is_recorded_on_the_indonesian_event(client, training):
    user = UserFactory()
    client.force_login(user)
    copy = english(training)

    response = client.post(f"/en/events/{copy.pk}/rsvp/")

    assert response.status_code == 302
    assert response.url == "/en/events/pelatihan-foto-produk/"
    assert Rsvp.objects.get(user=user).event_id == training.pk
    indonesian = client.get("/events/pelatihan-foto-produk/").content.decode()
    assert 'data-places-left="1"' in indonesian


def test_both_indexes_cost_the_same_queries_for_3_and_20_events(client):
    user, workshop = seller()
    client.force_login(user)

    def add(count):
        for number in range(count):
            page = event(title=f"Acara {EventPage.objects.count()} {number}", capacity=4,
                         organiser_enterprise=workshop)
            services.rsvp_join(event=page, user=user, enterprise=workshop)

    add(3)
    few = {url: count_queries(client, url) for url in ("/events/", "/en/events/")}
    add(17)
    assert {url: count_queries(client, url) for url in few} == few


def test_the_english_event_page_costs_the_same_queries_for_3_and_30_rsvps(client, training):
    organiser = training.organiser_enterprise.memberships.get().user
    EventPage.objects.filter(translation_key=training.translation_key).update(capacity=20)
    client.force_login(organiser)

    def add(count):
        for _ in range(count):
            user, enterprise = seller()
            services.rsvp_join(event=training, user=user, enterprise=enterprise)

    add(3)
    few = count_queries(client, "/en/events/pelatihan-foto-produk/")
    add(27)
    assert count_queries(client, "/en/events/pelatihan-foto-produk/") == few
