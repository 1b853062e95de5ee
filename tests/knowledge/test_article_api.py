"""/api/v1/articles/: published articles and guides in one language at a time, the page's filters,
the rendered body on the detail, and a schema that generates cleanly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from knowledge.models import HelpfulMark
from knowledge.services.pages import page_translate
from tests.factories import ImageFactory, TopicFactory, UserFactory, article, seller
from tests.helpers import assert_api_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/"


@pytest.fixture
def permits():
    return TopicFactory(name="Perizinan", name_en="Permits", slug="perizinan")


@pytest.fixture
def packaging():
    return TopicFactory(name="Kemasan", name_en="Packaging", slug="kemasan")


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def tagged(page, *tags):
    page.tags.set(list(tags))
    page.save_revision().publish()
    return page


def test_the_list_shows_published_indonesian_articles_with_their_fields(client, permits):
    _user, enterprise = seller(name="Keripik Sari", slug="keripik-sari")
    nib = tagged(article(title="Cara mengurus NIB", topic=permits, kind="guide",
                         enterprise=enterprise, summary="Daftar lewat OSS."), "OSS", "izin")
    article(title="Draf", publish=False)
    HelpfulMark.objects.create(article=nib, user=UserFactory())

    response = client.get(URL)

    body = response.json()
    assert body["count"] == 1 and set(body) == {"count", "next", "previous", "results"}
    item = body["results"][0]
    assert item == {
        "id": nib.pk, "title": "Cara mengurus NIB", "url": "/knowledge/cara-mengurus-nib/",
        "locale": "id", "kind": "guide", "topic": {"slug": "perizinan", "name": "Perizinan"},
        "summary": "Daftar lewat OSS.", "tags": ["izin", "OSS"], "reading_minutes": 1,
        "enterprise": {"slug": "keripik-sari", "name": "Keripik Sari"},
        "first_published_at": item["first_published_at"], "helpful_count": 1,
    }
    assert item["first_published_at"]
    assert "body" not in item


def test_english_lists_the_english_pages_and_shares_the_helpful_count(client, permits):
    nib = article(title="Cara mengurus NIB", topic=permits)
    english = page_translate(page=nib, language_code="en", title="Getting an NIB")
    article(title="Memilih pouch", topic=permits)  # an untranslated alias
    for _ in range(2):
        HelpfulMark.objects.create(article=nib, user=UserFactory())

    response = client.get(URL, {"locale": "en"})

    assert titles(response) == ["Memilih pouch", "Getting an NIB"]
    item = response.json()["results"][1]
    assert item["id"] == english.pk and item["locale"] == "en"
    assert item["url"] == "/en/knowledge/cara-mengurus-nib/"
    assert item["topic"] == {"slug": "perizinan", "name": "Permits"}
    assert item["enterprise"] is None and item["helpful_count"] == 2


def test_filters_and_search(client, permits, packaging):
    tagged(article(title="Cara mengurus NIB", topic=permits, kind="guide"), "OSS")
    article(title="Cara mengurus P-IRT", topic=permits, kind="article",
            body=[("text", "<p>Penyuluhan keamanan pangan dulu.</p>")])
    tagged(article(title="Memilih pouch", topic=packaging, kind="guide"), "OSS")

    assert titles(client.get(URL, {"topic": "perizinan"})) == [
        "Cara mengurus P-IRT", "Cara mengurus NIB"]
    assert titles(client.get(URL, {"kind": "guide"})) == ["Memilih pouch", "Cara mengurus NIB"]
    assert titles(client.get(URL, {"tag": "oss", "topic": "perizinan"})) == ["Cara mengurus NIB"]
    assert titles(client.get(URL, {"search": "penyuluhan"})) == ["Cara mengurus P-IRT"]
    assert titles(client.get(URL, {"search": "cara", "kind": "guide"})) == ["Cara mengurus NIB"]
    assert titles(client.get(URL, {"topic": "no-such-topic"})) == []


def test_invalid_filters_are_json_errors(client):
    assert_api_error(client.get(URL, {"locale": "fr"}), 400, "locale")
    assert_api_error(client.get(URL, {"kind": "poem"}), 400, "kind")


def test_the_detail_has_the_body_as_escaped_html(client, permits):
    page = article(title="Cara mengurus NIB", topic=permits, body=[
        ("text", "<p>&lt;script&gt;alert(1)&lt;/script&gt; Daftar lewat OSS.</p>"),
        ("callout", {"tone": "tip", "text": "<p>Siapkan KTP.</p>"}),
    ])
    english = page.get_translation(Locale.objects.get(language_code="en"))

    detail = client.get(f"{URL}{page.pk}/").json()
    english_detail = client.get(f"{URL}{english.pk}/").json()

    assert "&lt;script&gt;alert(1)" in detail["body"] and "<script>" not in detail["body"]
    assert "Siapkan KTP." in detail["body"] and 'class="callout callout--tip"' in detail["body"]
    assert english_detail["locale"] == "en" and english_detail["title"] == "Cara mengurus NIB"
    assert "Tip" in english_detail["body"]  # rendered in the article's language


def test_drafts_are_not_found(client):
    draft = article(title="Belum terbit", publish=False)

    assert_api_error(client.get(f"{URL}{draft.pk}/"), 404)


def test_the_api_is_read_only(client):
    page = article(title="Cara mengurus NIB")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.post(URL, {"title": "Baru"}).status_code == 405
    assert client.delete(f"{URL}{page.pk}/").status_code == 405


def test_the_list_costs_the_same_queries_for_3_or_12_articles(client, permits, packaging):
    _user, enterprise = seller()

    def add(count, prefix):
        for number in range(count):
            tagged(article(title=f"{prefix} {number}", topic=permits if number % 2 else packaging,
                           enterprise=enterprise if number % 2 else None,
                           cover_image=ImageFactory()), "umkm", f"tag-{number}")

    def queries(**params) -> int:
        client.get(URL, params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, params).status_code == 200
        return len(captured)

    add(3, "Awal")
    few, few_en, few_search = queries(), queries(locale="en"), queries(search="awal")
    add(9, "Lanjut")
    assert (queries(), queries(locale="en"), queries(search="awal")) == (
        few, few_en, few_search)


def test_the_schema_describes_the_articles(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    paths = schema["paths"]
    assert set(paths[URL]) == {"get"} and set(paths[URL + "{id}/"]) == {"get"}
    parameters = {p["name"] for p in paths[URL]["get"]["parameters"]}
    assert {"topic", "kind", "tag", "locale", "search", "page", "page_size"} <= parameters
    article_schema = schema["components"]["schemas"]["Article"]["properties"]
    assert {"id", "title", "url", "locale", "kind", "topic", "summary", "tags",
            "reading_minutes", "enterprise", "first_published_at",
            "helpful_count"} == set(article_schema)
    kind = article_schema["kind"]
    kind_ref = kind.get("$ref") or kind["allOf"][0]["$ref"]
    assert schema["components"]["schemas"][kind_ref.rsplit("/", 1)[1]]["enum"] == [
        "article", "guide"]
    assert "body" in schema["components"]["schemas"]["ArticleDetail"]["properties"]


def test_the_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    call_command("spectacular", "--validate", "--fail-on-warn",
                 "--file", str(tmp_path / "schema.yml"))
