"""Cooperative money in the pages: members pay their bulk-order allocations through the order
providers, managers follow who has paid, and joint-offer pages show sales and members' shares."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise, Membership
from marketplace.models import (
    BulkOrder,
    Commitment,
    JointOffer,
    Order,
    OrderLine,
    OrderPart,
    PaymentMethod,
    Product,
    RevenueShare,
)
from marketplace.selectors.bulk_orders import PaymentState, allocation_payments
from marketplace.services import bulk_orders as bulk_services
from marketplace.services import joint_offers as joint_services
from marketplace.services import orders as order_services
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    ProductFactory,
    UserFactory,
    cart_with,
    cooperative_member,
    seller,
)

pytestmark = pytest.mark.django_db

DELIVERY = {"recipient_name": "Tani Makmur", "phone": "081234567890",
            "address": "Dusun Krajan, Kledung", "village": "Kledung", "notes": ""}


@pytest.fixture(autouse=True)
def _in_english(english):
    """These tests read the interface's English source text."""


@pytest.fixture
def cooperative(db):
    return CooperativeFactory(name="Koperasi Kopi Sindoro")


@pytest.fixture
def manager(cooperative):
    user, _enterprise = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def trading(cooperative, manager) -> Enterprise:
    """The cooperative's trading enterprise, able to take bank transfers."""
    enterprise = joint_services.cooperative_seller_ensure(cooperative=cooperative)
    Enterprise.objects.filter(pk=enterprise.pk).update(
        bank_name="BRI", bank_account_number="0123456789", bank_account_name="Koperasi")
    enterprise.refresh_from_db()
    return enterprise


@pytest.fixture
def supplier_product():
    return ProductFactory(title="Pupuk NPK 50 kg", stock=7)


def closed_order(cooperative, manager, members, *, product=None, quantity=50) -> BulkOrder:
    """A bulk order in sacks of 50 kg at Rp 3.000 per kg, each member committing `quantity`,
    closed by the manager."""
    bulk_order = BulkOrder.objects.create(
        cooperative=cooperative, title="Pupuk NPK", unit="kg", package_size=50,
        price_per_unit=3000, min_packages=1, deadline=timezone.now() + timedelta(days=2),
        supplier_product=product, supplier_name="" if product else "Toko Tani",
    )
    for user, enterprise in members:
        bulk_services.commitment_save(bulk_order=bulk_order, enterprise=enterprise, user=user,
                                      quantity=quantity)
    return bulk_services.bulk_order_close(bulk_order=bulk_order, closed_by=manager)


@pytest.fixture
def member(cooperative):
    return cooperative_member(cooperative)


@pytest.fixture
def bulk_order(cooperative, manager, member, trading, supplier_product):
    return closed_order(cooperative, manager, [member], product=supplier_product)


def pay_url(bulk_order) -> str:
    return reverse("bulk_order_pay", kwargs={"pk": bulk_order.pk})


def detail_url(bulk_order) -> str:
    return reverse("bulk_order_detail", kwargs={"pk": bulk_order.pk})


def pay(client, bulk_order, enterprise, *, method="bank_transfer", follow=False, **fields):
    return client.post(pay_url(bulk_order), {"enterprise": enterprise.pk,
                                             "payment_method": method, **DELIVERY, **fields},
                       follow=follow)


# Paying an allocation


def test_member_pays_the_allocation_by_bank_transfer(client, bulk_order, member, trading,
                                                     supplier_product):
    user, enterprise = member
    client.force_login(user)
    page = client.get(detail_url(bulk_order))
    assert "owes Rp 150.000" in page.text
    assert "Pay Rp 150.000" in page.text
    assert f'value="{enterprise.name}"' in page.text  # delivery details from the enterprise

    response = pay(client, bulk_order, enterprise)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert (order.buyer, order.buyer_enterprise) == (user, enterprise)
    assert order.payment_method == PaymentMethod.BANK_TRANSFER
    assert order.payment_status == Order.PaymentStatus.PENDING
    assert order.total == 150_000 and order.recipient_name == "Tani Makmur"
    part = order.parts.get()
    assert part.enterprise == trading and part.subtotal == 150_000
    line = part.lines.get()
    assert line.commitment == Commitment.objects.get(enterprise=enterprise)
    assert line.product is None and (line.quantity, line.unit_price) == (50, 3000)
    supplier_product.refresh_from_db()
    assert supplier_product.stock == 7  # no stock is touched


def test_member_pays_cash_on_pickup(client, bulk_order, member):
    user, enterprise = member
    client.force_login(user)
    response = pay(client, bulk_order, enterprise, method="cash")
    order = Order.objects.get()
    assert response["Location"] == order.get_absolute_url()
    assert order.payment_status == Order.PaymentStatus.ON_DELIVERY


def test_after_paying_the_member_sees_a_link_instead_of_the_form(client, bulk_order, member):
    user, enterprise = member
    client.force_login(user)
    pay(client, bulk_order, enterprise)
    order = Order.objects.get()

    page = client.get(detail_url(bulk_order))

    assert "Pay Rp 150.000" not in page.text
    assert "Payment started: Awaiting payment." in page.text
    assert order.get_absolute_url() in page.text


def test_paying_twice_is_refused(client, bulk_order, member):
    user, enterprise = member
    client.force_login(user)
    pay(client, bulk_order, enterprise)

    response = pay(client, bulk_order, enterprise, follow=True)

    assert Order.objects.count() == 1
    assert "This allocation is already being paid." in response.text


def test_a_cancelled_payment_can_be_started_again(client, bulk_order, member, manager):
    user, enterprise = member
    client.force_login(user)
    pay(client, bulk_order, enterprise)
    part = OrderPart.objects.get()
    order_services.order_part_cancel(part=part, user=manager, reason="Salah nominal.")

    assert "Pay Rp 150.000" in client.get(detail_url(bulk_order)).text
    pay(client, bulk_order, enterprise)
    assert Order.objects.count() == 2


def test_a_non_member_cannot_pay(client, bulk_order, member):
    _user, enterprise = member
    outsider, own = seller()
    client.force_login(outsider)
    assert pay(client, bulk_order, own).status_code == 403
    assert pay(client, bulk_order, enterprise).status_code == 403
    assert "Pay Rp" not in client.get(detail_url(bulk_order)).text
    assert not Order.objects.exists()


def test_a_member_cannot_pay_for_another_members_allocation(client, cooperative, manager,
                                                            trading):
    ani, bakul = cooperative_member(cooperative)
    budi, kebun = cooperative_member(cooperative)
    bulk_order = closed_order(cooperative, manager, [(ani, bakul), (budi, kebun)])
    client.force_login(ani)
    assert pay(client, bulk_order, kebun).status_code == 403
    assert not Order.objects.exists()
    page = client.get(detail_url(bulk_order))
    assert page.text.count("Pay Rp 150.000") == 1


def test_anonymous_visitors_are_sent_to_log_in(client, bulk_order, member):
    response = pay(client, bulk_order, member[1])
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Order.objects.exists()


def test_nothing_to_pay_before_the_order_closes(client, cooperative, member, trading):
    user, enterprise = member
    bulk_order = BulkOrder.objects.create(
        cooperative=cooperative, title="Pupuk", unit="kg", package_size=50, price_per_unit=3000,
        supplier_name="Toko", deadline=timezone.now() + timedelta(days=2))
    bulk_services.commitment_save(bulk_order=bulk_order, enterprise=enterprise, user=user,
                                  quantity=50)
    client.force_login(user)
    assert "Pay Rp" not in client.get(detail_url(bulk_order)).text

    response = pay(client, bulk_order, enterprise, follow=True)

    assert "There is nothing to pay" in response.text
    assert not Order.objects.exists()


def test_a_member_allocated_nothing_has_no_form(client, cooperative, manager, trading):
    early, first = cooperative_member(cooperative)
    late, second = cooperative_member(cooperative)
    bulk_order = closed_order(cooperative, manager, [(early, first)], quantity=50)
    # Committed to a closed order only through the database: allocated 0 of nothing.
    Commitment.objects.create(bulk_order=bulk_order, enterprise=second, quantity=5,
                              allocated=0)
    client.force_login(late)
    assert "Pay Rp" not in client.get(detail_url(bulk_order)).text
    assert pay(client, bulk_order, second).status_code == 302
    assert not Order.objects.exists()


@pytest.mark.parametrize("fields, message", [
    ({"phone": ""}, "This field is required."),
    ({"recipient_name": "   "}, "This field is required."),
    ({"payment_method": "stripe"}, "Select a valid choice."),
    ({"payment_method": "bitcoin"}, "Select a valid choice."),
])
def test_bad_payment_details_show_the_form_again(client, bulk_order, member, fields, message):
    user, enterprise = member
    client.force_login(user)
    response = pay(client, bulk_order, enterprise, **fields)
    assert response.status_code == 200
    assert message in response.text
    assert f'action="{pay_url(bulk_order)}"' in response.text
    assert not Order.objects.exists()


def test_bank_transfer_needs_the_cooperatives_bank_account(client, bulk_order, member, trading):
    Enterprise.objects.filter(pk=trading.pk).update(bank_account_number="")
    user, enterprise = member
    client.force_login(user)
    response = pay(client, bulk_order, enterprise, follow=True)
    assert "cannot take bank transfers yet" in response.text
    assert not Order.objects.exists()


def test_a_former_member_still_pays_what_it_owes(client, bulk_order, member):
    user, enterprise = member
    Membership.objects.filter(enterprise=enterprise).update(status=Membership.Status.LEFT,
                                                            left_at=timezone.now())
    client.force_login(user)
    assert "Pay Rp 150.000" in client.get(detail_url(bulk_order)).text
    assert pay(client, bulk_order, enterprise).status_code == 302
    assert Order.objects.count() == 1


# What managers see


def test_manager_follows_payments_until_the_trading_enterprise_confirms(
    client, cooperative, manager, trading
):
    paying, farm = cooperative_member(cooperative)
    _late, orchard = cooperative_member(cooperative)
    bulk_order = closed_order(cooperative, manager, [(paying, farm), (_late, orchard)])
    client.force_login(manager)
    page = client.get(detail_url(bulk_order)).text
    assert page.count("Not started") == 2
    assert "Paid so far: Rp 0 of Rp 300.000 (0 of 2 members)." in page

    client.force_login(paying)
    pay(client, bulk_order, farm)
    client.force_login(manager)
    page = client.get(detail_url(bulk_order)).text
    assert page.count("Awaiting payment") == 1 and page.count("Not started") == 1

    # The manager runs the trading enterprise and confirms the transfer arrived.
    order_services.order_part_payment_confirm(part=OrderPart.objects.get(), user=manager)
    page = client.get(detail_url(bulk_order)).text
    assert "<strong class=\"in-stock\">Paid</strong>" in page
    assert "Paid so far: Rp 150.000 of Rp 300.000 (1 of 2 members)." in page

    client.force_login(paying)
    assert "Paid: Rp 150.000." in client.get(detail_url(bulk_order)).text


def test_members_do_not_see_the_payment_table(client, bulk_order, member):
    client.force_login(member[0])
    assert "Paid so far" not in client.get(detail_url(bulk_order)).text


def test_the_selector_ignores_cancelled_payments_and_prefers_paid_ones(
    cooperative, manager, trading
):
    user, farm = cooperative_member(cooperative)
    bulk_order = closed_order(cooperative, manager, [(user, farm)])
    commitment = Commitment.objects.get()
    first = order_services.order_place_for_commitment(
        buyer=user, commitment=commitment, payment_method="bank_transfer", delivery=DELIVERY)
    assert allocation_payments(bulk_order=bulk_order)[0].state == PaymentState.AWAITING
    order_services.order_part_cancel(part=first.parts.get(), user=manager, reason="Ganti.")
    payment = allocation_payments(bulk_order=bulk_order)[0]
    assert (payment.state, payment.order) == (PaymentState.NOT_STARTED, None)

    second = order_services.order_place_for_commitment(
        buyer=user, commitment=commitment, payment_method="bank_transfer", delivery=DELIVERY)
    order_services.order_part_payment_confirm(part=second.parts.get(), user=manager)
    payment = allocation_payments(bulk_order=bulk_order)[0]
    assert (payment.state, payment.order) == (PaymentState.PAID, second)


def _manager_page_queries(client, cooperative, manager, members: int) -> int:
    people = [cooperative_member(cooperative) for _ in range(members)]
    bulk_order = closed_order(cooperative, manager, people)
    for user, _enterprise in people[::2]:  # half of them started paying
        order_services.order_place_for_commitment(
            buyer=user, commitment=Commitment.objects.get(bulk_order=bulk_order,
                                                          enterprise=_enterprise),
            payment_method="bank_transfer", delivery=DELIVERY)
    client.force_login(manager)
    client.get(detail_url(bulk_order))  # the site's settings are created on the first page
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail_url(bulk_order)).status_code == 200
    return len(queries)


def test_the_manager_page_costs_the_same_for_3_or_30_members(client, cooperative, manager,
                                                             trading):
    few = _manager_page_queries(client, cooperative, manager, 3)
    many = _manager_page_queries(client, cooperative, manager, 30)
    assert many == few


# Joint-offer sales and shares


@pytest.fixture
def orderable_offer(cooperative, manager, trading):
    """Two members pledged 300 and 200 kg; the offer is for sale by the trading enterprise."""
    joint_offer = joint_services.joint_offer_create(
        cooperative=cooperative, user=manager, title="Kopi hijau", category=CategoryFactory(
            name="Kopi"), unit="kg", target_quantity=500, price_per_unit=100_000,
        delivery_from=timezone.localdate(), delivery_until=timezone.localdate())
    pledgers = [cooperative_member(cooperative) for _ in range(2)]
    for (user, enterprise), quantity in zip(pledgers, (300, 200), strict=True):
        joint_services.pledge_save(joint_offer=joint_offer, enterprise=enterprise, user=user,
                                   quantity=quantity)
    joint_offer.refresh_from_db()
    assert joint_offer.status == JointOffer.Status.ORDERABLE
    return joint_offer, pledgers


def complete_sale(joint_offer, manager, quantity: int) -> OrderPart:
    buyer = UserFactory()
    order = order_services.order_place(
        buyer=buyer, cart=cart_with((joint_offer.product, quantity), user=buyer),
        payment_method="bank_transfer", delivery=DELIVERY)
    part = order.parts.get()
    order_services.order_part_payment_confirm(part=part, user=manager)
    for status in ("confirmed", "shipped", "completed"):
        order_services.order_part_advance(part=part, user=manager, to_status=status)
    return part


def joint_url(joint_offer) -> str:
    return reverse("joint_offer_detail", kwargs={"pk": joint_offer.pk})


def test_members_see_sales_shares_and_the_fee(client, cooperative, manager, orderable_offer):
    joint_offer, ((user, big), (_other, small)) = orderable_offer
    complete_sale(joint_offer, manager, 10)  # Rp 1.000.000
    complete_sale(joint_offer, manager, 5)  # Rp 500.000
    # An unfinished sale counts for nothing yet.
    buyer = UserFactory()
    order_services.order_place(buyer=buyer, cart=cart_with((joint_offer.product, 3), user=buyer),
                               payment_method="bank_transfer", delivery=DELIVERY)
    client.force_login(user)

    page = client.get(joint_url(joint_offer)).text

    assert "Sales and revenue shares" in page
    assert "2 orders, 15 kg" in page
    assert "Rp 1.500.000" in page
    fee = 1_500_000 - sum(RevenueShare.objects.values_list("amount", flat=True))
    assert fee == 1_500_000 * cooperative.joint_offer_fee_percent // 100
    shared = 1_500_000 - fee
    assert f"Cooperative's fee ({cooperative.joint_offer_fee_percent}%)" in page
    assert _rupiah(fee) in page and _rupiah(shared) in page
    for enterprise, share in ((big, shared * 3 // 5), (small, shared * 2 // 5)):
        assert f"<th scope=\"row\">{enterprise.name}</th><td>{_rupiah(share)}</td>" in page


def _rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def test_refunds_after_completion_reduce_sales_and_shares(client, cooperative, manager,
                                                          orderable_offer):
    joint_offer, ((user, _big), _small) = orderable_offer
    part = complete_sale(joint_offer, manager, 10)
    line = part.lines.get()
    order_services.order_part_refund(part=part, user=manager, quantities={line.pk: 4},
                                     reason="Kadar air terlalu tinggi.")
    client.force_login(user)
    page = client.get(joint_url(joint_offer)).text
    assert "1 order, 6 kg" in page and "Rp 600.000" in page
    fee = 600_000 - sum(RevenueShare.objects.values_list("amount", flat=True))
    assert 0 <= fee <= 600_000 * cooperative.joint_offer_fee_percent // 100 + 1


def test_no_sales_yet_says_so(client, orderable_offer):
    joint_offer, ((user, _enterprise), _other) = orderable_offer
    client.force_login(user)
    assert "No completed sales yet." in client.get(joint_url(joint_offer)).text


def test_outsiders_do_not_see_the_shares(client, stranger, manager, orderable_offer):
    joint_offer, _pledgers = orderable_offer
    complete_sale(joint_offer, manager, 2)
    page = client.get(joint_url(joint_offer)).text
    assert "Sales and revenue shares" not in page


def test_collecting_offers_have_no_sales_section(client, cooperative, manager, member):
    joint_offer = joint_services.joint_offer_create(
        cooperative=cooperative, user=manager, title="Gula", category=CategoryFactory(
            name="Gula"), unit="kg", target_quantity=500, price_per_unit=20_000,
        delivery_from=timezone.localdate(), delivery_until=timezone.localdate())
    client.force_login(member[0])
    assert "Sales and revenue shares" not in client.get(joint_url(joint_offer)).text


def test_the_sales_section_costs_the_same_for_1_or_6_sales(client, manager, orderable_offer):
    joint_offer, ((user, _enterprise), _other) = orderable_offer
    client.force_login(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(joint_url(joint_offer))
        return len(captured)

    complete_sale(joint_offer, manager, 1)
    client.get(joint_url(joint_offer))  # the site's settings are created on the first page
    one = queries()
    for _ in range(5):
        complete_sale(joint_offer, manager, 1)
    assert queries() == one
    assert Product.objects.get(pk=joint_offer.product_id).stock == 494
    assert OrderLine.objects.filter(product=joint_offer.product).count() == 6
