"""/api/v1/events/: fields, filters (kind, regency, organiser, upcoming or past, language),
one event by any language's id, read-only, errors, query counts and the schema."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Locale

from knowledge.models import EventPage
from knowledge.services import events as services
from knowledge.services.pages import page_translate
from tests.factories import (
    CooperativeFactory,
    RegencyFactory,
    UserFactory,
    event,
    seller,
)
from tests.helpers import assert_api_error

pytestmark = pytest.mark.django_db
URL = "/api/v1/events/"


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def past_event(**fields) -> EventPage:
    starts = timezone.now() - timedelta(days=fields.pop("days_ago", 3))
    return event(starts_at=starts, ends_at=starts + timedelta(hours=2), **fields)


@pytest.fixture
def training():
    _user, workshop = seller(name="Batik Rina", slug="batik-rina")
    return event(title="Pelatihan foto produk", capacity=3, organiser_enterprise=workshop,
                 regency=RegencyFactory(name="Kabupaten Banyumas"))


def test_an_event_has_its_time_place_organiser_and_places(client, training):
    services.rsvp_join(event=training, user=UserFactory())
    for _ in range(3):
        services.rsvp_join(event=training, user=UserFactory())

    (item,) = client.get(URL).json()["results"]

    assert set(item) == {"id", "title", "url", "kind", "summary", "starts_at", "ends_at",
                         "venue", "regency", "online_url", "organiser", "capacity",
                         "going_count", "waiting_count", "places_left"}
    assert item["id"] == training.pk
    assert item["url"] == "http://testserver/id/events/pelatihan-foto-produk/"
    assert item["kind"] == "training" and item["regency"] == "kabupaten-banyumas"
    assert item["organiser"] == {"type": "enterprise", "slug": "batik-rina",
                                 "name": "Batik Rina"}
    assert (item["capacity"], item["going_count"], item["waiting_count"],
            item["places_left"]) == (3, 3, 1, 0)
    assert item["starts_at"] == timezone.localtime(training.starts_at).isoformat()


def test_no_capacity_means_no_places_left_figure(client):
    cooperative = CooperativeFactory(name="Koperasi Kopi", slug="koperasi-kopi")
    event(title="RAT", capacity=None, organiser_cooperative=cooperative,
          kind=EventPage.Kind.COOPERATIVE_MEETING)

    (item,) = client.get(URL).json()["results"]

    assert item["places_left"] is None and item["capacity"] is None
    assert item["organiser"] == {"type": "cooperative", "slug": "koperasi-kopi",
                                 "name": "Koperasi Kopi"}


def test_upcoming_by_default_soonest_first_past_newest_first(client):
    event(title="Nanti", starts_at=timezone.now() + timedelta(days=9))
    event(title="Segera", starts_at=timezone.now() + timedelta(days=1))
    past_event(title="Lama", days_ago=30)
    past_event(title="Baru lewat", days_ago=2)

    assert titles(client.get(URL)) == ["Segera", "Nanti"]
    assert titles(client.get(URL, {"when": "upcoming"})) == ["Segera", "Nanti"]
    assert titles(client.get(URL, {"when": "past"})) == ["Baru lewat", "Lama"]


def test_filters_by_kind_regency_and_organiser(client, training):
    cooperative = CooperativeFactory(slug="koperasi-kopi")
    temanggung = RegencyFactory(name="Kabupaten Temanggung")
    event(title="RAT", kind=EventPage.Kind.COOPERATIVE_MEETING,
          organiser_cooperative=cooperative, regency=temanggung)
    event(title="Pasar tani", kind=EventPage.Kind.MARKET_DAY)

    assert titles(client.get(URL, {"kind": "market_day"})) == ["Pasar tani"]
    assert titles(client.get(URL, {"regency": temanggung.slug})) == ["RAT"]
    assert titles(client.get(URL, {"organiser_cooperative": "koperasi-kopi"})) == ["RAT"]
    assert titles(client.get(URL, {"organiser_enterprise": "batik-rina"})) == [training.title]
    assert titles(client.get(URL, {"kind": "training",
                                   "regency": "kabupaten-banyumas"})) == [training.title]


def test_the_english_list_has_the_english_pages_with_the_same_counts(client, training):
    services.rsvp_join(event=training, user=UserFactory())
    page_translate(page=training, language_code="en", title="Product photo training")
    english = training.get_translation(Locale.objects.get(language_code="en"))

    (item,) = client.get(URL, {"locale": "en"}).json()["results"]

    assert (item["id"], item["title"]) == (english.pk, "Product photo training")
    assert item["url"] == "http://testserver/events/pelatihan-foto-produk/"
    assert item["going_count"] == 1
    assert titles(client.get(URL)) == ["Pelatihan foto produk"]


def test_one_event_by_any_languages_id_past_ones_too(client, training):
    english = training.get_translation(Locale.objects.get(language_code="en"))
    past = past_event(title="Pasar kemarin")

    assert client.get(f"{URL}{training.pk}/").json()["title"] == training.title
    assert client.get(f"{URL}{english.pk}/").json()["id"] == english.pk
    assert client.get(f"{URL}{past.pk}/").json()["title"] == "Pasar kemarin"


def test_drafts_are_not_in_the_api(client, training):
    EventPage.objects.filter(translation_key=training.translation_key).update(live=False)

    assert titles(client.get(URL)) == []
    assert_api_error(client.get(f"{URL}{training.pk}/"), 404)


def test_unknown_filter_values_are_json_errors(client):
    assert_api_error(client.get(URL, {"kind": "party"}), 400, "kind")
    assert_api_error(client.get(URL, {"when": "someday"}), 400, "when")
    assert_api_error(client.get(URL, {"locale": "fr"}), 400, "locale")


def test_the_api_is_read_only(client, training):
    client.force_login(UserFactory())

    assert client.post(URL, {"title": "Baru"}).status_code == 405
    assert client.delete(f"{URL}{training.pk}/").status_code == 405
    assert client.patch(f"{URL}{training.pk}/", {"title": "Ubah"},
                        content_type="application/json").status_code == 405


def test_the_list_costs_the_same_queries_for_2_and_12_events(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _user, workshop = seller()

    def add(count):
        for number in range(count):
            page = event(title=f"Acara {EventPage.objects.count()} {number}", capacity=3,
                         organiser_enterprise=workshop)
            services.rsvp_join(event=page, user=UserFactory())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"page_size": 50}).status_code == 200
        return len(captured)

    add(2)
    queries()  # warm-up: the locales and the site's root paths are cached
    few = queries()
    add(10)
    assert queries() == few


def test_the_schema_documents_events_without_warnings(client, capsys):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = capsys.readouterr().err

    assert "/api/v1/events/" in schema["paths"]
    assert "/api/v1/events/{id}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}
    assert {"kind", "regency", "organiser_cooperative", "organiser_enterprise", "when",
            "locale", "page", "page_size"} <= parameters
    event_schema = schema["components"]["schemas"]["Event"]["properties"]
    assert event_schema["places_left"]["nullable"] is True
    assert "Organiser" in schema["components"]["schemas"]
    assert "EventKindEnum" in schema["components"]["schemas"]
    assert "events" not in warnings.lower() and "Event" not in warnings


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", "2147483648", "٣"])
def test_an_id_that_is_no_event_id_is_a_json_404(client, training, pk):
    client.raise_request_exception = False

    assert_api_error(client.get(f"{URL}{pk}/"), 404)
