import hashlib
import re

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.functional import cached_property
from wagtail.images import get_image_model

from marketplace import images
from marketplace.models import Category, Product, ProductPhoto

SEARCH_TERM = re.compile(r"\w+", re.UNICODE)


def _photos_prefetch(*specs: str) -> Prefetch:
    image_queryset = get_image_model().objects.prefetch_renditions(*specs)
    return Prefetch(
        "photos",
        queryset=ProductPhoto.objects.order_by("sort_order", "pk").prefetch_related(
            Prefetch("image", queryset=image_queryset)
        ),
    )


def product_list_visible() -> QuerySet[Product]:
    """Products a buyer may see: active, from an active enterprise."""
    return Product.objects.filter(is_active=True, enterprise__is_active=True)


def product_list_cards(queryset: QuerySet[Product] | None = None) -> QuerySet[Product]:
    """Everything a product card shows, in a fixed number of queries however many cards."""
    queryset = product_list_visible() if queryset is None else queryset
    # Cards show no description; the search columns are the widest of all (ranked search sorts
    # every match, carrying whole rows).
    return queryset.select_related(
        "enterprise", "enterprise__regency", "category"
    ).defer("description", "search_document", "search_vector").prefetch_related(
        _photos_prefetch(images.CARD))


def product_search(*, queryset: QuerySet[Product], q: str) -> QuerySet[Product]:
    """Every word must match, as a word prefix: "kerip sing" finds "Keripik Singkong".

    PostgreSQL matches the trigger-maintained `search_vector` through its GIN index; SQLite falls
    back to substring matching."""
    terms = SEARCH_TERM.findall(q.lower())[:8]
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(" & ".join(f"{term}:*" for term in terms), config="simple",
                            search_type="raw")
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    condition = Q()
    for term in terms:
        condition &= Q(search_document__contains=term)
    return queryset.filter(condition)


def product_detail(*, slug: str) -> Product:
    return (
        product_list_visible()
        .select_related("enterprise", "enterprise__regency", "enterprise__province",
                        "enterprise__logo", "category", "category__parent")
        .prefetch_related(_photos_prefetch(images.GALLERY, images.THUMB))
        .get(slug=slug)
    )


def product_list_related(*, product: Product, limit: int = 4) -> list[Product]:
    """Same category first, then more from the same seller."""
    others = product_list_visible().exclude(pk=product.pk)
    related = list(product_list_cards(others.filter(category=product.category))[:limit])
    if len(related) < limit:
        seen = [p.pk for p in related]
        more = others.filter(enterprise=product.enterprise).exclude(pk__in=seen)
        related += list(product_list_cards(more)[: limit - len(related)])
    return related


def product_list_featured(*, chosen_ids: list[int], limit: int) -> list[Product]:
    queryset = product_list_visible()
    if chosen_ids:
        queryset = queryset.filter(pk__in=chosen_ids)
    return list(product_list_cards(queryset).order_by("-created_at")[:limit])


def category_list_top() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=True).prefetch_related("children")


def category_counts(*, queryset: QuerySet[Product]) -> list[tuple[Category, int]]:
    """Top categories with how many of `queryset` fall in each, in one grouped query."""
    rows = (
        queryset.order_by()
        .values("category__parent_id", "category_id")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, int] = {}
    for row in rows:
        top_id = row["category__parent_id"] or row["category_id"]
        counts[top_id] = counts.get(top_id, 0) + row["n"]
    tops = Category.objects.filter(parent__isnull=True, pk__in=counts)
    return [(category, counts[category.pk]) for category in tops]


def product_list_for_sellers(*, enterprises) -> QuerySet[Product]:
    """A seller's own products, inactive ones included."""
    return Product.objects.filter(enterprise__in=enterprises)


# Counting the whole catalogue (for pagination and the category counts) scans every matching
# row, so counts are cached per query. Any change to products bumps the version in the keys.
CATALOGUE_VERSION_KEY = "catalogue:version"
CATALOGUE_COUNT_TIMEOUT = 300


def _catalogue_cache_key(kind: str, queryset: QuerySet) -> str:
    version = cache.get_or_set(CATALOGUE_VERSION_KEY, 1, timeout=None)
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(f"{sql}|{params}".encode()).hexdigest()[:32]
    return f"catalogue:{version}:{kind}:{digest}"


def product_count(*, queryset: QuerySet[Product]) -> int:
    return cache.get_or_set(
        _catalogue_cache_key("count", queryset), queryset.count, CATALOGUE_COUNT_TIMEOUT
    )


def category_counts_cached(*, queryset: QuerySet[Product]) -> list[tuple[Category, int]]:
    key = _catalogue_cache_key("categories", queryset)
    counts = cache.get(key)
    if counts is None:
        counts = [(category.pk, n) for category, n in category_counts(queryset=queryset)]
        cache.set(key, counts, CATALOGUE_COUNT_TIMEOUT)
    categories = Category.objects.in_bulk([pk for pk, _ in counts])
    return [(categories[pk], n) for pk, n in counts if pk in categories]


class CataloguePaginator(Paginator):
    """A paginator whose total comes from the catalogue count cache."""

    @cached_property
    def count(self) -> int:
        return product_count(queryset=self.object_list)
