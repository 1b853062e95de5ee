from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import Booking, Proposal, ProposalOption, SharedResource
from tests.factories import CooperativeFactory, cooperative_member, seller

pytestmark = pytest.mark.django_db


def test_cooperatives_list_members_and_resources(client):
    cooperative = CooperativeFactory(name="Koperasi Kopi Sindoro")
    _, farm = cooperative_member(cooperative)
    SharedResource.objects.create(cooperative=cooperative, name="Huller", kind="equipment",
                                  cost_per_hour=20000)

    data = client.get("/api/v1/cooperatives/").json()

    [row] = data["results"]
    assert row["name"] == "Koperasi Kopi Sindoro" and row["member_count"] == 1
    assert [m["enterprise"] for m in row["members"]] == [farm.slug]
    assert row["resources"][0]["name"] == "Huller"
    assert client.get(f"/api/v1/cooperatives/{cooperative.slug}/").status_code == 200


def _proposal(cooperative):
    now = timezone.now()
    proposal = Proposal.objects.create(
        cooperative=cooperative, title="Beli pengering kedua", body="Harga Rp 30 juta.",
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=2),
    )
    for position, label in enumerate(["Ya", "Tidak"]):
        ProposalOption.objects.create(proposal=proposal, label=label, position=position)
    return proposal


def test_a_member_votes_and_an_outsider_is_refused(client):
    cooperative = CooperativeFactory()
    member, farm = cooperative_member(cooperative)
    member_since = farm.cooperative_memberships.get()
    member_since.joined_at = timezone.now() - timedelta(days=30)
    member_since.save()
    proposal = _proposal(cooperative)
    yes = proposal.options.get(label="Ya")

    client.force_login(member)
    response = client.post(f"/api/v1/proposals/{proposal.pk}/vote/",
                           {"enterprise": farm.slug, "option": yes.pk},
                           content_type="application/json")
    assert response.status_code == 200
    assert {o["label"]: o["votes"] for o in response.json()["options"]} == {"Ya": 1, "Tidak": 0}

    outsider, shop = seller()
    client.force_login(outsider)
    refused = client.post(f"/api/v1/proposals/{proposal.pk}/vote/",
                          {"enterprise": shop.slug, "option": yes.pk},
                          content_type="application/json")
    assert refused.status_code == 403
    assert proposal.votes.count() == 1


def test_booking_through_the_api_and_double_booking_refused(client):
    cooperative = CooperativeFactory()
    member, farm = cooperative_member(cooperative)
    huller = SharedResource.objects.create(cooperative=cooperative, name="Huller",
                                           kind="equipment", cost_per_hour=20000)
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    slot = {"resource": huller.pk, "enterprise": farm.slug, "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat()}
    client.force_login(member)

    first = client.post("/api/v1/bookings/", slot, content_type="application/json")
    again = client.post("/api/v1/bookings/", slot, content_type="application/json")

    assert first.status_code == 201 and first.json()["cost"] == 40000
    assert again.status_code == 400 and again.json()["message"]
    assert Booking.objects.filter(resource=huller, status="confirmed").count() == 1
    booking_id = first.json()["id"]
    assert client.post(f"/api/v1/bookings/{booking_id}/cancel/").json()["status"] == "cancelled"


def test_the_schema_lists_the_cooperative_endpoints(client):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]

    for path in ("/api/v1/cooperatives/", "/api/v1/bulk-orders/{id}/commit/",
                 "/api/v1/bulk-orders/{id}/close/", "/api/v1/proposals/{id}/vote/",
                 "/api/v1/bookings/"):
        assert path in paths
