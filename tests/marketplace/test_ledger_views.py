"""The payout ledger pages: an enterprise's entries with a running balance, the members' money
of a cooperative's trading enterprise, the treasurer's CSV, and the staff's manual payouts."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from enterprises.models import Membership
from marketplace.models import BulkOrder, Commitment, JointOffer, LedgerEntry, Pledge
from marketplace.selectors.sales import LEDGER_CSV_COLUMNS
from marketplace.services import orders as order_services
from marketplace.services.joint_offers import cooperative_seller_ensure
from marketplace.services.ledger import ledger_balance, ledger_record_payment
from tests.factories import (
    DELIVERY,
    CategoryFactory,
    CooperativeFactory,
    ProductFactory,
    UserFactory,
    cooperative_member,
    placed_order,
    seller,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


def _card_sale(product, quantity=2, fee=1500):
    """A part paid through the platform (as by card): the platform owes the seller the amount
    minus the fee until it pays out."""
    part = placed_order((product, quantity), method="cash").parts.get()
    part.platform_fee = fee
    part.paid_at = timezone.now()
    part.save(update_fields=["platform_fee", "paid_at"])
    ledger_record_payment(part=part, direct=False)
    return part


@pytest.fixture
def owed_shop():
    """A seller owed Rp 28.500 (a Rp 30.000 card sale minus a Rp 1.500 fee), after a bank
    transfer sale that was settled directly: (user, enterprise)."""
    user, enterprise = seller(name="Keripik Sari")
    product = ProductFactory(enterprise=enterprise, price=15000, stock=50)
    direct = placed_order((product, 1)).parts.get()
    order_services.order_part_payment_confirm(part=direct, user=user)
    _card_sale(product)
    return user, enterprise


def _ledger_url(enterprise):
    return f"/dashboard/sales/ledger/{enterprise.slug}/"


def _csv_url(enterprise):
    return f"/dashboard/sales/ledger/{enterprise.slug}.csv"


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig")))
    header, *rows = list(reader)
    assert tuple(header) == LEDGER_CSV_COLUMNS
    return [dict(zip(header, row, strict=True)) for row in rows]


# The ledger page


def test_the_ledger_shows_entries_newest_first_with_the_running_balance(client, owed_shop):
    user, enterprise = owed_shop
    client.force_login(user)

    response = client.get(_ledger_url(enterprise))

    assert response.status_code == 200
    assert response.context["balance"] == 28500
    rows = [(entry.kind, entry.amount, entry.running_balance)
            for entry in response.context["page"].object_list]
    assert rows == [
        ("fee", -1500, 28500),
        ("sale", 30000, 30000),
        ("payout", -15000, 0),
        ("sale", 15000, 15000),
    ]
    content = response.content.decode()
    assert "Rp 28.500" in content
    assert "Paid to the seller directly by the buyer" in content
    assert f'href="/dashboard/sales/ledger/{enterprise.slug}.csv"' in content
    for entry in LedgerEntry.objects.filter(enterprise=enterprise):
        assert f'href="/dashboard/sales/{entry.part_id}/"' in content  # to the sale


def test_an_empty_ledger(client):
    user, enterprise = seller()
    client.force_login(user)

    response = client.get(_ledger_url(enterprise))

    assert response.status_code == 200
    assert response.context["balance"] == 0
    assert "No entries yet." in response.content.decode()
    assert response.context["cooperative"] is None


def test_a_long_ledger_is_paginated_with_true_balances(client):
    user, enterprise = seller()
    LedgerEntry.objects.bulk_create(
        LedgerEntry(enterprise=enterprise, kind="sale", amount=1000) for _ in range(60))
    client.force_login(user)

    first = client.get(_ledger_url(enterprise))
    second = client.get(_ledger_url(enterprise), {"page": 2})

    first_balances = [entry.running_balance for entry in first.context["page"].object_list]
    second_balances = [entry.running_balance for entry in second.context["page"].object_list]
    assert first_balances[0] == 60000 and len(first_balances) == 50
    assert second_balances == [10000 - 1000 * n for n in range(10)]


def test_the_ledger_costs_the_same_queries_for_3_or_30_entries(client):
    user, enterprise = seller()
    product = ProductFactory(enterprise=enterprise, stock=500)
    client.force_login(user)
    for _ in range(3):
        _card_sale(product)
    few = count_queries(client, _ledger_url(enterprise))

    for _ in range(12):
        _card_sale(product)
    many = count_queries(client, _ledger_url(enterprise))

    assert few == many


# A cooperative's trading enterprise


@pytest.fixture
def cooperative_trade():
    """A coffee cooperative whose trading enterprise sold 10 kg of a joint offer (cash,
    completed) and is paid for two bulk-order allocations, one paid and one not yet."""
    cooperative = CooperativeFactory(name="Koperasi Kopi Sindoro", joint_offer_fee_percent=5)
    manager, manager_farm = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    member, member_farm = cooperative_member(cooperative)
    manager_farm.name, member_farm.name = "Kebun Pak Budi", "Kebun Bu Ani"
    manager_farm.save(), member_farm.save()
    trading = cooperative_seller_ensure(cooperative=cooperative)
    coffee = ProductFactory(enterprise=trading, title="Kopi hijau", price=50000, stock=100)
    offer = JointOffer.objects.create(
        cooperative=cooperative, title="Kopi hijau", category=CategoryFactory(),
        target_quantity=100, price_per_unit=50000, delivery_from=date.today(),
        delivery_until=date.today() + timedelta(days=30),
        status=JointOffer.Status.ORDERABLE, product=coffee,
    )
    Pledge.objects.create(joint_offer=offer, enterprise=manager_farm, quantity=60)
    Pledge.objects.create(joint_offer=offer, enterprise=member_farm, quantity=40)
    sale = placed_order((coffee, 10), method="cash").parts.get()
    for status in ("confirmed", "shipped", "completed"):
        order_services.order_part_advance(part=sale, user=manager, to_status=status)

    bulk_order = BulkOrder.objects.create(
        cooperative=cooperative, title="Pupuk organik", supplier_name="Toko Tani", unit="kg",
        package_size=50, price_per_unit=3000, min_packages=1,
        deadline=timezone.now() - timedelta(days=1), status=BulkOrder.Status.CLOSED,
    )
    paid = Commitment.objects.create(bulk_order=bulk_order, enterprise=manager_farm,
                                     quantity=50, allocated=50)
    unpaid = Commitment.objects.create(bulk_order=bulk_order, enterprise=member_farm,
                                       quantity=50, allocated=50)
    paid_part = order_services.order_place_for_commitment(
        buyer=manager, commitment=paid, payment_method="cash", delivery=dict(DELIVERY),
    ).parts.get()
    for status in ("confirmed", "ready", "completed"):
        order_services.order_part_advance(part=paid_part, user=manager, to_status=status)
    order_services.order_place_for_commitment(
        buyer=member, commitment=unpaid, payment_method="cash", delivery=dict(DELIVERY))
    return {"cooperative": cooperative, "trading": trading, "manager": manager,
            "member": member, "manager_farm": manager_farm, "member_farm": member_farm}


def test_a_trading_enterprise_shows_each_members_money(client, cooperative_trade):
    trading = cooperative_trade["trading"]
    client.force_login(cooperative_trade["manager"])

    response = client.get(_ledger_url(trading))

    assert response.status_code == 200
    assert response.context["cooperative"] == cooperative_trade["cooperative"]
    members = {m.name: (m.shares, m.allocations_paid, m.allocations_unpaid)
               for m in response.context["members"]}
    # Rp 500.000 of coffee, 5% fee: Rp 475.000 shared 60:40.
    assert members == {"Kebun Pak Budi": (285000, 150000, 0),
                       "Kebun Bu Ani": (190000, 0, 150000)}
    content = response.content.decode()
    assert "money through Koperasi Kopi Sindoro" in content
    assert "Rp 285.000" in content and "Rp 190.000" in content


def test_a_member_who_does_not_run_the_trading_enterprise_cannot_see_its_ledger(
        client, cooperative_trade):
    client.force_login(cooperative_trade["member"])
    trading = cooperative_trade["trading"]

    assert client.get(_ledger_url(trading)).status_code == 404
    assert client.get(_csv_url(trading)).status_code == 404


def test_the_treasurers_csv_has_every_entry_and_revenue_share(client, cooperative_trade):
    trading = cooperative_trade["trading"]
    client.force_login(cooperative_trade["manager"])

    response = client.get(_csv_url(trading))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="guyub-ledger-{trading.slug}-')
    rows = _csv(response)
    ledger = [row for row in rows if row["record"] == "ledger"]
    shares = [row for row in rows if row["record"] == "revenue_share"]
    assert len(ledger) == LedgerEntry.objects.filter(enterprise=trading).count() == 4
    assert [(row["kind"], int(row["amount"])) for row in ledger] == [
        ("Sale", 500000), ("Payout", -500000), ("Sale", 150000), ("Payout", -150000)]
    assert all(row["method"] == "Paid to the seller directly by the buyer"
               for row in ledger if row["kind"] == "Payout")
    # The balance column runs, and ends at what the platform owes.
    running = 0
    for row in ledger:
        running += int(row["amount"])
        assert int(row["balance"]) == running
    assert running == ledger_balance(enterprise=trading) == 0
    assert sorted((row["member"], int(row["amount"])) for row in shares) == [
        ("Kebun Bu Ani", 190000), ("Kebun Pak Budi", 285000)]
    assert all((row["kind"], row["balance"], row["note"]) == ("Revenue share", "", "Kopi hijau")
               for row in shares)
    today = timezone.localdate().isoformat()
    assert all(row["date"] == today for row in rows)
    sale_number = LedgerEntry.objects.filter(enterprise=trading).first().part.order.number
    assert ledger[0]["order_number"] == sale_number
    assert {row["order_number"] for row in shares} == {sale_number}


def test_the_csv_of_an_ordinary_seller(client, owed_shop):
    user, enterprise = owed_shop
    client.force_login(user)

    rows = _csv(client.get(_csv_url(enterprise)))

    assert [(row["kind"], row["amount"], row["balance"]) for row in rows] == [
        ("Sale", "15000", "15000"), ("Payout", "-15000", "0"),
        ("Sale", "30000", "30000"), ("Platform fee", "-1500", "28500")]
    assert all(row["record"] == "ledger" for row in rows)
    assert all(date.fromisoformat(row["date"]) for row in rows)


def test_the_csv_of_an_empty_ledger_has_its_header(client):
    user, enterprise = seller()
    client.force_login(user)

    assert _csv(client.get(_csv_url(enterprise))) == []


# Who may see a ledger


def test_another_seller_and_a_buyer_get_404(client, owed_shop):
    _user, enterprise = owed_shop
    other, _own = seller()
    buyer = LedgerEntry.objects.filter(enterprise=enterprise).first().part.order.buyer

    for user in (other, buyer):
        client.force_login(user)
        assert client.get(_ledger_url(enterprise)).status_code == 404
        assert client.get(_csv_url(enterprise)).status_code == 404
    assert client.get("/dashboard/sales/ledger/no-such-enterprise/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, owed_shop):
    _user, enterprise = owed_shop

    for url in (_ledger_url(enterprise), _csv_url(enterprise), "/dashboard/sales/payouts/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_staff_see_any_ledger(client, owed_shop):
    _user, enterprise = owed_shop
    client.force_login(UserFactory(is_staff=True))

    response = client.get(_ledger_url(enterprise))

    assert response.status_code == 200
    assert response.context["balance"] == 28500
    content = response.content.decode()
    for entry in LedgerEntry.objects.filter(enterprise=enterprise):
        assert f'href="/dashboard/sales/{entry.part_id}/"' not in content  # not their sales
    assert len(_csv(client.get(_csv_url(enterprise)))) == 4


# Staff: manual payouts


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    return user


def test_staff_see_who_is_owed(client, owed_shop, staff):
    _user, enterprise = owed_shop
    _user, settled = seller()
    LedgerEntry.objects.create(enterprise=settled, kind="sale", amount=5000)
    LedgerEntry.objects.create(enterprise=settled, kind="payout", amount=-5000, method="manual")

    response = client.get("/dashboard/sales/payouts/")

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(e, e.balance) for e, _form in rows] == [(enterprise, 28500)]
    assert rows[0][1]["amount"].value() == 28500
    content = response.content.decode()
    assert "BRI 0123456789012 (Keripik Sari)" in content


def test_staff_record_a_payout_and_the_balance_is_settled(client, owed_shop, staff):
    _user, enterprise = owed_shop

    response = client.post("/dashboard/sales/payouts/", {
        "enterprise": enterprise.pk, "amount": "28500", "reference": "BRI 123456",
        "note": "Mei"}, follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Payout to Keripik Sari recorded."]
    entry = LedgerEntry.objects.get(enterprise=enterprise, method="manual")
    assert (entry.kind, entry.amount, entry.reference, entry.note, entry.recorded_by) == (
        "payout", -28500, "BRI 123456", "Mei", staff)
    assert ledger_balance(enterprise=enterprise) == 0
    assert response.context["rows"] == []
    assert "Nobody is owed anything" in response.content.decode()


@pytest.mark.parametrize("data, message", [
    ({"amount": "30000", "reference": "BRI 1"},
     "That is more than the platform owes this seller."),
    ({"amount": "0", "reference": "BRI 1"}, "Ensure this value is greater than or equal to 1."),
    ({"amount": "banyak", "reference": "BRI 1"}, "Enter a whole number."),
    ({"amount": "1000", "reference": ""}, "This field is required."),
])
def test_a_bad_payout_is_a_form_message_and_writes_nothing(client, owed_shop, staff, data,
                                                          message):
    _user, enterprise = owed_shop
    before = LedgerEntry.objects.count()

    response = client.post("/dashboard/sales/payouts/", {"enterprise": enterprise.pk, **data})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert LedgerEntry.objects.count() == before
    assert ledger_balance(enterprise=enterprise) == 28500


def test_an_unknown_enterprise_is_a_form_message(client, staff):
    response = client.post("/dashboard/sales/payouts/",
                           {"enterprise": "999999", "amount": "10", "reference": "x"})

    assert response.status_code == 200
    assert "The payout was not recorded." in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_only_staff_record_payouts(client, owed_shop):
    user, enterprise = owed_shop

    for person in (user, UserFactory()):
        client.force_login(person)
        assert client.get("/dashboard/sales/payouts/").status_code == 403
        response = client.post("/dashboard/sales/payouts/", {
            "enterprise": enterprise.pk, "amount": "28500", "reference": "BRI 1"})
        assert response.status_code == 403
    assert not LedgerEntry.objects.filter(method="manual").exists()
    assert ledger_balance(enterprise=enterprise) == 28500
