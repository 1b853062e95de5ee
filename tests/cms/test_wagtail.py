"""Wagtail: the home page editors shape, site settings, and the admin's product snippets."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from cms.models import HomePage, SiteSettings
from marketplace.models import Product
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MIGRATED_HERO_TITLE = "Pasar gotong royong untuk usaha desa"
SNIPPET_LISTS = [
    "wagtailsnippets_marketplace_product:list",
    "wagtailsnippets_marketplace_category:list",
    "wagtailsnippets_enterprises_enterprise:list",
]


@pytest.fixture
def home() -> HomePage:
    return HomePage.objects.get(locale__language_code="id")


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def edit_form_data(client, url: str, form_id: str):
    """What the admin's edit form would post back unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id=form_id)


# The home page


def test_home_is_the_migrated_home_page_served_by_wagtail(client, home):
    response = client.get("/")

    assert response.status_code == 200
    assert response.resolver_match.url_name == "home"
    assert isinstance(response.context["page"], HomePage)
    assert response.context["page"].pk == home.pk
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert MIGRATED_HERO_TITLE in response.content.decode()


def test_published_hero_title_shows_but_a_draft_does_not(client, home):
    home.hero_title = "Belanja keripik langsung dari desa"
    home.save_revision().publish()
    assert "Belanja keripik langsung dari desa" in client.get("/").content.decode()

    home.refresh_from_db()
    home.hero_title = "Judul yang belum disetujui"
    home.save_revision()

    content = client.get("/").content.decode()
    assert "Judul yang belum disetujui" not in content
    assert "Belanja keripik langsung dari desa" in content


def test_hero_title_edited_in_the_admin_shows_on_the_home_page(superuser_client, home):
    edit_url = reverse("wagtailadmin_pages:edit", args=[home.pk])
    data = edit_form_data(superuser_client, edit_url, "page-edit-form")
    data["hero_title"] = "Gotong royong dari Banyumas"
    data["action-publish"] = "action-publish"

    response = superuser_client.post(edit_url, data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    assert "Gotong royong dari Banyumas" in superuser_client.get("/").content.decode()


def test_chosen_featured_products_replace_the_newest(client, home):
    chosen = ProductFactory(title="Gula Kelapa Pilihan")
    newer = [ProductFactory(title=f"Produk Terbaru {n}") for n in range(3)]
    home.featured_products.set([chosen])
    home.save_revision().publish()

    response = client.get("/")

    assert response.context["products"] == [chosen]
    content = response.content.decode()
    assert "Gula Kelapa Pilihan" in content
    assert not any(product.title in content for product in newer)


def test_a_featured_product_that_was_deactivated_is_not_shown(client, home):
    hidden = ProductFactory(title="Stok Habis Selamanya", is_active=False)
    home.featured_products.set([hidden])
    home.save_revision().publish()

    response = client.get("/")

    assert response.context["products"] == []
    assert "Stok Habis Selamanya" not in response.content.decode()


def test_without_a_choice_the_home_page_shows_the_newest_products(client):
    products = [ProductFactory() for _ in range(9)]

    response = client.get("/")

    shown = response.context["products"]
    assert len(shown) == 8
    assert shown[0] == products[-1]
    assert products[0] not in shown
    assert products[-1].title in response.content.decode()


def test_site_settings_tagline_shows_in_the_footer(client):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.tagline = "Dari desa, untuk semua"
    site_settings.save()

    for url in ("/", "/products/"):
        content = client.get(url).content.decode()
        footer = content[content.index("<footer"):]
        assert "Dari desa, untuk semua" in footer, url


# The Wagtail admin


@pytest.mark.parametrize("url_name", SNIPPET_LISTS)
def test_superuser_sees_products_enterprises_and_categories_as_snippets(
    superuser_client, url_name
):
    ProductFactory(title="Keripik Tempe Sagu")

    response = superuser_client.get(reverse(url_name))

    assert response.status_code == 200
    expected = {"product": "Keripik Tempe Sagu", "category": "Keripik", "enterprise": "Usaha "}
    assert expected[url_name.split("_")[-1].split(":")[0]] in response.content.decode()


@pytest.mark.parametrize("url_name", SNIPPET_LISTS)
def test_snippets_are_closed_to_anonymous_and_normal_users(client, url_name):
    url = reverse(url_name)
    assert client.get(url)["Location"].startswith("/admin/login/")

    client.force_login(UserFactory())
    response = client.get(url)

    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url_name", SNIPPET_LISTS)
def test_page_editors_without_marketplace_permissions_cannot_list_snippets(client, url_name):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

    response = client.get(reverse(url_name))

    assert response.status_code in (302, 403)


def test_editing_a_product_title_in_the_admin_updates_its_search_text(superuser_client):
    product = ProductFactory(title="Keripik Singkong Balado")
    edit_url = reverse("wagtailsnippets_marketplace_product:edit", args=[product.pk])
    data = edit_form_data(superuser_client, edit_url, "w-editor-form")
    data["title"] = "Keripik Pisang Coklat"

    response = superuser_client.post(edit_url, data)

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.title == "Keripik Pisang Coklat"
    assert product.search_document.startswith("keripik pisang coklat")
    assert "balado" not in product.search_document


def test_creating_a_product_in_the_admin_makes_it_searchable(superuser_client):
    enterprise = EnterpriseFactory(name="Kopi Sindoro")
    category = CategoryFactory()
    create_url = reverse("wagtailsnippets_marketplace_product:add")
    data = edit_form_data(superuser_client, create_url, "w-editor-form")
    data.update({
        "enterprise": enterprise.pk, "category": category.pk, "title": "Kopi Arabika Temanggung",
        "slug": "kopi-arabika-temanggung", "price": "85000", "unit": "pack", "stock": "10",
        "min_order": "1",
    })

    response = superuser_client.post(create_url, data)

    assert response.status_code == 302
    product = Product.objects.get(slug="kopi-arabika-temanggung")
    assert "kopi arabika temanggung" in product.search_document
    assert "kopi sindoro" in product.search_document


def test_renaming_an_enterprise_in_the_admin_updates_its_products_search_text(superuser_client):
    product = ProductFactory(enterprise=EnterpriseFactory(name="Keripik Sari"))
    edit_url = reverse("wagtailsnippets_enterprises_enterprise:edit", args=[product.enterprise.pk])
    data = edit_form_data(superuser_client, edit_url, "w-editor-form")
    data["name"] = "Sari Rasa Banyumas"

    response = superuser_client.post(edit_url, data)

    assert response.status_code == 302
    product.refresh_from_db()
    assert "sari rasa banyumas" in product.search_document
    assert "keripik sari" not in product.search_document


def test_staff_inspect_orders_in_the_admin_but_cannot_edit_or_add_them(superuser_client):
    from tests.factories import placed_order

    order = placed_order()
    listing = superuser_client.get(reverse("orders:index"))
    assert listing.status_code == 200
    assert order.number in listing.content.decode()
    inspect = superuser_client.get(reverse("orders:inspect", args=[order.pk]))
    assert inspect.status_code == 200
    assert order.recipient_name in inspect.content.decode()
    assert superuser_client.get(reverse("orders:edit", args=[order.pk])).status_code in (302, 403)
    assert superuser_client.get(reverse("orders:add")).status_code in (302, 403)
    assert superuser_client.post(reverse("orders:delete", args=[order.pk])).status_code in (
        302, 403)
    assert type(order).objects.filter(pk=order.pk).exists()  # nothing deleted
