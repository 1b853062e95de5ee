"""/api/v1/products/: fields, filters, pagination, authentication, permissions, errors, schema."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from marketplace.models import Product
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProductFactory,
    ProductPhotoFactory,
    ProvinceFactory,
    RegencyFactory,
    TopCategoryFactory,
    UserFactory,
    seller,
)
from tests.helpers import api_slugs, assert_api_error, count_queries

pytestmark = pytest.mark.django_db

LIST = "/api/v1/products/"


def detail(product) -> str:
    return f"{LIST}{product.pk}/"


@pytest.fixture
def token_client():
    """A client and the user it acts as, authenticated by an API token (no session)."""

    def make(user):
        token = Token.objects.create(user=user)
        return Client(HTTP_AUTHORIZATION=f"Token {token.key}")

    return make


def _new_product(enterprise, **overrides):
    body = {
        "enterprise": enterprise.slug, "category": CategoryFactory().slug,
        "title": "Keripik Singkong Pedas", "description": "Level 3.", "price": 18000,
        "unit": "pack", "stock": 40, "min_order": 2,
    }
    return {**body, **overrides}


# Reading


def test_product_fields(client):
    sari = EnterpriseFactory(name="Keripik Sari", slug="keripik-sari",
                             regency=RegencyFactory(name="Kabupaten Banyumas"))
    photo = ProductPhotoFactory(product=ProductFactory(
        enterprise=sari, title="Keripik Singkong", slug="keripik-singkong", price=15000,
        unit="pack", stock=7,
    ))

    response = client.get(LIST)

    assert response.status_code == 200
    item = response.json()["results"][0]
    assert item["id"] == photo.product.pk
    assert item["slug"] == "keripik-singkong"
    assert item["title"] == "Keripik Singkong"
    assert item["price"] == 15000 and isinstance(item["price"], int)
    assert item["unit"] == "pack"
    assert item["stock"] == 7
    assert item["min_order"] == 1
    assert item["category"] == "keripik"
    assert item["enterprise"] == {"slug": "keripik-sari", "name": "Keripik Sari"}
    assert item["province"] == "jawa-tengah"
    assert item["regency"] == "kabupaten-banyumas"
    assert item["url"] == "/products/keripik-singkong/"
    assert len(item["images"]) == 1
    assert item["images"][0].startswith("http://testserver/")
    assert item["images"][0].endswith(".webp")


def test_product_detail_by_id(client):
    product = ProductFactory()

    response = client.get(detail(product))

    assert response.status_code == 200
    assert response.json()["slug"] == product.slug
    assert response.json()["images"] == []


@pytest.mark.parametrize(
    "hidden", [{"is_active": False}, {"enterprise__is_active": False}], ids=["product", "seller"]
)
def test_hidden_products_are_not_listed_and_their_detail_is_404(client, hidden):
    shown = ProductFactory()
    product = ProductFactory(**hidden)

    assert api_slugs(client.get(LIST)) == [shown.slug]
    assert_api_error(client.get(detail(product)), 404)


def test_an_unknown_product_is_a_json_404(client):
    assert_api_error(client.get(f"{LIST}999999/"), 404)


def test_pagination_shape(client):
    enterprise = EnterpriseFactory()
    ProductFactory.create_batch(3, enterprise=enterprise)

    first = client.get(LIST, {"page_size": 2}).json()
    second = client.get(LIST, {"page_size": 2, "page": 2}).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/products/?")
    assert "page=2" in first["next"]
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"]


def test_page_size_is_capped_at_100(client):
    enterprise = EnterpriseFactory()
    category = CategoryFactory()
    Product.objects.bulk_create(
        Product(enterprise=enterprise, category=category, title=f"Produk {n}",
                slug=f"produk-{n}", price=1000 + n)
        for n in range(105)
    )

    big = client.get(LIST, {"page_size": 500}).json()
    default = client.get(LIST).json()

    assert big["count"] == 105
    assert len(big["results"]) == 100
    assert len(default["results"]) == 20


def test_a_page_past_the_end_is_a_json_404(client):
    ProductFactory()

    assert_api_error(client.get(LIST, {"page": 5}), 404)


# Filters


@pytest.fixture
def catalogue():
    """Three sellers in two provinces; products across two top categories."""
    yogya = ProvinceFactory(name="DI Yogyakarta")
    sleman = RegencyFactory(name="Kabupaten Sleman", parent=yogya)
    banyumas = RegencyFactory(name="Kabupaten Banyumas")
    temanggung = RegencyFactory(name="Kabupaten Temanggung")
    drinks = TopCategoryFactory(name="Minuman", slug="minuman")
    coffee = CategoryFactory(name="Kopi", parent=drinks)
    sari = EnterpriseFactory(name="Keripik Sari", slug="keripik-sari", regency=banyumas)
    makmur = EnterpriseFactory(name="Kopi Makmur", slug="kopi-makmur", regency=temanggung)
    rina = EnterpriseFactory(name="Batik Rina", slug="batik-rina", regency=sleman)
    return {
        "chips": ProductFactory(enterprise=sari, title="Keripik Singkong", slug="chips",
                                price=15000, stock=10),
        "crackers": ProductFactory(enterprise=sari, title="Kerupuk Udang", slug="crackers",
                                   price=25000, stock=0,
                                   category=CategoryFactory(name="Kerupuk")),
        "coffee": ProductFactory(enterprise=makmur, title="Kopi Robusta", slug="coffee",
                                 price=60000, stock=3, category=coffee),
        "snack": ProductFactory(enterprise=rina, title="Keripik Tempe Sleman", slug="snack",
                                price=12000, stock=5),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "kerip sing"}, {"chips"}),
        ({"search": "kerip sing"}, {"chips"}),
        ({"search": "kopi"}, {"coffee"}),
        ({"q": "keripik"}, {"chips", "crackers", "snack"}),  # "Keripik Sari" sells crackers
        ({"q": "kerupuk"}, {"crackers"}),
        ({"q": "keripik kopi"}, set()),
        ({"category": "makanan-minuman"}, {"chips", "crackers", "snack"}),
        ({"category": "minuman"}, {"coffee"}),
        ({"category": "kerupuk"}, {"crackers"}),
        ({"min_price": 15000}, {"chips", "crackers", "coffee"}),
        ({"max_price": 15000}, {"chips", "snack"}),
        ({"min_price": 14000, "max_price": 30000}, {"chips", "crackers"}),
        ({"province": "jawa-tengah"}, {"chips", "crackers", "coffee"}),
        ({"province": "di-yogyakarta"}, {"snack"}),
        ({"regency": "kabupaten-banyumas"}, {"chips", "crackers"}),
        ({"regency": "kabupaten-temanggung"}, {"coffee"}),
        ({"enterprise": "keripik-sari"}, {"chips", "crackers"}),
        ({"enterprise": "no-such-seller"}, set()),
        ({"in_stock": "true"}, {"chips", "coffee", "snack"}),
        ({"in_stock": "false"}, {"chips", "crackers", "coffee", "snack"}),
        ({"q": "keripik", "province": "jawa-tengah", "in_stock": "true"}, {"chips"}),
    ],
)
def test_list_filters(client, catalogue, params, expected):
    assert set(api_slugs(client.get(LIST, params))) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", ["snack", "chips", "crackers", "coffee"]),
        ("-price", ["coffee", "crackers", "chips", "snack"]),
        ("title", ["chips", "snack", "crackers", "coffee"]),
        ("newest", ["snack", "coffee", "crackers", "chips"]),
    ],
)
def test_list_ordering(client, catalogue, ordering, expected):
    assert api_slugs(client.get(LIST, {"ordering": ordering})) == expected


def test_the_default_order_is_newest_first(client, catalogue):
    assert api_slugs(client.get(LIST)) == ["snack", "coffee", "crackers", "chips"]


def test_relevance_ordering_works_with_and_without_a_search(client, catalogue):
    assert set(api_slugs(client.get(LIST, {"q": "tempe", "ordering": "relevance"}))) == {"snack"}
    assert len(api_slugs(client.get(LIST, {"ordering": "relevance"}))) == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_price": "abc"}, "min_price"),
        ({"max_price": "-5"}, "max_price"),
        ({"province": "atlantis"}, "province"),
        ({"regency": "jawa-tengah"}, "regency"),
        ({"category": "no-such-category"}, "category"),
        ({"ordering": "cheapest-first"}, "ordering"),
    ],
)
def test_invalid_filters_are_a_400_with_field_errors(client, catalogue, params, field):
    assert_api_error(client.get(LIST, params), 400, field)


# Authentication and writing


def test_a_seller_creates_a_product_with_a_token(token_client):
    user, enterprise = seller()
    api = token_client(user)

    response = api.post(LIST, _new_product(enterprise), content_type="application/json")

    assert response.status_code == 201, response.content
    body = response.json()
    product = Product.objects.get(pk=body["id"])
    assert product.enterprise == enterprise
    assert product.title == "Keripik Singkong Pedas"
    assert product.price == 18000
    assert product.min_order == 2
    assert product.is_active
    assert "keripik singkong pedas" in product.search_document
    assert body["slug"] == product.slug == "keripik-singkong-pedas"
    assert body["enterprise"] == {"slug": enterprise.slug, "name": enterprise.name}


def test_a_seller_creates_a_product_with_a_session(client):
    user, enterprise = seller()
    client.force_login(user)

    response = client.post(LIST, _new_product(enterprise), content_type="application/json")

    assert response.status_code == 201, response.content


def test_session_writes_need_the_csrf_token():
    user, enterprise = seller()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post(LIST, _new_product(enterprise), content_type="application/json")

    assert_api_error(response, 403)
    assert not Product.objects.exists()


def test_a_bad_token_is_refused():
    enterprise = EnterpriseFactory()
    api = Client(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api.post(LIST, _new_product(enterprise), content_type="application/json")

    assert response.status_code in (401, 403)
    assert_api_error(response, response.status_code)
    assert not Product.objects.exists()


def test_a_token_also_reads(token_client):
    ProductFactory()

    assert len(api_slugs(token_client(UserFactory()).get(LIST))) == 1


def test_a_seller_updates_their_product(token_client):
    user, enterprise = seller()
    product = ProductFactory(enterprise=enterprise, price=15000)
    api = token_client(user)

    patched = api.patch(detail(product), {"price": 17000, "stock": 0},
                        content_type="application/json")
    put = api.put(detail(product), _new_product(enterprise, title="Keripik Original"),
                  content_type="application/json")

    assert patched.status_code == 200, patched.content
    assert patched.json()["price"] == 17000
    assert put.status_code == 200, put.content
    product.refresh_from_db()
    assert product.title == "Keripik Original"
    assert product.price == 18000
    assert "keripik original" in product.search_document


def test_a_staff_member_of_the_enterprise_may_update_its_products(token_client):
    product = ProductFactory()
    staff = EnterpriseMemberFactory(enterprise=product.enterprise, role="staff").user

    response = token_client(staff).patch(detail(product), {"stock": 99},
                                         content_type="application/json")

    assert response.status_code == 200
    product.refresh_from_db()
    assert product.stock == 99


def test_a_seller_can_update_and_show_again_a_hidden_product(token_client):
    user, enterprise = seller()
    product = ProductFactory(enterprise=enterprise, is_active=False)

    response = token_client(user).patch(detail(product), {"is_active": True},
                                        content_type="application/json")

    assert response.status_code == 200, response.content
    product.refresh_from_db()
    assert product.is_active


def test_creating_for_someone_elses_enterprise_is_refused(token_client):
    user, _mine = seller()
    theirs = EnterpriseFactory()

    response = token_client(user).post(LIST, _new_product(theirs),
                                       content_type="application/json")

    assert response.status_code in (400, 403)
    body = assert_api_error(response, response.status_code)
    assert body["message"]
    assert not Product.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put"])
def test_changing_someone_elses_product_is_403(token_client, method):
    user, mine = seller()
    product = ProductFactory(price=15000)

    response = getattr(token_client(user), method)(
        detail(product), _new_product(mine, price=1), content_type="application/json"
    )

    body = assert_api_error(response, 403)
    assert body["errors"] == {}
    product.refresh_from_db()
    assert product.price == 15000


def test_a_seller_cannot_move_a_product_to_another_enterprise(token_client):
    user, first = seller()
    second = EnterpriseFactory()
    EnterpriseMemberFactory(enterprise=second, user=user)
    product = ProductFactory(enterprise=first)

    response = token_client(user).patch(detail(product), {"enterprise": second.slug},
                                        content_type="application/json")

    assert_api_error(response, 400, "enterprise")
    product.refresh_from_db()
    assert product.enterprise == first


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_anonymous_writes_are_refused(client, method):
    product = ProductFactory(price=15000)
    url = LIST if method == "post" else detail(product)

    response = getattr(client, method)(url, _new_product(product.enterprise, price=1),
                                       content_type="application/json")

    assert response.status_code in (401, 403)
    assert_api_error(response, response.status_code)
    product.refresh_from_db()
    assert product.price == 15000
    assert Product.objects.count() == 1


def test_delete_is_not_allowed(token_client):
    user, enterprise = seller()
    product = ProductFactory(enterprise=enterprise)

    response = token_client(user).delete(detail(product))

    assert_api_error(response, 405)
    assert Product.objects.filter(pk=product.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": -5}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": 1.5}, "price"),
        ({"price": 10**19}, "price"),
        ({"stock": -1}, "stock"),
        ({"min_order": 0}, "min_order"),
        ({"title": ""}, "title"),
        ({"unit": "tonne"}, "unit"),
        ({"category": "no-such-category"}, "category"),
        ({"category": "makanan-minuman"}, "category"),
        ({"enterprise": "no-such-seller"}, "enterprise"),
    ],
)
def test_an_invalid_body_is_a_400_with_field_errors(token_client, changes, field):
    user, enterprise = seller()
    TopCategoryFactory()

    body = {**_new_product(enterprise), **changes}

    response = token_client(user).post(LIST, body, content_type="application/json")

    assert_api_error(response, 400, field)
    assert not Product.objects.exists()


def test_missing_fields_are_listed(token_client):
    response = token_client(UserFactory()).post(LIST, {}, content_type="application/json")

    body = assert_api_error(response, 400, "title", "price", "category", "enterprise")
    assert body["message"]


def test_malformed_json_is_a_400(token_client):
    user, _enterprise = seller()

    response = token_client(user).post(LIST, "{not json", content_type="application/json")

    assert_api_error(response, 400)


# Performance and schema


def _products_with_photos(count, enterprise):
    for _ in range(count):
        ProductPhotoFactory(product=ProductFactory(enterprise=enterprise))


@pytest.mark.parametrize("params", ["", "?q=keripik", "?category=makanan-minuman&ordering=price"])
def test_the_list_costs_the_same_queries_for_3_or_30_products(client, params):
    enterprise = EnterpriseFactory()
    url = LIST + params
    _products_with_photos(3, enterprise)
    few = count_queries(client, url)

    _products_with_photos(27, EnterpriseFactory())
    many = count_queries(client, url)

    assert len(client.get(url).json()["results"]) == 20
    assert few == many


def test_the_schema_is_openapi_3_and_lists_products(client):
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/products/" in schema["paths"]
    assert "/api/v1/products/{id}/" in schema["paths"]
    assert "/api/v1/enterprises/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/products/"]["get"]["parameters"]}
    assert {"q", "search", "category", "min_price", "province", "page", "page_size"} <= parameters
    assert "delete" not in schema["paths"]["/api/v1/products/{id}/"]


def test_the_docs_page_loads(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert b"/api/v1/schema/" in response.content
