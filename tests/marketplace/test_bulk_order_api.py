from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import Membership
from marketplace.models import BulkOrder
from tests.factories import CooperativeFactory, cooperative_member, seller

pytestmark = pytest.mark.django_db


def _fertiliser(cooperative, **fields):
    values = {"title": "Pupuk NPK", "unit": "kg", "package_size": 50, "price_per_unit": 12000,
              "min_packages": 1, "deadline": timezone.now() + timedelta(days=3)}
    return BulkOrder.objects.create(cooperative=cooperative, **(values | fields))


def test_a_bulk_order_lists_its_contract_fields(client):
    cooperative = CooperativeFactory()
    order = _fertiliser(cooperative)

    data = client.get("/api/v1/bulk-orders/", {"cooperative": cooperative.slug}).json()

    [row] = data["results"]
    assert row["id"] == order.pk and row["status"] == "open"
    assert (row["package_size"], row["min_packages"], row["packages_ordered"]) == (50, 1, None)
    assert row["deadline"] and row["commitments"] == []


def test_members_commit_through_the_api_and_see_allocations_after_close(client):
    cooperative = CooperativeFactory()
    manager, _ = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    member, farm = cooperative_member(cooperative)
    order = _fertiliser(cooperative)
    client.force_login(member)

    response = client.post(f"/api/v1/bulk-orders/{order.pk}/commit/",
                           {"enterprise": farm.slug, "quantity": 40, "tolerance": 10},
                           content_type="application/json")

    assert response.status_code == 200
    assert response.json()["commitments"] == [
        {"enterprise": farm.slug, "quantity": 40, "tolerance": 10, "allocated": None}
    ]
    client.force_login(manager)
    closed = client.post(f"/api/v1/bulk-orders/{order.pk}/close/").json()
    assert closed["status"] == "closed" and closed["packages_ordered"] == 1
    assert closed["commitments"][0]["allocated"] == 50


def test_a_non_member_cannot_commit_and_a_member_cannot_close(client):
    cooperative = CooperativeFactory()
    member, farm = cooperative_member(cooperative)
    outsider, shop = seller()
    order = _fertiliser(cooperative)

    client.force_login(outsider)
    refused = client.post(f"/api/v1/bulk-orders/{order.pk}/commit/",
                          {"enterprise": shop.slug, "quantity": 10},
                          content_type="application/json")
    assert refused.status_code == 403 and refused.json()["message"]

    client.force_login(member)
    assert client.post(f"/api/v1/bulk-orders/{order.pk}/close/").status_code == 403
    order.refresh_from_db()
    assert order.status == "open" and not order.commitments.exists()


def test_bad_input_is_a_json_400_and_anonymous_writes_are_refused(client):
    order = _fertiliser(CooperativeFactory())
    assert client.post(f"/api/v1/bulk-orders/{order.pk}/commit/", {}).status_code in (401, 403)

    member, farm = cooperative_member(order.cooperative)
    client.force_login(member)
    response = client.post(f"/api/v1/bulk-orders/{order.pk}/commit/",
                           {"enterprise": farm.slug, "quantity": 0},
                           content_type="application/json")
    assert response.status_code == 400
    assert "quantity" in response.json()["errors"]
    assert client.get("/api/v1/bulk-orders/", {"status": "nonsense"}).status_code == 400


def test_list_queries_do_not_grow_with_commitments(client, django_assert_max_num_queries):
    cooperative = CooperativeFactory()
    order = _fertiliser(cooperative)
    for _ in range(12):
        member, farm = cooperative_member(cooperative)
        order.commitments.create(enterprise=farm, quantity=5)

    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/bulk-orders/").status_code == 200


def test_catalogue_filters_by_cooperative_membership(client):
    from tests.factories import MembershipFactory, ProductFactory

    cooperative = CooperativeFactory()
    _, member = cooperative_member(cooperative)
    _, former = seller()
    MembershipFactory(cooperative=cooperative, enterprise=former, status=Membership.Status.LEFT,
                      left_at=timezone.now())
    kept = ProductFactory(enterprise=member, title="Kopi anggota")
    ProductFactory(enterprise=former, title="Kopi Bekas Anggota")
    ProductFactory(title="Kopi lain")

    page = client.get("/products/", {"cooperative": cooperative.slug}).content.decode()
    api = client.get("/api/v1/products/", {"cooperative": cooperative.slug}).json()

    assert "Kopi anggota" in page and "Kopi Bekas Anggota" not in page and "Kopi lain" not in page
    assert [row["slug"] for row in api["results"]] == [kept.slug]
    assert client.get("/api/v1/products/", {"cooperative": "nope"}).status_code == 400


def test_closing_tells_each_member_their_allocation_and_amount(django_capture_on_commit_callbacks):
    from django.core import mail

    from cms.models import Notification
    from marketplace.services import bulk_orders

    cooperative = CooperativeFactory()
    manager, _ = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    member, farm = cooperative_member(cooperative)
    order = _fertiliser(cooperative)
    bulk_orders.commitment_save(bulk_order=order, enterprise=farm, user=member, quantity=45,
                                tolerance=5)

    with django_capture_on_commit_callbacks(execute=True):
        bulk_orders.bulk_order_close(bulk_order=order, closed_by=manager)

    [note] = Notification.objects.filter(user=member, kind="bulk_order.closed")
    assert "Pupuk NPK" in note.title
    assert "50" in note.body and "Rp 600.000" in note.body
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_a_cancelled_order_tells_members_why():
    from cms.models import Notification
    from marketplace.services import bulk_orders

    cooperative = CooperativeFactory()
    manager, _ = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    member, farm = cooperative_member(cooperative)
    order = _fertiliser(cooperative, min_packages=3)
    bulk_orders.commitment_save(bulk_order=order, enterprise=farm, user=member, quantity=60)

    bulk_orders.bulk_order_close(bulk_order=order, closed_by=manager)

    [note] = Notification.objects.filter(user=member)
    order.refresh_from_db()
    assert order.status == "cancelled" and note.body == order.cancel_reason


def test_members_are_reminded_once_when_an_order_closes_within_a_day():
    from cms.models import Notification
    from marketplace.tasks import remind_closing_bulk_orders

    cooperative = CooperativeFactory()
    member, _ = cooperative_member(cooperative)
    outsider, _ = seller()
    soon = _fertiliser(cooperative, deadline=timezone.now() + timedelta(hours=5))
    _fertiliser(cooperative, title="Later", deadline=timezone.now() + timedelta(days=5))

    assert remind_closing_bulk_orders.call() == [soon.pk]
    assert remind_closing_bulk_orders.call() == []

    [note] = Notification.objects.filter(kind="bulk_order.closing_soon")
    assert note.user == member and "Pupuk NPK" in note.title
    assert not Notification.objects.filter(user=outsider).exists()
