"""The catalogue pages and the seller's product dashboard: filters, permissions, forms, queries."""

import pytest
from django.core.cache import cache
from wagtail.images import get_image_model

from marketplace.models import Product, ProductPhoto
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
from tests.helpers import count_queries, image_upload

pytestmark = pytest.mark.django_db

Image = get_image_model()


def _slugs(response) -> list[str]:
    assert response.status_code == 200
    return [product.slug for product in response.context["page"].object_list]


def _form_data(**overrides):
    data = {
        "title": "Keripik Singkong Balado", "category": CategoryFactory().pk,
        "description": "Pedas manis.", "price": "15000", "unit": "pack", "stock": "20",
        "min_order": "1", "is_active": "on",
    }
    return {**data, **overrides}


# The catalogue page


@pytest.fixture
def catalogue():
    sleman = RegencyFactory(name="Kabupaten Sleman", parent=ProvinceFactory(name="DI Yogyakarta"))
    banyumas = RegencyFactory(name="Kabupaten Banyumas")
    temanggung = RegencyFactory(name="Kabupaten Temanggung")
    coffee = CategoryFactory(name="Kopi", name_en="Coffee",
                             parent=TopCategoryFactory(name="Minuman", slug="minuman"))
    sari = EnterpriseFactory(name="Usaha Sari", slug="usaha-sari", regency=banyumas)
    makmur = EnterpriseFactory(name="Kopi Makmur", slug="kopi-makmur", regency=temanggung)
    rina = EnterpriseFactory(name="Batik Rina", slug="batik-rina", regency=sleman)
    return {
        "chips": ProductFactory(enterprise=sari, title="Keripik Singkong", slug="chips",
                                price=15000, stock=10),
        "crackers": ProductFactory(enterprise=sari, title="Kerupuk Udang", slug="crackers",
                                   price=25000, stock=0,
                                   category=CategoryFactory(name="Kerupuk",
                                                            name_en="Crackers")),
        "coffee": ProductFactory(enterprise=makmur, title="Kopi Robusta", slug="coffee",
                                 price=60000, stock=3, category=coffee),
        "snack": ProductFactory(enterprise=rina, title="Keripik Tempe", slug="snack",
                                price=12000, stock=5),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"chips", "crackers", "coffee", "snack"}),
        ({"q": "kerip sing"}, {"chips"}),
        ({"q": "keripik"}, {"chips", "snack"}),
        ({"q": "kopi"}, {"coffee"}),
        ({"q": "keripik kopi"}, set()),
        ({"category": "makanan-minuman"}, {"chips", "crackers", "snack"}),
        ({"category": "kerupuk"}, {"crackers"}),
        ({"min_price": "15000"}, {"chips", "crackers", "coffee"}),
        ({"max_price": "15000"}, {"chips", "snack"}),
        ({"province": "di-yogyakarta"}, {"snack"}),
        ({"regency": "kabupaten-banyumas"}, {"chips", "crackers"}),
        ({"enterprise": "kopi-makmur"}, {"coffee"}),
        ({"in_stock": "true"}, {"chips", "coffee", "snack"}),
        ({"q": "keripik", "province": "jawa-tengah"}, {"chips"}),
    ],
)
def test_catalogue_filters(client, catalogue, params, expected):
    assert set(_slugs(client.get("/products/", params))) == expected


def test_catalogue_ordering(client, catalogue):
    assert _slugs(client.get("/products/", {"ordering": "price"})) == [
        "snack", "chips", "crackers", "coffee"
    ]
    assert _slugs(client.get("/products/", {"ordering": "-price"}))[0] == "coffee"
    assert _slugs(client.get("/products/")) == ["snack", "coffee", "crackers", "chips"]


@pytest.mark.parametrize(
    "params",
    [
        {"min_price": "abc"},
        {"max_price": "-1"},
        {"province": "atlantis"},
        {"regency": "atlantis"},
        {"category": "no-such-category"},
        {"ordering": "bogus"},
        {"page": "abc"},
        {"page": "9999"},
        {"in_stock": "maybe"},
    ],
)
def test_invalid_filter_values_still_show_the_page(client, catalogue, params):
    response = client.get("/products/", params)

    assert response.status_code == 200
    assert len(_slugs(response)) == 4


def test_category_counts_ignore_the_category_filter_but_follow_the_others(client, catalogue):
    response = client.get("/products/", {"category": "minuman"})
    counts = {category.slug: count for category, count in response.context["category_counts"]}
    assert counts == {"makanan-minuman": 3, "minuman": 1}
    assert _slugs(response) == ["coffee"]

    response = client.get("/products/", {"category": "minuman", "q": "keripik"})
    counts = {category.slug: count for category, count in response.context["category_counts"]}
    assert counts == {"makanan-minuman": 2}
    assert _slugs(response) == []


def test_category_counts_are_shown_next_to_each_choice(client, catalogue):
    content = client.get("/products/").content.decode()

    assert 'value="makanan-minuman"' in content
    assert 'value="minuman"' in content
    assert '<span class="count">3</span>' in content
    assert '<span class="count">1</span>' in content


def test_catalogue_pages_hold_24_products(client):
    enterprise = EnterpriseFactory()
    ProductFactory.create_batch(30, enterprise=enterprise)

    first = client.get("/products/")
    second = client.get("/products/", {"page": "2"})

    assert len(_slugs(first)) == 24
    assert len(_slugs(second)) == 6
    assert not set(_slugs(first)) & set(_slugs(second))
    assert b'rel="next"' in first.content


def test_catalogue_shows_price_in_rupiah_and_links_each_product(client, catalogue):
    content = client.get("/products/").content.decode()

    assert "Rp 15.000" in content
    assert 'href="/products/chips/"' in content


def test_an_htmx_request_gets_only_the_results(client, catalogue):
    response = client.get("/products/", {"q": "kopi"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="results"' in content
    assert "<html" not in content
    assert "Kopi Robusta" in content
    assert "Keripik Singkong" not in content


def test_the_english_catalogue_lives_under_en(client, catalogue):
    response = client.get("/en/products/", {"category": "minuman"})

    assert response.status_code == 200
    assert _slugs(response) == ["coffee"]
    assert "Rp 60.000" in response.content.decode()


def test_only_get_and_head_reach_the_catalogue(client):
    assert client.post("/products/").status_code == 405


# The product page


def test_product_page_shows_the_product_and_a_whatsapp_link(client):
    product = ProductPhotoFactory(product=ProductFactory(
        title="Keripik Singkong", price=15000, enterprise=EnterpriseFactory(name="Keripik Sari")
    )).product

    response = client.get(f"/products/{product.slug}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Keripik Singkong" in content
    assert "Rp 15.000" in content
    assert "Keripik Sari" in content
    assert "https://wa.me/6281234567890?text=" in content
    assert ".webp" in content


@pytest.mark.parametrize(
    "hidden", [{"is_active": False}, {"enterprise__is_active": False}], ids=["product", "seller"]
)
def test_hidden_products_are_404(client, hidden):
    product = ProductFactory(**hidden)

    assert client.get(f"/products/{product.slug}/").status_code == 404
    assert client.get("/products/no-such-product/").status_code == 404


# Creating and editing products in the dashboard


def test_anonymous_visitors_are_sent_to_log_in(client):
    product = ProductFactory()
    urls = [
        f"/dashboard/enterprises/{product.enterprise.slug}/products/new/",
        f"/dashboard/products/{product.slug}/edit/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    response = client.post(f"/dashboard/products/{product.slug}/toggle/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    product.refresh_from_db()
    assert product.is_active


def test_a_seller_creates_a_product_with_photos(client):
    user, enterprise = seller()
    client.force_login(user)
    url = f"/dashboard/enterprises/{enterprise.slug}/products/new/"
    assert client.get(url).status_code == 200

    response = client.post(url, _form_data(
        photo_uploads=[image_upload("depan.jpg"), image_upload("belakang.png", "PNG")]
    ))

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    product = Product.objects.get()
    assert product.enterprise == enterprise
    assert product.title == "Keripik Singkong Balado"
    assert product.price == 15000
    photos = list(product.photos.order_by("sort_order"))
    assert len(photos) == 2
    assert (photos[0].image.width, photos[0].image.height) == (64, 48)
    assert photos[1].image.file.name.endswith(".png")
    assert photos[0].image.uploaded_by_user == user
    public = client.get(f"/products/{product.slug}/")
    assert public.status_code == 200
    assert public.content.count(b"<img") >= 2


def test_the_dashboard_confirms_a_new_product(client):
    user, enterprise = seller()
    client.force_login(user)

    response = client.post(f"/dashboard/enterprises/{enterprise.slug}/products/new/",
                           _form_data(), follow=True)

    assert response.status_code == 200
    assert "Keripik Singkong Balado" in response.content.decode()
    assert [str(message) for message in response.context["messages"]]


def test_a_product_without_photos_is_fine(client):
    user, enterprise = seller()
    client.force_login(user)

    response = client.post(f"/dashboard/enterprises/{enterprise.slug}/products/new/",
                           _form_data())

    assert response.status_code == 302
    assert Product.objects.get().photos.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": "-1000"}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": str(10**19)}, "price"),
        ({"min_order": "0"}, "min_order"),
        ({"stock": "-3"}, "stock"),
        ({"title": ""}, "title"),
        ({"category": ""}, "category"),
        ({"unit": "tonne"}, "unit"),
    ],
)
def test_invalid_product_values_show_a_message(client, changes, field):
    user, enterprise = seller()
    client.force_login(user)

    response = client.post(f"/dashboard/enterprises/{enterprise.slug}/products/new/",
                           _form_data(**changes))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    for message in errors[field]:
        assert message in response.content.decode().replace("&#x27;", "'")
    assert "field--invalid" in response.content.decode()
    assert not Product.objects.exists()


def test_a_top_category_cannot_be_chosen(client):
    user, enterprise = seller()
    client.force_login(user)
    top = TopCategoryFactory()

    response = client.post(f"/dashboard/enterprises/{enterprise.slug}/products/new/",
                           _form_data(category=top.pk))

    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert not Product.objects.exists()


def test_at_most_eight_photos(client):
    user, enterprise = seller()
    client.force_login(user)

    response = client.post(f"/dashboard/enterprises/{enterprise.slug}/products/new/",
                           _form_data(photo_uploads=[image_upload(f"{n}.jpg") for n in range(9)]))

    assert response.status_code == 200
    assert response.context["form"].errors["photo_uploads"]
    assert not Product.objects.exists()
    assert not Image.objects.exists()


def test_a_seller_edits_a_product_and_removes_a_photo(client):
    user, enterprise = seller()
    product = ProductFactory(enterprise=enterprise, price=15000)
    kept = ProductPhotoFactory(product=product, sort_order=0)
    removed = ProductPhotoFactory(product=product, sort_order=1)
    client.force_login(user)
    url = f"/dashboard/products/{product.slug}/edit/"
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert f'value="{removed.pk}"' in form_page.content.decode()

    response = client.post(url, _form_data(
        category=product.category.pk, price="17500", remove_photos=[removed.pk],
        photo_uploads=[image_upload("baru.jpg")],
    ))

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.price == 17500
    photos = list(product.photos.order_by("sort_order", "pk"))
    assert len(photos) == 2
    assert photos[0] == kept
    assert not ProductPhoto.objects.filter(pk=removed.pk).exists()


def test_a_seller_cannot_remove_another_products_photo(client):
    user, enterprise = seller()
    product = ProductFactory(enterprise=enterprise)
    ProductPhotoFactory(product=product)
    others = ProductPhotoFactory()
    client.force_login(user)

    response = client.post(f"/dashboard/products/{product.slug}/edit/", _form_data(
        category=product.category.pk, remove_photos=[others.pk],
    ))

    assert response.status_code == 200
    assert "remove_photos" in response.context["form"].errors
    assert ProductPhoto.objects.filter(pk=others.pk).exists()


def test_staff_of_the_enterprise_may_edit_its_products(client):
    product = ProductFactory()
    staff = EnterpriseMemberFactory(enterprise=product.enterprise, role="staff").user
    client.force_login(staff)

    response = client.post(f"/dashboard/products/{product.slug}/edit/",
                           _form_data(category=product.category.pk, price="9000"))

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.price == 9000


# Denials: someone who does not run the enterprise


def test_a_stranger_cannot_add_products_to_an_enterprise(client, stranger):
    enterprise = EnterpriseFactory()
    url = f"/dashboard/enterprises/{enterprise.slug}/products/new/"

    assert client.get(url).status_code == 403
    response = client.post(url, _form_data(photo_uploads=[image_upload()]))

    assert response.status_code == 403
    assert not Product.objects.exists()
    assert not Image.objects.exists()


def test_a_stranger_cannot_edit_a_product(client, stranger):
    product = ProductFactory(price=15000)
    url = f"/dashboard/products/{product.slug}/edit/"

    assert client.get(url).status_code == 403
    response = client.post(url, _form_data(category=product.category.pk, price="1"))

    assert response.status_code == 403
    product.refresh_from_db()
    assert product.price == 15000


def test_a_stranger_cannot_hide_a_product(client, stranger):
    product = ProductFactory()

    response = client.post(f"/dashboard/products/{product.slug}/toggle/")

    assert response.status_code == 403
    product.refresh_from_db()
    assert product.is_active


def test_a_user_without_an_enterprise_is_refused_too(client):
    product = ProductFactory()
    client.force_login(UserFactory())

    assert client.get(f"/dashboard/products/{product.slug}/edit/").status_code == 403
    assert client.post(f"/dashboard/products/{product.slug}/toggle/").status_code == 403


def test_unknown_products_and_enterprises_are_404_in_the_dashboard(client, stranger):
    assert client.get("/dashboard/enterprises/nope/products/new/").status_code == 404
    assert client.get("/dashboard/products/nope/edit/").status_code == 404
    assert client.post("/dashboard/products/nope/toggle/").status_code == 404


# Hiding and showing


def test_toggle_needs_post(client):
    user, enterprise = seller()
    product = ProductFactory(enterprise=enterprise)
    client.force_login(user)

    response = client.get(f"/dashboard/products/{product.slug}/toggle/")

    assert response.status_code == 405
    product.refresh_from_db()
    assert product.is_active


def test_a_hidden_product_vanishes_for_buyers_but_stays_on_the_dashboard(client):
    user, enterprise = seller()
    product = ProductPhotoFactory(product=ProductFactory(enterprise=enterprise)).product
    client.force_login(user)

    response = client.post(f"/dashboard/products/{product.slug}/toggle/")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    product.refresh_from_db()
    assert not product.is_active
    assert client.get(f"/products/{product.slug}/").status_code == 404
    assert _slugs(client.get("/products/")) == []
    assert client.get("/api/v1/products/").json()["count"] == 0
    assert client.get(f"/api/v1/products/{product.pk}/").status_code == 404
    dashboard = client.get("/dashboard/")
    assert product in dashboard.context["page"].object_list
    assert product.title in dashboard.content.decode()

    client.post(f"/dashboard/products/{product.slug}/toggle/")

    product.refresh_from_db()
    assert product.is_active
    assert client.get(f"/products/{product.slug}/").status_code == 200
    assert _slugs(client.get("/products/")) == [product.slug]


# Queries do not grow with the number of products


def _products_with_photos(count, **fields):
    return [ProductPhotoFactory(product=ProductFactory(**fields)).product for _ in range(count)]


@pytest.mark.parametrize("params", ["", "?q=keripik", "?category=makanan-minuman&ordering=price"])
def test_the_catalogue_costs_the_same_queries_for_3_or_30_products(client, params):
    url = "/products/" + params
    _products_with_photos(3)
    few = count_queries(client, url)

    _products_with_photos(27)
    many = count_queries(client, url)

    assert few == many


def test_the_product_page_costs_the_same_queries_with_3_or_30_products(client):
    enterprise = EnterpriseFactory()
    product = _products_with_photos(1, enterprise=enterprise,
                                    category=CategoryFactory(name="Madu"))[0]
    ProductPhotoFactory(product=product, sort_order=1)
    _products_with_photos(2, enterprise=enterprise)
    url = f"/products/{product.slug}/"
    few = count_queries(client, url)

    _products_with_photos(27, enterprise=enterprise)
    many = count_queries(client, url)

    cache.clear()  # the page is rendered again, not served from the page cache
    assert len(client.get(url).context["related"]) == 4
    assert few == many


def test_the_dashboard_costs_the_same_queries_with_3_or_30_products(client):
    user, enterprise = seller()
    client.force_login(user)
    _products_with_photos(3, enterprise=enterprise)
    few = count_queries(client, "/dashboard/")

    _products_with_photos(27, enterprise=enterprise, is_active=False)
    many = count_queries(client, "/dashboard/")

    assert few == many
