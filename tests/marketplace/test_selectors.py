"""Catalogue reads: visibility, text search (SQLite and PostgreSQL), category counts, related."""

import pytest
from django.db import connection

from marketplace import selectors
from marketplace.models import Product
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    ProductFactory,
    ProductPhotoFactory,
    TopCategoryFactory,
)

pytestmark = pytest.mark.django_db


def _search(q):
    found = selectors.product_search(queryset=selectors.product_list_visible(), q=q)
    return set(found)


@pytest.fixture
def catalogue():
    drinks = TopCategoryFactory(name="Minuman", slug="minuman", name_en="Drinks")
    return {
        "chips": ProductFactory(title="Keripik Singkong Balado",
                                enterprise=EnterpriseFactory(name="Keripik Sari")),
        "coffee": ProductFactory(
            title="Kopi Robusta Temanggung", description="Biji sangrai medium.",
            category=CategoryFactory(name="Kopi", name_en="Coffee", parent=drinks),
            enterprise=EnterpriseFactory(name="Koperasi Kopi Makmur"),
        ),
        "batik": ProductFactory(
            title="Kain Batik Tulis", description="Motif parang.",
            category=CategoryFactory(name="Batik", name_en="Batik",
                                     parent=TopCategoryFactory(name="Kain", slug="kain")),
        ),
    }


def test_visible_products_exclude_hidden_ones_and_those_of_inactive_enterprises():
    shown = ProductFactory()
    ProductFactory(is_active=False)
    ProductFactory(enterprise=EnterpriseFactory(is_active=False))

    assert list(selectors.product_list_visible()) == [shown]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("kerip sing", {"chips"}),
        ("Keripik Singkong", {"chips"}),
        ("KERIPIK", {"chips"}),
        ("singkong keripik", {"chips"}),
        ("kopi", {"coffee"}),
        ("robusta", {"coffee"}),
        ("chips", {"chips"}),
        ("coffee", {"coffee"}),
        ("keripik sari", {"chips"}),
        ("parang", {"batik"}),
        ("keripik kopi", set()),
        ("durian", set()),
    ],
)
def test_search_needs_every_word_as_a_word_prefix(catalogue, q, expected):
    assert _search(q) == {catalogue[name] for name in expected}


def test_search_for_kopi_does_not_find_cassava_chips(catalogue):
    assert catalogue["chips"] not in _search("kopi")


@pytest.mark.parametrize("q", ["", "   ", "!!! ???", "%"])
def test_search_without_words_changes_nothing(catalogue, q):
    assert _search(q) == set(catalogue.values())


def test_search_treats_sql_wildcards_and_quotes_as_text(catalogue):
    assert _search("kerip%") == {catalogue["chips"]}
    assert _search("o'reilly") == set()
    assert _search("kopi & | ! :*") == {catalogue["coffee"]}


def test_search_matches_prefixes_of_later_words_not_only_the_first(catalogue):
    assert _search("temang") == {catalogue["coffee"]}


def test_search_inside_a_word_depends_on_the_database(catalogue):
    """PostgreSQL matches word prefixes only; SQLite's fallback matches any substring."""
    expected = set() if connection.vendor == "postgresql" else {catalogue["chips"]}

    assert _search("ngkong") == expected


def test_search_ranks_on_postgresql_only_when_searching(catalogue):
    found = selectors.product_search(queryset=Product.objects.all(), q="keripik")

    assert ("rank" in found.query.annotations) == (connection.vendor == "postgresql")


def test_category_counts_group_subcategories_under_their_top_category(catalogue):
    ProductFactory(category=CategoryFactory(name="Kerupuk", name_en="Crackers"))
    ProductFactory(is_active=False)

    counts = selectors.category_counts(queryset=selectors.product_list_visible())

    by_slug = {category.slug: count for category, count in counts}
    assert by_slug == {"makanan-minuman": 2, "minuman": 1, "kain": 1}
    assert all(category.parent_id is None for category, _ in counts)


def test_category_counts_follow_the_queryset_and_leave_out_empty_categories(catalogue):
    TopCategoryFactory(name="Kerajinan", slug="kerajinan")

    counts = selectors.category_counts(
        queryset=selectors.product_list_visible().filter(price__gte=0, title__startswith="Kopi")
    )

    assert [(category.slug, count) for category, count in counts] == [("minuman", 1)]


def test_category_counts_cost_two_queries(catalogue, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.category_counts(queryset=selectors.product_list_visible())


def test_product_detail_hides_inactive_products():
    product = ProductFactory(is_active=False)

    with pytest.raises(Product.DoesNotExist):
        selectors.product_detail(slug=product.slug)


def test_related_products_prefer_the_same_category_then_the_same_seller():
    product = ProductFactory()
    same_category = ProductFactory(category=product.category)
    same_seller = ProductFactory(
        enterprise=product.enterprise, category=CategoryFactory(name="Kerupuk")
    )
    ProductFactory(category=product.category, is_active=False)
    ProductFactory(category=CategoryFactory(name="Madu"))

    related = selectors.product_list_related(product=product, limit=4)

    assert related == [same_category, same_seller]


def test_related_products_respect_the_limit():
    product = ProductFactory()
    ProductFactory.create_batch(6, category=product.category)

    assert len(selectors.product_list_related(product=product, limit=4)) == 4


def test_product_cards_load_photos_in_constant_queries(django_assert_num_queries):
    for _ in range(3):
        ProductPhotoFactory()

    # products, photos, images, renditions
    with django_assert_num_queries(4):
        cards = list(selectors.product_list_cards())
        covers = [card.cover for card in cards]
        [card.enterprise.regency.name for card in cards]

    assert all(covers)


def test_sellers_see_their_hidden_products():
    enterprise = EnterpriseFactory()
    hidden = ProductFactory(enterprise=enterprise, is_active=False)
    shown = ProductFactory(enterprise=enterprise)
    ProductFactory()

    mine = set(selectors.product_list_for_sellers(enterprises=[enterprise]))

    assert mine == {hidden, shown}


def test_featured_products_use_the_chosen_ones_or_the_newest():
    older, newer, chosen = ProductFactory(), ProductFactory(), ProductFactory()
    Product.objects.filter(pk=chosen.pk).update(created_at=older.created_at.replace(year=2020))

    assert selectors.product_list_featured(chosen_ids=[chosen.pk], limit=8) == [chosen]
    assert selectors.product_list_featured(chosen_ids=[], limit=2) == [newer, older]
