"""The seller's side of orders under /dashboard/sales/: the list of parts sold, one part with the
buyer's details and the actions its state allows, cancelling and partial refunds, the dashboard's
sales panel, and every denial (another seller, a buyer, an anonymous visitor)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.models import LedgerEntry, OrderPart, Product, Refund
from marketplace.selectors import sales as selectors
from marketplace.services import orders as order_services
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProductFactory,
    UserFactory,
    image_bytes,
    placed_order,
    seller,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def shop():
    """A seller with one product (Rp 15.000, 20 in stock): (user, enterprise, product)."""
    user, enterprise = seller(name="Keripik Sari")
    product = ProductFactory(enterprise=enterprise, title="Keripik Singkong", price=15000,
                             stock=20)
    return user, enterprise, product


def _part(order) -> OrderPart:
    return order.parts.get()


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _follow_post(client, url, data=None):
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200
    return response


def _url(name, part, **kwargs):
    return reverse(name, kwargs={"pk": part.pk, **kwargs})


# The list


def test_a_seller_sees_the_parts_their_enterprise_sold_newest_first(client, shop):
    user, enterprise, product = shop
    first = _part(placed_order((product, 1)))
    second = _part(placed_order((product, 2)))
    other = _part(placed_order())  # another seller's
    client.force_login(user)

    response = client.get("/dashboard/sales/")

    assert response.status_code == 200
    parts = list(response.context["page"].object_list)
    assert parts == [second, first]
    assert other not in parts
    content = response.content.decode()
    assert second.order.number in content and "Dewi Lestari" in content
    assert "2 × Keripik Singkong" in content
    assert "Needs action" in content


def test_tabs_filter_by_status(client, shop):
    user, _enterprise, product = shop
    new = _part(placed_order((product, 1)))
    confirmed = _part(placed_order((product, 1)))
    order_services.order_part_advance(part=confirmed, user=user, to_status="confirmed")
    cancelled = _part(placed_order((product, 1)))
    order_services.order_part_cancel(part=cancelled, user=user, reason="Habis")
    client.force_login(user)

    def tab(status):
        response = client.get("/dashboard/sales/", {"status": status})
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    assert tab("placed") == [new]
    assert tab("action") == [new]
    assert tab("confirmed") == [confirmed]
    assert tab("cancelled") == [cancelled]
    assert tab("completed") == []
    assert tab("") == [cancelled, confirmed, new]
    assert tab("nonsense") == [cancelled, confirmed, new]  # a bad tab shows everything


def test_a_transfer_proof_to_check_needs_action(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 1)))
    order_services.order_part_advance(part=part, user=user, to_status="confirmed")
    order_services.transfer_proof_upload(
        part=part, user=part.order.buyer,
        file=SimpleUploadedFile("bukti.jpg", image_bytes(), content_type="image/jpeg"))
    client.force_login(user)

    response = client.get("/dashboard/sales/", {"status": "action"})

    assert list(response.context["page"].object_list) == [part]
    assert response.context["to_do"].proof_awaiting == 1
    assert "1 transfer proof to check against your account." in response.content.decode()


def test_someone_running_two_enterprises_filters_by_enterprise(client):
    user, chips = seller(name="Keripik Sari")
    batik = EnterpriseMemberFactory(user=user, enterprise=EnterpriseFactory(name="Batik Rina"))
    chips_part = _part(placed_order((ProductFactory(enterprise=chips), 1)))
    batik_part = _part(placed_order((ProductFactory(enterprise=batik.enterprise), 1)))
    client.force_login(user)

    everything = client.get("/dashboard/sales/")
    only_batik = client.get("/dashboard/sales/", {"enterprise": batik.enterprise.slug})
    someone_elses = client.get("/dashboard/sales/",
                               {"enterprise": EnterpriseFactory().slug})

    assert set(everything.context["page"].object_list) == {chips_part, batik_part}
    assert "Batik Rina" in everything.content.decode()  # names the seller on each row
    assert list(only_batik.context["page"].object_list) == [batik_part]
    # Not one of theirs: the filter is ignored rather than showing anyone else's orders.
    assert set(someone_elses.context["page"].object_list) == {chips_part, batik_part}
    # A bad enterprise does not undo a good tab.
    both = client.get("/dashboard/sales/", {"enterprise": "nope", "status": "cancelled"})
    assert list(both.context["page"].object_list) == []


def test_empty_states(client, shop):
    user, _enterprise, _product = shop
    client.force_login(user)
    assert "No orders yet" in client.get("/dashboard/sales/").content.decode()

    client.force_login(UserFactory())  # runs no enterprise
    response = client.get("/dashboard/sales/")
    assert response.status_code == 200
    assert "You do not sell on Guyub yet" in response.content.decode()


def test_the_list_is_paginated(client, shop):
    user, enterprise, _product = shop
    product = ProductFactory(enterprise=enterprise, stock=100)
    for _ in range(21):
        placed_order((product, 1))
    client.force_login(user)

    first = client.get("/dashboard/sales/")
    second = client.get("/dashboard/sales/", {"page": 2})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 1


def _orders_with_lines(enterprise, count):
    products = [ProductFactory(enterprise=enterprise, stock=500) for _ in range(2)]
    for _ in range(count):
        placed_order((products[0], 1), (products[1], 2))


def test_the_list_costs_the_same_queries_for_3_or_30_orders(client, shop):
    user, enterprise, _product = shop
    client.force_login(user)
    _orders_with_lines(enterprise, 3)
    few = count_queries(client, "/dashboard/sales/")

    _orders_with_lines(enterprise, 17)  # 20: one full page
    many = count_queries(client, "/dashboard/sales/")

    assert few == many


# One part


def test_the_part_shows_the_buyers_delivery_details_and_lines(client, shop):
    user, _enterprise, product = shop
    order = placed_order((product, 3), parts={product.enterprise_id: {
        "fulfilment": "delivery", "note_to_seller": "Tolong dibungkus rapi"}})
    part = _part(order)
    client.force_login(user)

    response = client.get(_url("sale_detail", part))

    assert response.status_code == 200
    content = response.content.decode()
    for text in (order.number, "Dewi Lestari", "081234567890", "Jl. Kemang Raya 10",
                 "Bangka", "Tolong dibungkus rapi", "Keripik Singkong", "Rp 45.000",
                 "Bank transfer", "Waiting for the bank transfer"):
        assert text in content, text
    assert re.search(r'href="https://wa\.me/6281234567890\?text=[^"]*' + order.number, content)


def test_the_part_links_to_the_uploaded_transfer_proof(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 1)))
    client.force_login(user)
    proof_url = reverse("transfer_proof", kwargs={"number": part.order.number, "pk": part.pk})
    assert proof_url not in client.get(_url("sale_detail", part)).content.decode()

    order_services.transfer_proof_upload(
        part=part, user=part.order.buyer,
        file=SimpleUploadedFile("bukti.jpg", image_bytes(), content_type="image/jpeg"))
    response = client.get(_url("sale_detail", part))

    content = response.content.decode()
    assert f'href="{proof_url}"' in content
    assert "Transfer proof uploaded: check your account" in content
    assert client.get(proof_url).status_code == 200  # the seller may open it


def _buttons(response) -> set[str]:
    """The actions the page offers, by the form each one posts to."""
    content = response.content.decode()
    found = set()
    for action in ("payment", "cancel", "refund"):
        if f'action="/dashboard/sales/{response.context["part"].pk}/{action}/"' in content:
            found.add(action)
    found |= set(re.findall(r'name="to_status" value="(\w+)"', content))
    return found


def test_only_the_actions_the_state_allows_are_offered(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 2)))
    client.force_login(user)
    url = _url("sale_detail", part)

    assert _buttons(client.get(url)) == {"payment", "confirmed", "cancel", "refund"}
    order_services.order_part_advance(part=part, user=user, to_status="confirmed")
    response = client.get(url)
    assert _buttons(response) == {"payment", "cancel", "refund"}  # not shipped before paying
    assert "Send the goods once the bank transfer is in" in response.content.decode()
    order_services.order_part_payment_confirm(part=part, user=user)
    assert _buttons(client.get(url)) == {"shipped", "cancel", "refund"}
    order_services.order_part_advance(part=part, user=user, to_status="shipped")
    assert _buttons(client.get(url)) == {"completed", "cancel", "refund"}
    order_services.order_part_advance(part=part, user=user, to_status="completed")
    assert _buttons(client.get(url)) == {"refund"}


def test_a_bank_transfer_part_goes_from_placed_to_completed(client, shop):
    user, enterprise, product = shop
    part = _part(placed_order((product, 2)))
    client.force_login(user)

    response = _follow_post(client, _url("sale_advance", part), {"to_status": "confirmed"})
    assert "Order confirmed. The buyer has been told." in _messages(response)
    response = _follow_post(client, _url("sale_payment_confirm", part))
    assert "Payment recorded as received. You can send the order." in _messages(response)
    _follow_post(client, _url("sale_advance", part), {"to_status": "shipped"})
    response = _follow_post(client, _url("sale_advance", part), {"to_status": "completed"})

    assert response.redirect_chain[-1][0] == _url("sale_detail", part)
    part.refresh_from_db()
    assert part.status == OrderPart.Status.COMPLETED
    assert part.paid_at and part.confirmed_at and part.sent_at and part.completed_at
    kinds = list(LedgerEntry.objects.filter(part=part).values_list("kind", "amount"))
    assert kinds == [("sale", 30000), ("payout", -30000)]  # paid to the seller directly


def test_a_pickup_part_is_marked_ready(client, shop):
    user, enterprise, product = shop
    part = _part(placed_order((product, 1), method="cash",
                              parts={enterprise.pk: {"fulfilment": "pickup"}}))
    client.force_login(user)
    url = _url("sale_detail", part)
    _follow_post(client, _url("sale_advance", part), {"to_status": "confirmed"})
    assert _buttons(client.get(url)) == {"ready", "cancel", "refund"}  # cash: no payment step

    response = _follow_post(client, _url("sale_advance", part), {"to_status": "ready"})

    assert "Marked as ready for pickup. The buyer has been told." in _messages(response)
    part.refresh_from_db()
    assert part.status == OrderPart.Status.READY


def test_a_move_the_state_does_not_allow_is_a_message_not_a_change(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 1)))
    client.force_login(user)
    _follow_post(client, _url("sale_advance", part), {"to_status": "confirmed"})

    unpaid = _follow_post(client, _url("sale_advance", part), {"to_status": "shipped"})
    wrong_way = _follow_post(client, _url("sale_advance", part), {"to_status": "ready"})
    bogus = _follow_post(client, _url("sale_advance", part), {"to_status": "teleported"})
    backwards = _follow_post(client, _url("sale_advance", part), {"to_status": "confirmed"})

    assert "Wait for the payment before sending the goods." in _messages(unpaid)
    assert "The buyer chose delivery." in _messages(wrong_way)
    assert any("teleported" in message for message in _messages(bogus))
    assert _messages(backwards)
    part.refresh_from_db()
    assert part.status == OrderPart.Status.CONFIRMED


def test_confirming_a_payment_twice_says_so(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 1)))
    client.force_login(user)
    _follow_post(client, _url("sale_payment_confirm", part))

    response = _follow_post(client, _url("sale_payment_confirm", part))

    assert "The payment was already confirmed." in _messages(response)
    assert LedgerEntry.objects.filter(part=part, kind="sale").count() == 1


# Cancelling and refunds


def test_the_seller_cancels_with_a_reason_and_the_stock_comes_back(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 3)))
    client.force_login(user)
    assert Product.objects.get(pk=product.pk).stock == 17

    response = _follow_post(client, _url("sale_cancel", part), {"reason": "Stok habis"})

    assert "The order is cancelled and its stock is back on sale." in _messages(response)
    part.refresh_from_db()
    assert part.status == OrderPart.Status.CANCELLED
    assert part.cancel_reason == "Stok habis"
    assert Product.objects.get(pk=product.pk).stock == 20
    assert "Stok habis" in response.content.decode()


def test_cancelling_needs_a_reason(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 3)))
    client.force_login(user)

    response = _follow_post(client, _url("sale_cancel", part), {"reason": "  "})

    assert "Tell the buyer why you are cancelling." in _messages(response)
    part.refresh_from_db()
    assert part.status == OrderPart.Status.PLACED
    assert Product.objects.get(pk=product.pk).stock == 17


def test_a_closed_part_cannot_be_cancelled_again(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 3)))
    client.force_login(user)
    _follow_post(client, _url("sale_cancel", part), {"reason": "Stok habis"})

    response = _follow_post(client, _url("sale_cancel", part), {"reason": "Lagi"})

    assert "This order is already closed." in _messages(response)
    assert Product.objects.get(pk=product.pk).stock == 20


def test_a_partial_refund_of_a_paid_part(client, shop):
    user, enterprise, product = shop
    other = ProductFactory(enterprise=enterprise, title="Keripik Pisang", price=10000, stock=5)
    part = _part(placed_order((product, 3), (other, 2)))
    order_services.order_part_payment_confirm(part=part, user=user)
    chips, bananas = part.lines.order_by("pk")
    client.force_login(user)

    response = _follow_post(client, _url("sale_refund", part), {
        f"line_{chips.pk}": "1", f"line_{bananas.pk}": "0", "reason": "1 bungkus pecah"})

    assert ("Refund of Rp 15.000 recorded. Send the money back to the buyer."
            in _messages(response))
    part.refresh_from_db()
    chips.refresh_from_db()
    assert part.status == OrderPart.Status.PLACED
    assert part.refunded == 15000 and part.amount_due == 50000
    assert chips.refunded_quantity == 1
    assert Product.objects.get(pk=product.pk).stock == 18
    refund = Refund.objects.get(part=part)
    assert (refund.amount, refund.reason, refund.created_by) == (15000, "1 bungkus pecah", user)
    assert LedgerEntry.objects.filter(part=part, kind="refund").get().amount == -15000
    assert "1 refunded" in response.content.decode()


def test_refunding_everything_left_cancels_the_part(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 2)))
    line = part.lines.get()
    client.force_login(user)

    response = _follow_post(client, _url("sale_refund", part),
                            {f"line_{line.pk}": "2", "reason": "Tidak bisa kirim"})

    # Not paid yet: nothing goes back, the buyer owes less.
    assert "The items are taken out of the order; the buyer owes less." in _messages(response)
    part.refresh_from_db()
    assert part.status == OrderPart.Status.CANCELLED
    assert Product.objects.get(pk=product.pk).stock == 20


@pytest.mark.parametrize("quantity, reason, message", [
    ("0", "Pecah", "Choose how many of at least one item to refund."),
    ("3", "Pecah", "Ensure this value is less than or equal to 2."),
    ("-1", "Pecah", "Ensure this value is greater than or equal to 0."),
    ("dua", "Pecah", "Enter a whole number."),
    ("1", "", "Tell the buyer why you are refunding."),
])
def test_bad_refunds_are_messages_and_change_nothing(client, shop, quantity, reason, message):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 2)))
    line = part.lines.get()
    client.force_login(user)

    response = _follow_post(client, _url("sale_refund", part),
                            {f"line_{line.pk}": quantity, "reason": reason})

    assert message in _messages(response)
    line.refresh_from_db()
    assert line.refunded_quantity == 0
    assert not Refund.objects.exists()
    assert Product.objects.get(pk=product.pk).stock == 18


def test_a_line_of_another_part_cannot_be_refunded(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 2)))
    foreign = _part(placed_order()).lines.get()
    client.force_login(user)

    response = _follow_post(client, _url("sale_refund", part),
                            {f"line_{foreign.pk}": "1", "reason": "Pecah"})

    assert "Choose how many of at least one item to refund." in _messages(response)
    foreign.refresh_from_db()
    assert foreign.refunded_quantity == 0


# Denials


ACTIONS = [
    ("sale_payment_confirm", {}),
    ("sale_advance", {"to_status": "confirmed"}),
    ("sale_cancel", {"reason": "Diambil alih"}),
    ("sale_refund", {"reason": "Diambil alih"}),
]


def _assert_untouched(part, product):
    part.refresh_from_db()
    assert part.status == OrderPart.Status.PLACED and part.paid_at is None
    assert not Refund.objects.exists() and not LedgerEntry.objects.exists()
    assert Product.objects.get(pk=product.pk).stock == 18


def test_another_seller_gets_404_on_the_page_and_every_action(client, shop, stranger):
    _user, _enterprise, product = shop
    part = _part(placed_order((product, 2)))
    line = part.lines.get()

    assert client.get(_url("sale_detail", part)).status_code == 404
    for name, data in ACTIONS:
        data = {**data, f"line_{line.pk}": "1"}
        assert client.post(_url(name, part), data).status_code == 404, name
    assert part not in client.get("/dashboard/sales/").context["page"].object_list
    _assert_untouched(part, product)


def test_the_buyer_gets_404_on_the_seller_page(client, shop):
    _user, _enterprise, product = shop
    part = _part(placed_order((product, 2)))
    client.force_login(part.order.buyer)

    assert client.get(_url("sale_detail", part)).status_code == 404
    for name, data in ACTIONS:
        assert client.post(_url(name, part), data).status_code == 404, name
    assert list(client.get("/dashboard/sales/").context["page"].object_list) == []
    _assert_untouched(part, product)


def test_anonymous_visitors_are_sent_to_log_in(client, shop):
    _user, _enterprise, product = shop
    part = _part(placed_order((product, 2)))

    for url in ("/dashboard/sales/", _url("sale_detail", part)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    for name, data in ACTIONS:
        response = client.post(_url(name, part), data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    _assert_untouched(part, product)


def test_actions_only_accept_post(client, shop):
    user, _enterprise, product = shop
    part = _part(placed_order((product, 2)))
    client.force_login(user)

    for name, _data in ACTIONS:
        assert client.get(_url(name, part)).status_code == 405, name
    _assert_untouched(part, product)


def test_a_second_person_of_the_enterprise_handles_its_sales(client, shop):
    _owner, enterprise, product = shop
    staff = EnterpriseMemberFactory(enterprise=enterprise, role="staff").user
    part = _part(placed_order((product, 2)))
    client.force_login(staff)

    _follow_post(client, _url("sale_advance", part), {"to_status": "confirmed"})

    part.refresh_from_db()
    assert part.status == OrderPart.Status.CONFIRMED


# The dashboard


def test_the_dashboard_counts_what_needs_the_seller(client, shop):
    user, _enterprise, product = shop
    placed_order((product, 1))
    paid = _part(placed_order((product, 1)))
    order_services.order_part_payment_confirm(part=paid, user=user)
    proof = _part(placed_order((product, 1)))
    order_services.order_part_advance(part=proof, user=user, to_status="confirmed")
    order_services.transfer_proof_upload(
        part=proof, user=proof.order.buyer,
        file=SimpleUploadedFile("bukti.jpg", image_bytes(), content_type="image/jpeg"))
    placed_order()  # someone else's
    client.force_login(user)

    response = client.get("/dashboard/")

    to_do = response.context["sales_to_do"]
    assert (to_do.placed, to_do.paid_unconfirmed, to_do.proof_awaiting, to_do.total) == (
        2, 1, 1, 3)
    content = response.content.decode()
    assert "2 new orders to confirm" in content
    assert "1 already paid: confirm and send it." in content
    assert "1 transfer proof to check" in content
    assert 'href="/dashboard/sales/?status=action"' in content
    assert f'href="/dashboard/sales/ledger/{product.enterprise.slug}/"' in content
    assert 'href="/orders/"' in content


def test_the_dashboard_says_when_nothing_needs_the_seller(client, shop):
    user, _enterprise, _product = shop
    client.force_login(user)

    content = client.get("/dashboard/").content.decode()

    assert "No order needs you right now." in content
    assert 'href="/dashboard/sales/"' in content


def test_a_buyer_without_an_enterprise_finds_their_purchases(client):
    client.force_login(UserFactory())

    response = client.get("/dashboard/")

    assert response.context["sales_to_do"] is None
    content = response.content.decode()
    assert 'href="/orders/"' in content and "My purchases" in content
    assert "/dashboard/sales/" not in content


def test_the_stripe_panel_shows_only_when_stripe_is_configured(client, shop, settings,
                                                               monkeypatch):
    user, enterprise, _product = shop
    client.force_login(user)
    settings.STRIPE_SECRET_KEY = ""
    assert client.get("/dashboard/").context["stripe_panel"] is False

    settings.STRIPE_SECRET_KEY = "sk_test_123"
    response = client.get("/dashboard/")
    assert response.context["stripe_panel"] is True
    assert reverse("stripe_connect_start", args=[enterprise.slug]) in response.content.decode()

    # Without its template (written separately) the dashboard still works.
    monkeypatch.setattr("enterprises.views.STRIPE_PANEL", "marketplace/_no_such_panel.html")
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert response.context["stripe_panel"] is False


def test_the_dashboard_costs_the_same_queries_for_3_or_30_orders(client, shop):
    user, enterprise, _product = shop
    client.force_login(user)
    _orders_with_lines(enterprise, 3)
    few = count_queries(client, "/dashboard/")

    _orders_with_lines(enterprise, 27)
    many = count_queries(client, "/dashboard/")

    assert few == many


def test_selectors_whatsapp_number():
    assert selectors.whatsapp_number("0812-3456-7890") == "6281234567890"
    assert selectors.whatsapp_number("+62 812 3456 7890") == "6281234567890"
    assert selectors.whatsapp_number("12") == ""


def test_the_seller_reads_and_answers_the_buyers_review_on_the_part(client, shop):
    from marketplace.services.reviews import review_save

    user, enterprise, product = shop
    order = placed_order((product, 1), method="cash",
                         parts={enterprise.pk: {"fulfilment": "pickup"}})
    part = _part(order)
    client.force_login(user)
    assert 'id="review-heading"' not in client.get(_url("sale_detail", part)).content.decode()
    for status in ("confirmed", "ready", "completed"):
        order_services.order_part_advance(part=part, user=user, to_status=status)
    review_save(part=part, user=order.buyer, rating=4, text="Renyah, <b>enak</b>")

    page = client.get(_url("sale_detail", part)).content.decode()

    assert 'id="review-heading"' in page
    assert "Renyah, &lt;b&gt;enak&lt;/b&gt;" in page
    assert reverse("review_reply", kwargs={"pk": part.review.pk}) in page
