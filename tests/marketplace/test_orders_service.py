"""The order spine: placing, paying, statuses, cancellation, refunds, ledger, income, stock."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from enterprises.models import IncomeRecord, Membership
from marketplace.models import (
    BulkOrder,
    Cart,
    Commitment,
    LedgerEntry,
    Order,
    OrderPart,
    Product,
    Refund,
    RevenueShare,
)
from marketplace.services import orders as services
from marketplace.services.ledger import ledger_balance, payout_record
from tests.factories import (
    DELIVERY,
    CooperativeFactory,
    EnterpriseFactory,
    ProductFactory,
    UserFactory,
    cart_with,
    cooperative_member,
    placed_order,
    seller,
)
from tests.helpers import ON_POSTGRESQL

pytestmark = pytest.mark.django_db
Status = OrderPart.Status


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


def sold_by(user_and_enterprise=None, **product_fields):
    user, enterprise = user_and_enterprise or seller()
    return user, ProductFactory(enterprise=enterprise, **product_fields)


class FakeStripe:
    """Stands in for the Stripe provider (tested at the HTTP layer in test_stripe_*)."""

    name = "stripe"

    def __init__(self):
        self.calls = []

    def start(self, *, order, success_url, cancel_url):
        return "https://checkout.stripe.test/session"

    def refund(self, *, part, amount, idempotency_key):
        self.calls.append(("refund", part.pk, amount, idempotency_key))
        return f"re_{idempotency_key}"

    def pay_out(self, *, part):
        if not part.enterprise.stripe_account_id:
            return ""
        self.calls.append(("transfer", part.pk, part.amount_due - part.platform_fee))
        return f"tr_{part.pk}"

    def reverse_pay_out(self, *, part, amount, idempotency_key):
        self.calls.append(("reversal", part.pk, amount))
        return f"trr_{idempotency_key}"


@pytest.fixture
def stripe(monkeypatch, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.PLATFORM_FEE_PERCENT = 5
    fake = FakeStripe()
    monkeypatch.setattr(services, "provider_for", lambda method: fake)
    return fake


# --- Placing ------------------------------------------------------------------------------------


def test_an_order_splits_per_seller_takes_stock_and_empties_the_cart():
    buyer = UserFactory()
    _, chips = sold_by(price=15000, stock=10)
    _, batik = sold_by(price=250000, stock=3)
    more_chips = ProductFactory(enterprise=chips.enterprise, price=12000, stock=5)
    cart = cart_with((chips, 4), (more_chips, 1), (batik, 1), user=buyer)

    order = services.order_place(
        buyer=buyer, cart=cart, payment_method="bank_transfer", delivery=DELIVERY,
        parts={batik.enterprise_id: {"fulfilment": "pickup", "note_to_seller": " Sore saja "}},
    )

    assert order.total == 4 * 15000 + 12000 + 250000
    assert order.payment_status == Order.PaymentStatus.PENDING
    assert order.pay_by > timezone.now() + timedelta(days=2)
    parts = {part.enterprise_id: part for part in order.parts.all()}
    assert parts[chips.enterprise_id].subtotal == 72000
    assert parts[chips.enterprise_id].lines.count() == 2
    assert parts[batik.enterprise_id].fulfilment == "pickup"
    assert parts[batik.enterprise_id].note_to_seller == "Sore saja"
    assert [p.stock for p in Product.objects.order_by("pk")] == [6, 2, 4]
    assert not cart.lines.exists()
    assert order.number.startswith("GY-") and len(order.number) == 11


def test_short_stock_refuses_the_whole_order_and_changes_nothing():
    buyer = UserFactory()
    _, chips = sold_by(stock=10)
    _, coffee = sold_by(stock=2, title="Kopi Temanggung")
    cart = cart_with((chips, 3), (coffee, 5), user=buyer)

    with pytest.raises(ValidationError) as error:
        services.order_place(buyer=buyer, cart=cart, payment_method="cash", delivery=DELIVERY)

    assert error.value.messages == ["Only 2 left of Kopi Temanggung."]
    assert not Order.objects.exists()
    assert [p.stock for p in Product.objects.order_by("pk")] == [10, 2]
    assert cart.lines.count() == 2


@pytest.mark.parametrize("change, message", [
    ({"is_active": False}, "is no longer sold"),
    ({"min_order": 5}, "the minimum order is 5"),
])
def test_lines_that_break_the_rules_are_named(change, message):
    buyer = UserFactory()
    _, product = sold_by()
    cart = cart_with((product, 2), user=buyer)
    Product.objects.filter(pk=product.pk).update(**change)
    with pytest.raises(ValidationError, match=message):
        services.order_place(buyer=buyer, cart=cart, payment_method="cash", delivery=DELIVERY)
    assert not Order.objects.exists()


def test_bad_checkout_input_gets_field_messages():
    buyer = UserFactory()
    _, product = sold_by()
    no_bank = ProductFactory(enterprise=EnterpriseFactory(bank_account_number="", name="Tani"))
    cart = cart_with((product, 1), (no_bank, 1), user=buyer)

    def place(**kwargs):
        options = {"payment_method": "cash", "delivery": DELIVERY} | kwargs
        with pytest.raises(ValidationError) as error:
            services.order_place(buyer=buyer, cart=cart, **options)
        return error.value.message_dict

    assert "Tani cannot take bank transfers" in place(payment_method="bank_transfer")[
        "payment_method"][0]
    assert place(payment_method="stripe")["payment_method"] == [
        "Card payments are not available."]
    assert place(payment_method="bitcoin")["payment_method"] == ["Choose how you will pay."]
    assert set(place(delivery={"recipient_name": " ", "phone": "", "address": ""})) == {
        "recipient_name", "phone", "address"}
    assert not Order.objects.exists()


def test_pickup_needs_no_address_and_buying_as_an_enterprise_needs_to_run_it():
    buyer, own = seller()
    _, product = sold_by()
    pickup = {product.enterprise_id: {"fulfilment": "pickup"}}
    with pytest.raises(PermissionDenied):
        services.order_place(buyer=buyer, cart=cart_with((product, 1)), payment_method="cash",
                             delivery=DELIVERY, buyer_enterprise=EnterpriseFactory())
    order = services.order_place(
        buyer=buyer, cart=cart_with((product, 1)), payment_method="cash", parts=pickup,
        delivery={"recipient_name": "Sari", "phone": "0812"}, buyer_enterprise=own,
    )
    assert order.buyer_enterprise == own and order.address == ""
    assert order.payment_status == Order.PaymentStatus.ON_DELIVERY


def test_an_empty_cart_cannot_be_ordered():
    with pytest.raises(ValidationError, match="empty"):
        services.order_place(buyer=UserFactory(), cart=Cart.objects.create(),
                             payment_method="cash", delivery=DELIVERY)


# --- Manual payment and the part's statuses ------------------------------------------------------


def test_bank_transfer_path_from_payment_to_completion():
    seller_user, product = sold_by(price=20000)
    order = placed_order((product, 2))
    part = order.parts.get()
    buyer = order.buyer

    services.order_part_advance(part=part, user=seller_user, to_status=Status.CONFIRMED)
    with pytest.raises(ValidationError, match="Wait for the payment"):
        services.order_part_advance(part=part, user=seller_user, to_status=Status.SHIPPED)
    with pytest.raises(PermissionDenied):
        services.order_part_payment_confirm(part=part, user=buyer)
    services.order_part_payment_confirm(part=part, user=seller_user)
    with pytest.raises(ValidationError, match="already confirmed"):
        services.order_part_payment_confirm(part=part, user=seller_user)
    order.refresh_from_db()
    assert order.payment_status == Order.PaymentStatus.PAID

    with pytest.raises(ValidationError, match="chose delivery"):
        services.order_part_advance(part=part, user=seller_user, to_status=Status.READY)
    services.order_part_advance(part=part, user=seller_user, to_status=Status.SHIPPED)
    with pytest.raises(PermissionDenied):
        services.order_part_advance(part=part, user=UserFactory(), to_status=Status.COMPLETED)
    services.order_part_advance(part=part, user=buyer, to_status=Status.COMPLETED)

    part.refresh_from_db()
    assert part.status == Status.COMPLETED and part.completed_at and part.sent_at
    entries = list(LedgerEntry.objects.values_list("kind", "amount", "method"))
    assert entries == [("sale", 40000, ""), ("payout", -40000, "direct")]
    assert ledger_balance(enterprise=product.enterprise) == 0
    income = IncomeRecord.objects.get()
    assert (income.enterprise, income.amount, income.source) == (
        product.enterprise, 40000, IncomeRecord.Source.MARKETPLACE)
    assert income.month == timezone.localdate().replace(day=1)


def test_statuses_only_move_forward():
    seller_user, product = sold_by()
    part = placed_order((product, 1), method="cash").parts.get()
    with pytest.raises(ValidationError, match="cannot become completed"):
        services.order_part_advance(part=part, user=seller_user, to_status=Status.COMPLETED)
    with pytest.raises(ValidationError):
        services.order_part_advance(part=part, user=seller_user, to_status="teleported")


def test_cash_is_recorded_as_paid_when_the_part_completes():
    seller_user, product = sold_by(price=10000)
    order = placed_order((product, 3), method="cash",
                         parts={product.enterprise_id: {"fulfilment": "pickup"}})
    part = order.parts.get()
    for status in (Status.CONFIRMED, Status.READY, Status.COMPLETED):
        part = services.order_part_advance(part=part, user=seller_user, to_status=status)
    assert part.paid_at is not None
    assert ledger_balance(enterprise=product.enterprise) == 0
    assert IncomeRecord.objects.get().amount == 30000


def test_the_buyer_uploads_a_proof_only_for_their_own_bank_transfer():
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = placed_order()
    part = order.parts.get()
    proof = SimpleUploadedFile("bukti.jpg", b"jpeg bytes", content_type="image/jpeg")
    with pytest.raises(PermissionDenied):
        services.transfer_proof_upload(part=part, user=UserFactory(), file=proof)
    services.transfer_proof_upload(part=part, user=order.buyer, file=proof)
    part.refresh_from_db()
    assert part.transfer_proof.name.startswith("transfer-proofs/")
    assert part.proof_uploaded_at is not None
    cash_part = placed_order(method="cash").parts.get()
    with pytest.raises(ValidationError, match="not paid by bank transfer"):
        services.transfer_proof_upload(part=cash_part, user=cash_part.order.buyer, file=proof)


# --- Cancelling and refunding -------------------------------------------------------------------


def test_the_buyer_cancels_only_before_the_seller_accepts():
    seller_user, product = sold_by(stock=10)
    order = placed_order((product, 4))
    part = order.parts.get()
    with pytest.raises(ValidationError, match="Say why"):
        services.order_part_cancel(part=part, user=order.buyer, reason=" ")
    with pytest.raises(PermissionDenied):
        services.order_part_cancel(part=part, user=UserFactory(), reason="salah pesan")
    services.order_part_cancel(part=part, user=order.buyer, reason="Salah pesan")
    product.refresh_from_db()
    order.refresh_from_db()
    assert product.stock == 10
    assert order.parts.get().status == Status.CANCELLED
    assert order.payment_status == Order.PaymentStatus.CANCELLED
    assert not Refund.objects.exists() and not LedgerEntry.objects.exists()

    other = placed_order((product, 1), buyer=order.buyer).parts.get()
    services.order_part_advance(part=other, user=seller_user, to_status=Status.CONFIRMED)
    with pytest.raises(ValidationError, match="ask them to cancel"):
        services.order_part_cancel(part=other, user=order.buyer, reason="berubah pikiran")


def test_a_seller_cancelling_a_paid_part_refunds_it_and_reverses_the_ledger():
    seller_user, product = sold_by(price=5000, stock=10)
    order = placed_order((product, 2))
    part = order.parts.get()
    services.order_part_payment_confirm(part=part, user=seller_user)
    services.order_part_cancel(part=part, user=seller_user, reason="Stok rusak kena hujan")

    product.refresh_from_db()
    order.refresh_from_db()
    assert product.stock == 10
    assert order.payment_status == Order.PaymentStatus.REFUNDED
    assert Refund.objects.get().amount == 10000
    assert ledger_balance(enterprise=product.enterprise) == 0
    assert sorted(LedgerEntry.objects.values_list("kind", "amount")) == sorted(
        [("sale", 10000), ("payout", -10000), ("refund", -10000), ("payout", 10000)])
    with pytest.raises(ValidationError, match="already closed"):
        services.order_part_cancel(part=part, user=seller_user, reason="lagi")


def test_a_partial_refund_after_completion_lowers_income_and_restocks():
    seller_user, product = sold_by(price=10000, stock=10)
    second = ProductFactory(enterprise=product.enterprise, price=3000, stock=5)
    order = placed_order((product, 3), (second, 2), method="cash",
                         parts={product.enterprise_id: {"fulfilment": "pickup"}})
    part = order.parts.get()
    for status in (Status.CONFIRMED, Status.READY, Status.COMPLETED):
        services.order_part_advance(part=part, user=seller_user, to_status=status)
    line = part.lines.get(product=product)

    with pytest.raises(ValidationError, match="refund between 1 and 3"):
        services.order_part_refund(part=part, user=seller_user, quantities={line.pk: 4},
                                   reason="pecah")
    with pytest.raises(PermissionDenied):
        services.order_part_refund(part=part, user=order.buyer, quantities={line.pk: 1},
                                   reason="pecah")
    refund = services.order_part_refund(part=part, user=seller_user, quantities={line.pk: 1},
                                        reason="Satu bungkus pecah")

    assert refund.amount == 10000
    part.refresh_from_db()
    line.refresh_from_db()
    product.refresh_from_db()
    assert (part.status, part.refunded, part.amount_due) == (Status.COMPLETED, 10000, 26000)
    assert (line.refunded_quantity, line.kept_quantity) == (1, 2)
    assert product.stock == 8
    assert IncomeRecord.objects.get().amount == 26000
    assert ledger_balance(enterprise=product.enterprise) == 0


def test_refunding_everything_left_cancels_an_open_part():
    seller_user, product = sold_by(stock=5)
    part = placed_order((product, 2), method="cash").parts.get()
    line = part.lines.get()
    assert services.order_part_refund(part=part, user=seller_user, quantities={line.pk: 2},
                                      reason="Habis") is None  # nothing was paid yet
    part.refresh_from_db()
    assert part.status == Status.CANCELLED and part.amount_due == 0
    product.refresh_from_db()
    assert product.stock == 5
    with pytest.raises(ValidationError, match="already cancelled"):
        services.order_part_refund(part=part, user=seller_user, quantities={line.pk: 1},
                                   reason="x")


# --- Stripe: payment, fee, transfers, release ---------------------------------------------------


def test_stripe_payment_takes_the_fee_and_transfers_to_connected_sellers(stripe):
    connected_user, connected = sold_by(price=100000)
    connected.enterprise.stripe_account_id = "acct_123"
    connected.enterprise.stripe_payouts_enabled = True
    connected.enterprise.save()
    _, offline = sold_by(price=30000)
    order = placed_order((connected, 1), (offline, 1), method="stripe")

    assert services.order_paid(order=order, payment_intent_id="pi_1", charge_id="ch_1")
    assert not services.order_paid(order=order, payment_intent_id="pi_1")  # replay: no change

    order.refresh_from_db()
    assert (order.payment_status, order.stripe_charge_id) == ("paid", "ch_1")
    parts = {part.enterprise_id: part for part in order.parts.all()}
    paid_part = parts[connected.enterprise_id]
    assert (paid_part.platform_fee, paid_part.stripe_transfer_id) == (5000, f"tr_{paid_part.pk}")
    assert stripe.calls == [("transfer", paid_part.pk, 95000)]
    assert ledger_balance(enterprise=connected.enterprise) == 0
    assert ledger_balance(enterprise=offline.enterprise) == 28500  # owed: paid out by hand

    staff = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        payout_record(enterprise=offline.enterprise, amount=28500, reference="x",
                      user=connected_user)
    with pytest.raises(ValidationError, match="more than the platform owes"):
        payout_record(enterprise=offline.enterprise, amount=30000, reference="BRI 1", user=staff)
    payout_record(enterprise=offline.enterprise, amount=28500, reference="BRI 778", user=staff)
    assert ledger_balance(enterprise=offline.enterprise) == 0

    # A partial refund returns the fee on it and reverses the seller's transfer share.
    services.order_part_refund(part=paid_part, user=connected_user,
                               quantities={paid_part.lines.get().pk: 1}, reason="Rusak")
    refund = Refund.objects.get()
    assert stripe.calls[1:] == [("refund", paid_part.pk, 100000, f"refund-{refund.pk}"),
                                ("reversal", paid_part.pk, 95000)]
    assert refund.stripe_refund_id == f"re_refund-{refund.pk}"
    assert ledger_balance(enterprise=connected.enterprise) == 0


def test_a_part_cancelled_while_the_buyer_pays_is_refunded_when_the_money_arrives(stripe):
    seller_user, product = sold_by(price=40000)
    order = placed_order((product, 1), method="stripe")
    services.order_part_cancel(part=order.parts.get(), user=seller_user, reason="Tutup")
    services.order_paid(order=order, payment_intent_id="pi_2")
    order.refresh_from_db()
    assert order.payment_status == Order.PaymentStatus.REFUNDED
    assert [call[0] for call in stripe.calls] == ["refund"]
    assert not LedgerEntry.objects.exists()


def test_releasing_an_unpaid_order_gives_the_stock_back_once(stripe):
    _, product = sold_by(stock=5)
    order = placed_order((product, 5), method="stripe")
    assert services.order_release(order=order, status=Order.PaymentStatus.EXPIRED)
    assert not services.order_release(order=order, status=Order.PaymentStatus.EXPIRED)
    assert not services.order_paid(order=order)  # a late event changes nothing
    product.refresh_from_db()
    order.refresh_from_db()
    assert product.stock == 5
    assert order.payment_status == "expired"
    assert order.parts.get().status == Status.CANCELLED


def test_overdue_bank_transfers_are_released_unless_a_proof_waits():
    _, product = sold_by(stock=10)
    forgotten = placed_order((product, 2))
    with_proof = placed_order((product, 3))
    with_proof.parts.update(proof_uploaded_at=timezone.now())
    fresh = placed_order((product, 1))
    Order.objects.exclude(pk=fresh.pk).update(pay_by=timezone.now() - timedelta(minutes=1))

    released = services.orders_expire_unpaid()

    assert [order.pk for order in released] == [forgotten.pk]
    product.refresh_from_db()
    assert product.stock == 10 - 3 - 1
    assert forgotten.parts.get().status == Status.CANCELLED
    assert with_proof.parts.get().status == Status.PLACED


# --- Cooperative money --------------------------------------------------------------------------


def closed_bulk_order(cooperative, enterprise, *, allocated=100):
    bulk_order = BulkOrder.objects.create(
        cooperative=cooperative, title="Pupuk NPK", unit="kg", package_size=50,
        price_per_unit=9000, deadline=timezone.now() - timedelta(hours=1),
        status=BulkOrder.Status.CLOSED, packages_ordered=2, supplier_name="Toko Tani",
    )
    return Commitment.objects.create(bulk_order=bulk_order, enterprise=enterprise,
                                     quantity=allocated, allocated=allocated)


def test_a_member_pays_its_allocation_to_the_cooperative():
    cooperative = CooperativeFactory()
    manager, _ = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    member, enterprise = cooperative_member(cooperative)
    commitment = closed_bulk_order(cooperative, enterprise)

    with pytest.raises(PermissionDenied):
        services.order_place_for_commitment(buyer=manager, commitment=commitment,
                                            payment_method="cash", delivery=DELIVERY)
    order = services.order_place_for_commitment(buyer=member, commitment=commitment,
                                                payment_method="cash", delivery=DELIVERY)
    with pytest.raises(ValidationError, match="already being paid"):
        services.order_place_for_commitment(buyer=member, commitment=commitment,
                                            payment_method="cash", delivery=DELIVERY)

    cooperative.refresh_from_db()
    part = order.parts.get()
    assert part.enterprise == cooperative.seller
    assert (order.total, order.buyer_enterprise) == (900000, enterprise)
    assert part.lines.get().commitment == commitment
    # The manager (a person of the trading enterprise) cancels; the member can pay again.
    services.order_part_cancel(part=part, user=manager, reason="Salah jumlah")
    assert services.order_place_for_commitment(buyer=member, commitment=commitment,
                                               payment_method="cash", delivery=DELIVERY)


def test_joint_offer_sales_are_shared_among_the_pledging_members():
    from marketplace.models import JointOffer, Pledge

    cooperative = CooperativeFactory(joint_offer_fee_percent=5)
    manager, trading = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    cooperative.seller = trading
    cooperative.save()
    _, first = cooperative_member(cooperative)
    _, second = cooperative_member(cooperative)
    product = ProductFactory(enterprise=trading, price=50000, stock=300)
    offer = JointOffer.objects.create(
        cooperative=cooperative, title="Kopi hijau", category=product.category,
        target_quantity=300, price_per_unit=50000, delivery_from=timezone.localdate(),
        delivery_until=timezone.localdate(), status=JointOffer.Status.ORDERABLE, product=product,
    )
    Pledge.objects.create(joint_offer=offer, enterprise=first, quantity=200)
    Pledge.objects.create(joint_offer=offer, enterprise=second, quantity=100)
    part = placed_order((product, 30), method="cash",
                        parts={trading.pk: {"fulfilment": "pickup"}}).parts.get()
    for status in (Status.CONFIRMED, Status.READY, Status.COMPLETED):
        services.order_part_advance(part=part, user=manager, to_status=status)

    shares = dict(RevenueShare.objects.values_list("enterprise_id", "amount"))
    assert shares == {first.pk: 950000, second.pk: 475000}  # 1.500.000 minus 5%, 2:1

    services.order_part_refund(part=part, user=manager, quantities={part.lines.get().pk: 3},
                               reason="Kurang kering")
    totals = {}
    for enterprise_id, amount in RevenueShare.objects.values_list("enterprise_id", "amount"):
        totals[enterprise_id] = totals.get(enterprise_id, 0) + amount
    assert totals == {first.pk: 855000, second.pk: 427500}


# --- Stock under concurrency (PostgreSQL) -------------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL row locks and parallel "
                                              "transactions; CI runs it on PostgreSQL")
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
def test_fifty_buyers_of_the_last_five_units_buy_exactly_five():
    _, product = sold_by(stock=5)
    buyers = [UserFactory() for _ in range(50)]
    carts = [cart_with((product, 1), user=buyer) for buyer in buyers]
    start = threading.Barrier(len(buyers))
    outcomes = []

    def buy(buyer, cart):
        try:
            start.wait()
            services.order_place(buyer=buyer, cart=cart, payment_method="cash",
                                 delivery=DELIVERY)
            outcomes.append("bought")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=pair) for pair in zip(buyers, carts,
                                                                        strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    product.refresh_from_db()
    assert outcomes.count("bought") == 5
    assert len(outcomes) == 50
    assert set(outcomes) - {"bought"} == {f"Only 0 left of {product.title}."}
    assert product.stock == 0
    assert Order.objects.count() == 5
    assert sum(part.subtotal for part in OrderPart.objects.all()) == 5 * product.price
