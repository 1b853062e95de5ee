"""The database briefly unavailable: pages answer 503 with a short page in the site's style
(nothing saved, try again in a minute, Retry-After), the API a 503 JSON error, neither touching
the database nor showing a traceback; a write that fails half-way leaves nothing behind; and a
notification that cannot be queued after an order is placed does not lose the order."""

import socket

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from cms import tasks as cms_tasks
from cms.models import Notification
from cms.views import server_error
from marketplace import notifications as market_notifications
from marketplace.models import BulkOrder, Commitment, Order, OrderLine, OrderPart, Product
from marketplace.services import bulk_orders
from tests.factories import (
    CooperativeFactory,
    EnterpriseFactory,
    ProductFactory,
    UserFactory,
    cart_with,
    cooperative_member,
    seller,
)
from tests.marketplace.test_bulk_orders import make_order
from tests.marketplace.test_shopping_views import checkout_data

UNAVAILABLE = "Guyub is briefly unavailable"
NOT_SAVED = "Nothing you sent was saved. Please try again in a minute."


def closed_port() -> int:
    """A local port nobody listens on (taken from the system, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down(transactional_db, monkeypatch):
    """The database server cannot be reached: every new connection fails in the driver."""
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict, "NAME", "/nonexistent/guyub/db.sqlite3")
    else:
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", str(closed_port()))
    connection.close()
    yield
    monkeypatch.undo()  # back before the test database is flushed
    connection.close()


def assert_unavailable_page(response, *, language="en"):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert "/static/css/guyub.css" in body
    assert "Traceback" not in body and "OperationalError" not in body
    return body


# --- A real outage -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/products/", "/enterprises/?q=kopi"])
def test_pages_say_the_site_is_briefly_unavailable(english, database_down, url, caplog):
    body = assert_unavailable_page(Client().get(url))

    assert UNAVAILABLE in body and NOT_SAVED in body
    assert "Database unavailable: GET" in caplog.text


def test_the_page_is_in_indonesian_by_default(database_down):
    assert_unavailable_page(Client().get("/products/"), language="id")


def test_the_api_answers_a_503_json_error(english, database_down):
    response = Client().get("/api/v1/products/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json() == {"message": f"{UNAVAILABLE}. {NOT_SAVED}", "errors": {}}


def test_a_form_posted_during_the_outage_gets_the_page_too(english, database_down):
    client = Client(enforce_csrf_checks=False)

    response = client.post("/accounts/login/", {"username": "sari", "password": "x"})

    assert NOT_SAVED in assert_unavailable_page(response)


def test_the_site_answers_again_once_the_database_is_back(english, database_down, monkeypatch):
    assert Client().get("/products/").status_code == 503

    monkeypatch.undo()
    connection.close()

    assert Client().get("/products/").status_code == 200


# --- Errors raised outside a view (another middleware) -------------------------------------------


@pytest.mark.parametrize("error", [OperationalError("connection refused"),
                                   InterfaceError("connection already closed")])
def test_the_500_handler_turns_database_errors_into_the_same_503(english, error):
    request = RequestFactory().get("/products/")
    try:
        raise error
    except type(error):
        response = server_error(request)

    assert UNAVAILABLE in assert_unavailable_page(response).replace("\n", " ")


def test_other_errors_stay_a_500(english):
    request = RequestFactory().get("/api/v1/products/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
    assert "Retry-After" not in response


# --- Writes that fail half-way -------------------------------------------------------------------


def fail_after_first_call(monkeypatch, target, name: str):
    """target.<name> does its work, then the database goes away."""
    real = getattr(target, name)

    def broken(*args, **kwargs):
        real(*args, **kwargs)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(target, name, broken)


@pytest.mark.django_db
def test_a_checkout_that_fails_half_way_writes_nothing(client, english, monkeypatch):
    buyer = UserFactory()
    client.force_login(buyer)
    sari = EnterpriseFactory(name="Keripik Sari")
    chips = ProductFactory(enterprise=sari, price=15000, stock=10)
    cart = cart_with((chips, 2), user=buyer)
    # The stock is taken, the order and its part are made; writing the lines fails.
    fail_after_first_call(monkeypatch, OrderLine.objects, "bulk_create")

    response = client.post("/checkout/", checkout_data(sari))

    assert NOT_SAVED in assert_unavailable_page(response)
    assert not Order.objects.exists() and not OrderPart.objects.exists()
    assert Product.objects.get(pk=chips.pk).stock == 10
    assert list(cart.lines.values_list("quantity", flat=True)) == [2]

    monkeypatch.undo()
    assert client.post("/checkout/", checkout_data(sari)).status_code == 302
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_a_changed_commitment_that_fails_half_way_keeps_the_old_one(client, english,
                                                                     monkeypatch):
    cooperative = CooperativeFactory()
    user, enterprise = cooperative_member(cooperative)
    bulk_order = make_order(cooperative)
    Commitment.objects.create(bulk_order=bulk_order, enterprise=enterprise, quantity=30,
                              tolerance=5, committed_by=user)
    client.force_login(user)
    fail_after_first_call(monkeypatch, Commitment.objects, "update_or_create")

    response = client.post(reverse("bulk_order_commit", kwargs={"pk": bulk_order.pk}),
                           {"enterprise": enterprise.pk, "quantity": 80, "tolerance": 0})

    assert_unavailable_page(response)
    commitment = Commitment.objects.get()
    assert (commitment.quantity, commitment.tolerance) == (30, 5)


@pytest.mark.django_db
def test_a_bulk_order_close_that_fails_half_way_stays_open_for_the_next_run(monkeypatch):
    cooperative = CooperativeFactory()
    _user, enterprise = cooperative_member(cooperative)
    bulk_order = make_order(cooperative)
    Commitment.objects.create(bulk_order=bulk_order, enterprise=enterprise, quantity=100)
    BulkOrder.objects.filter(pk=bulk_order.pk).update(deadline=bulk_order.created_at)

    def unreachable(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    # Allocations are written and the status set when telling the members fails.
    monkeypatch.setattr(bulk_orders.notifications, "bulk_order_closed", unreachable)
    with pytest.raises(OperationalError):
        bulk_orders.close_due()

    assert BulkOrder.objects.get().status == "open"
    assert Commitment.objects.get().allocated is None
    monkeypatch.undo()
    assert [closed.pk for closed in bulk_orders.close_due()] == [bulk_order.pk]
    assert Commitment.objects.get().allocated == 100


# --- After the commit ----------------------------------------------------------------------------


class _QueueDown:
    def enqueue(self, **kwargs):
        raise OperationalError("could not connect to server")


@pytest.fixture
def shopper(transactional_db):
    buyer = UserFactory()
    _seller_user, sari = seller(name="Keripik Sari")
    chips = ProductFactory(enterprise=sari, price=15000, stock=10)
    cart_with((chips, 2), user=buyer)
    client = Client()
    client.force_login(buyer)
    return client, sari


def test_an_order_stands_when_its_emails_cannot_be_queued(english, shopper, monkeypatch,
                                                          caplog):
    client, sari = shopper
    monkeypatch.setattr(cms_tasks, "notification_email_send", _QueueDown())

    response = client.post("/checkout/", checkout_data(sari))

    order = Order.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/orders/{order.number}/")
    assert Notification.objects.exists()  # the in-app copy is the record
    assert "in on_commit()" in caplog.text


def test_an_order_stands_when_the_database_goes_after_the_commit(english, shopper,
                                                                 monkeypatch, caplog):
    client, sari = shopper

    def unreachable(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(market_notifications, "order_placed", unreachable)

    response = client.post("/checkout/", checkout_data(sari))

    assert response.status_code == 302
    assert Order.objects.count() == 1
    assert Product.objects.get().stock == 8


def test_an_unexpected_error_is_the_sites_own_500_page(rf):
    from cms.views import server_error

    response = server_error(rf.get("/products/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert '<p class="error-page__code">500</p>' in content
    assert "css/guyub" in content and "Guyub</a>" in content
