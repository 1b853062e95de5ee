"""Knowledge API responses match their schema, found by fuzzing (tests/cms/test_api_fuzz.py)."""

import pytest

from tests.factories import event

pytestmark = pytest.mark.django_db


def test_an_event_without_a_regency_is_documented_as_null(client):
    event()

    [row] = client.get("/api/v1/events/").json()["results"]
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    assert row["regency"] is None
    assert schema["components"]["schemas"]["Event"]["properties"]["regency"]["nullable"] is True
