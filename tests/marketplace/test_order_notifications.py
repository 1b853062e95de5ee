"""Order events reach the buyer and the seller's people, in the app and by email."""

import pytest
from django.core import mail

from cms.models import Notification
from marketplace.models import OrderPart
from marketplace.services import orders as services
from tests.factories import EnterpriseMemberFactory, ProductFactory, placed_order, seller

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


def test_placing_tells_every_seller_person_and_the_buyer(django_capture_on_commit_callbacks):
    seller_user, enterprise = seller()
    partner = EnterpriseMemberFactory(enterprise=enterprise).user
    product = ProductFactory(enterprise=enterprise, price=15000)
    with django_capture_on_commit_callbacks(execute=True):
        order = placed_order((product, 2))

    part = order.parts.get()
    to_sellers = Notification.objects.filter(kind="order.placed").exclude(user=order.buyer)
    assert {n.user for n in to_sellers} == {seller_user, partner}
    assert all(n.url == f"/dashboard/sales/{part.pk}/" for n in to_sellers)
    assert "Rp 30.000" in to_sellers[0].body
    to_buyer = Notification.objects.get(user=order.buyer)
    assert to_buyer.url == f"/orders/{order.number}/"
    assert {message.to[0] for message in mail.outbox} == {
        seller_user.email, partner.email, order.buyer.email}


def test_the_buyer_hears_each_step_and_the_seller_hears_the_buyer(
    django_capture_on_commit_callbacks,
):
    seller_user, enterprise = seller()
    product = ProductFactory(enterprise=enterprise)
    order = placed_order((product, 1), method="cash")
    part = order.parts.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.order_part_advance(part=part, user=seller_user,
                                    to_status=OrderPart.Status.CONFIRMED)
        services.order_part_advance(part=part, user=seller_user,
                                    to_status=OrderPart.Status.SHIPPED)
        services.order_part_advance(part=part, user=order.buyer,
                                    to_status=OrderPart.Status.COMPLETED)

    buyer_titles = list(Notification.objects.filter(user=order.buyer).order_by("pk")
                        .values_list("title", flat=True))
    assert buyer_titles[0].endswith(f"confirmed your order {order.number}.")
    assert buyer_titles[1].endswith(f"sent your order {order.number}.")
    assert "You can now review the seller." in buyer_titles[2]
    assert Notification.objects.get(user=seller_user).title == (
        f"The buyer received order {order.number}.")
