import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from marketplace.context_processors import cart as cart_context
from marketplace.models import Cart, CartLine
from marketplace.selectors.orders import cart_by_seller
from marketplace.services import cart as services
from tests.factories import EnterpriseFactory, ProductFactory, UserFactory, cart_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


def line_quantities(cart: Cart) -> dict[int, int]:
    return dict(cart.lines.values_list("product_id", "quantity"))


# Setting lines


def test_a_line_is_added_changed_and_removed():
    cart = services.cart_create()
    product = ProductFactory(stock=10)
    services.cart_line_set(cart=cart, product=product, quantity=2)
    services.cart_line_set(cart=cart, product=product, quantity=5)
    assert line_quantities(cart) == {product.pk: 5}
    assert services.cart_line_set(cart=cart, product=product, quantity=0) is None
    assert not cart.lines.exists()


@pytest.mark.parametrize("fields, quantity, message", [
    ({"min_order": 5}, 3, "“Keripik Balado”: the minimum order is 5 pack."),
    ({"stock": 4}, 6, "“Keripik Balado”: only 4 pack left in stock."),
    ({"stock": 0}, 1, "“Keripik Balado” is sold out."),
    ({"is_active": False}, 1, "“Keripik Balado” is no longer for sale."),
])
def test_quantities_the_product_cannot_take_are_refused_naming_it(fields, quantity, message):
    cart = services.cart_create()
    product = ProductFactory(title="Keripik Balado", unit="pack", **({"stock": 10} | fields))
    with pytest.raises(ValidationError) as error:
        services.cart_line_set(cart=cart, product=product, quantity=quantity)
    assert error.value.messages == [message]
    assert not cart.lines.exists()


def test_a_product_of_a_closed_enterprise_cannot_be_added():
    product = ProductFactory(enterprise=EnterpriseFactory(is_active=False))
    with pytest.raises(ValidationError):
        services.cart_line_set(cart=services.cart_create(), product=product, quantity=1)


def test_stock_is_read_fresh_not_from_the_object_passed_in():
    product = ProductFactory(stock=10)
    product.__class__.objects.filter(pk=product.pk).update(stock=1)
    with pytest.raises(ValidationError, match="only 1"):
        services.cart_line_set(cart=services.cart_create(), product=product, quantity=3)


def test_adding_again_adds_to_the_line_within_stock():
    cart = services.cart_create()
    product = ProductFactory(stock=5)
    services.cart_add(cart=cart, product=product, quantity=2)
    services.cart_add(cart=cart, product=product, quantity=3)
    assert line_quantities(cart) == {product.pk: 5}
    with pytest.raises(ValidationError, match="only 5"):
        services.cart_add(cart=cart, product=product, quantity=1)
    assert line_quantities(cart) == {product.pk: 5}


def test_adding_nothing_is_refused():
    with pytest.raises(ValidationError):
        services.cart_add(cart=services.cart_create(), product=ProductFactory(), quantity=0)


def test_a_line_of_another_cart_is_not_removed():
    mine, theirs = services.cart_create(), services.cart_create()
    line = services.cart_line_set(cart=theirs, product=ProductFactory(), quantity=1)
    assert services.cart_line_remove(cart=mine, line_id=line.pk) is False
    assert CartLine.objects.filter(pk=line.pk).exists()
    assert services.cart_line_remove(cart=theirs, line_id=line.pk) is True
    assert not CartLine.objects.filter(pk=line.pk).exists()


# Finding carts


def test_a_users_cart_is_never_found_by_its_id():
    user = UserFactory()
    own = services.cart_create(user=user)
    assert services.cart_get(cart_id=own.pk) is None
    assert services.cart_get(user=user) == own
    anonymous = services.cart_create()
    assert services.cart_get(cart_id=str(anonymous.pk)) == anonymous
    assert services.cart_get(cart_id="not-a-number") is None
    assert services.cart_get(user=AnonymousUser()) is None


def test_a_user_has_one_cart():
    user = UserFactory()
    assert services.cart_create(user=user) == services.cart_create(user=user)


# Merging


def test_merge_adds_quantities_capped_at_stock_and_deletes_the_source():
    chips, coffee, batik = ProductFactory(stock=6), ProductFactory(stock=50), ProductFactory()
    hidden = ProductFactory()
    user = UserFactory()
    target = cart_with((chips, 4), (coffee, 1), user=user)
    source = cart_with((chips, 5), (batik, 2), (hidden, 1))
    hidden.is_active = False
    hidden.save()

    merged = services.cart_merge(source=source, target=target)

    assert merged == target
    assert line_quantities(target) == {chips.pk: 6, coffee.pk: 1, batik.pk: 2}
    assert not Cart.objects.filter(pk=source.pk).exists()


def test_claim_gives_the_anonymous_cart_to_a_user_without_one():
    user = UserFactory()
    product = ProductFactory()
    cart = cart_with((product, 2))
    assert services.cart_claim(cart=cart, user=user) == cart
    cart.refresh_from_db()
    assert cart.user == user


# Merge on login (the user_logged_in receiver)


def test_logging_in_merges_the_session_cart_into_the_users_cart(client):
    user = UserFactory()
    chips, coffee = ProductFactory(stock=10), ProductFactory(stock=10)
    cart_with((chips, 1), user=user)
    client.post(f"/cart/add/{chips.pk}/", {"quantity": 2})
    client.post(f"/cart/add/{coffee.pk}/", {"quantity": 3})
    anonymous = Cart.objects.get(user__isnull=True)

    response = client.post("/accounts/login/", {"username": user.username,
                                                 "password": "sandi-rahasia-123"})

    assert response.status_code == 302
    assert line_quantities(user.cart) == {chips.pk: 3, coffee.pk: 3}
    assert not Cart.objects.filter(pk=anonymous.pk).exists()
    assert "cart_id" not in client.session


def test_logging_in_without_a_cart_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    assert not Cart.objects.exists()


def test_a_session_cannot_claim_someone_elses_cart(client):
    victim, attacker = UserFactory(), UserFactory()
    victims_cart = cart_with((ProductFactory(), 1), user=victim)
    session = client.session
    session["cart_id"] = victims_cart.pk
    session.save()
    client.force_login(attacker)
    victims_cart.refresh_from_db()
    assert victims_cart.user == victim
    assert not Cart.objects.filter(user=attacker).exists()


# The header's count


def _request(user=None, cart_id=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    if cart_id:
        request.session["cart_id"] = cart_id
    return request


def test_the_count_costs_nothing_for_a_visitor_without_a_cart(django_assert_num_queries):
    request = _request()
    with django_assert_num_queries(0):
        assert cart_context(request) == {"cart_count": 0}


def test_the_count_is_one_query(django_assert_num_queries):
    user = UserFactory()
    cart_with((ProductFactory(), 2), (ProductFactory(), 1), user=user)
    anonymous = cart_with((ProductFactory(), 1))
    with django_assert_num_queries(1):
        assert cart_context(_request(user=user)) == {"cart_count": 2}
    with django_assert_num_queries(1):
        assert cart_context(_request(cart_id=anonymous.pk)) == {"cart_count": 1}


# Grouping by seller


def test_the_cart_groups_lines_by_seller_with_subtotals_and_problems():
    sari, kopi = EnterpriseFactory(name="Keripik Sari"), EnterpriseFactory(name="Kopi Sindoro")
    chips = ProductFactory(enterprise=sari, price=15000)
    banana = ProductFactory(enterprise=sari, price=12000, stock=1)
    coffee = ProductFactory(enterprise=kopi, price=85000)
    cart = cart_with((chips, 2), (coffee, 1), (banana, 3))

    view = cart_by_seller(cart=cart)

    assert [group.enterprise for group in view.groups] == [sari, kopi]
    assert [group.subtotal for group in view.groups] == [2 * 15000 + 3 * 12000, 85000]
    assert view.total == 2 * 15000 + 3 * 12000 + 85000
    problems = {item.product: item.problem for group in view.groups for item in group.lines}
    assert problems[chips] == "" and problems[coffee] == ""
    assert "Only 1" in problems[banana]
    assert view.has_problems
    assert cart_by_seller(cart=None).groups == []
