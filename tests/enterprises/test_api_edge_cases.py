"""Cooperative API answers to odd input and their schema, found by fuzzing (tests/cms/
test_api_fuzz.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import SharedResource
from enterprises.services.bookings import booking_create
from tests.factories import CooperativeFactory, cooperative_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("resource", ["9" * 30, "²", "huller"])
def test_a_booking_filter_that_is_no_id_is_a_400(client, resource):
    response = client.get("/api/v1/bookings/", {"resource": resource})

    assert response.status_code == 400 and list(response.json()["errors"]) == ["resource"]


def test_the_booking_filter_still_filters_by_resource(client):
    cooperative = CooperativeFactory()
    user, farm = cooperative_member(cooperative)
    huller, dryer = (SharedResource.objects.create(cooperative=cooperative, name=name,
                                                   kind="equipment") for name in ("H", "D"))
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    booking = booking_create(user=user, resource=huller, enterprise=farm, starts_at=start,
                             ends_at=start + timedelta(hours=1), note="")

    rows = client.get("/api/v1/bookings/", {"resource": huller.pk}).json()["results"]
    others = client.get("/api/v1/bookings/", {"resource": dryer.pk}).json()["results"]

    assert [row["id"] for row in rows] == [booking.pk] and others == []


@pytest.mark.parametrize(("path", "names"), [
    ("/api/v1/bookings/", {"resource"}),
    ("/api/v1/proposals/", {"cooperative"}),
])
def test_list_filters_are_documented(client, path, names):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    assert names <= {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
