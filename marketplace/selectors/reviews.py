"""Reviews as buyers and visitors read them: newest first, the author by first name only."""

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, QuerySet

from marketplace.models import OrderLine, Review

PAGE_SIZE = 10
LATEST = 5


def review_list() -> QuerySet[Review]:
    """Reviews with `author_name` (the first name, never the username or e-mail) and the seller,
    in one query however many rows."""
    return (
        Review.objects.select_related("enterprise")
        .annotate(author_name=F("author__first_name"))
        .defer("enterprise__description")
        .order_by("-created_at", "-pk")
    )


def review_list_for_enterprise(*, enterprise) -> QuerySet[Review]:
    return review_list().filter(enterprise=enterprise)


def review_list_for_product(*, product, queryset: QuerySet[Review] | None = None
                            ) -> QuerySet[Review]:
    """Reviews of the order parts that sold `product` (a product or its id): a part's review
    covers all its lines."""
    queryset = review_list() if queryset is None else queryset
    return queryset.filter(
        Exists(OrderLine.objects.filter(part=OuterRef("part_id"), product=product))
    )


def review_page(*, queryset: QuerySet[Review], number=None, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(number)


def review_list_latest(*, queryset: QuerySet[Review], limit: int = LATEST) -> list[Review]:
    return list(queryset[:limit])


def review_for_part(*, part) -> Review | None:
    """The part's review (with `author_name`, as _reviews.html shows it), or None."""
    return review_list().filter(part=part).first()
