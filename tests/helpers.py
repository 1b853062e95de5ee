"""Plain helpers shared by test modules (fixtures live in tests/conftest.py)."""

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Sector
from tests.factories import image_bytes


def count_queries(client, url: str) -> int:
    """Queries for a second, successful GET of `url`."""
    client.get(url)  # warm-up: renditions are generated once
    # Without the cache, renditions not prefetched with the page would cost a query each.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def api_slugs(response) -> list[str]:
    """The slugs of one page of an API list, in order."""
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def assert_api_error(response, status: int, *fields: str) -> dict:
    """Every API error is JSON with a message and field errors."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "errors"}
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    for field in fields:
        assert body["errors"][field], body
        assert all(isinstance(text, str) for text in body["errors"][field])
    return body


def image_upload(name="foto.jpg", fmt="JPEG", size=(64, 48)) -> SimpleUploadedFile:
    """A real image, as a browser uploads it."""
    content = image_bytes(*size, fmt=fmt)
    return SimpleUploadedFile(name, content, content_type=f"image/{fmt.lower()}")


def enterprise_fields(regency, **overrides) -> dict:
    """A valid enterprise as the services take it: model values, the number already normalised."""
    fields = {
        "name": "Keripik Sari", "sector": Sector.FOOD, "description": "Keripik singkong.",
        "regency": regency, "district": "Kembaran", "village": "Karangsari",
        "whatsapp": "6281234567890", "year_founded": 2015, "people": 3,
    }
    return {**fields, **overrides}


def enterprise_form_data(regency, **overrides) -> dict:
    """The same enterprise as the form posts it: the regency by id, the number as people type it."""
    typed = {"regency": regency.pk, "whatsapp": "0812-3456-7890"}
    return {**enterprise_fields(regency), **typed, **overrides}


# PostgreSQL-only tests (row locks, parallel transactions) are skipped on SQLite.
ON_POSTGRESQL = connection.vendor == "postgresql"
