"""/health/ is polled by the load balancer and uptime checks: it answers 200 or 503, never 500."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": True}
    # A cached "ok" would hide an outage.
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_a_query_fails(client):
    failure = OperationalError("server closed the connection unexpectedly")
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=failure):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": False}


def test_health_is_503_when_the_database_cannot_be_reached(client):
    failure = OperationalError("could not connect to server: Connection refused")
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=failure
    ):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["database"] is False


def test_health_answers_head_but_refuses_writes(client):
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405


def test_health_has_no_language_prefix(client):
    # Probes are configured once; an /en/ copy would only be a second thing to keep alive.
    assert client.get("/en/health/").status_code == 404
