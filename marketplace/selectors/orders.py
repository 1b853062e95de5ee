"""What buyers read: the cart grouped by seller, their orders and one order with its parts.
Each costs a fixed number of queries however many sellers and lines there are."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from enterprises.models import Enterprise
from marketplace import images
from marketplace.models import Cart, CartLine, Order, OrderLine, OrderPart
from marketplace.selectors import _photos_prefetch

ORDERS_PER_PAGE = 10


@dataclass
class CartLineView:
    """A cart line and what stops it being bought as it is (empty when nothing does)."""

    line: CartLine
    problem: str = ""

    @property
    def product(self):
        return self.line.product

    @property
    def total(self) -> int:
        return self.line.total


@dataclass
class SellerGroup:
    enterprise: Enterprise
    lines: list[CartLineView] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(item.total for item in self.lines)


@dataclass
class CartView:
    groups: list[SellerGroup]

    @property
    def total(self) -> int:
        return sum(group.subtotal for group in self.groups)

    @property
    def line_count(self) -> int:
        return sum(len(group.lines) for group in self.groups)

    @property
    def has_problems(self) -> bool:
        return any(item.problem for group in self.groups for item in group.lines)

    @property
    def sellers(self) -> list[Enterprise]:
        return [group.enterprise for group in self.groups]


def _line_problem(line: CartLine) -> str:
    product = line.product
    unit = product.get_unit_display()
    if not (product.is_active and product.enterprise.is_active):
        return _("No longer for sale: remove it to check out.")
    if product.stock < 1:
        return _("Sold out: remove it to check out.")
    if line.quantity > product.stock:
        return _("Only %(stock)d %(unit)s left in stock.") % {"stock": product.stock,
                                                               "unit": unit}
    if line.quantity < product.min_order:
        return _("The minimum order is %(minimum)d %(unit)s.") % {
            "minimum": product.min_order, "unit": unit}
    return ""


def _logos(path: str) -> Prefetch:
    return Prefetch(path, queryset=get_image_model().objects.prefetch_renditions(images.LOGO))


def cart_line_list(*, cart: Cart) -> QuerySet[CartLine]:
    """Lines with their products, sellers, logos and thumbnails, in fixed queries."""
    return cart.lines.select_related(
        "product__enterprise__regency", "product__category"
    ).prefetch_related(
        Prefetch("product__photos", queryset=_photos_prefetch(images.THUMB).queryset),
        _logos("product__enterprise__logo"),
    )


def cart_by_seller(*, cart: Cart | None) -> CartView:
    """The cart's lines grouped by selling enterprise, in the order they were first added, with
    any problem each line has now (stock or the product may have changed since)."""
    if cart is None:
        return CartView(groups=[])
    groups: dict[int, SellerGroup] = {}
    for line in cart_line_list(cart=cart):
        enterprise = line.product.enterprise
        group = groups.setdefault(enterprise.pk, SellerGroup(enterprise=enterprise))
        group.lines.append(CartLineView(line=line, problem=_line_problem(line)))
    return CartView(groups=list(groups.values()))


def cart_line_count(*, user=None, cart_id=None) -> int:
    """Lines in the user's cart, or in the anonymous cart with this id: one query."""
    if user is not None and user.is_authenticated:
        return CartLine.objects.filter(cart__user=user).count()
    if not cart_id:
        return 0
    return CartLine.objects.filter(cart_id=cart_id, cart__user__isnull=True).count()


def order_list_for_buyer(*, user) -> QuerySet[Order]:
    """The buyer's orders, newest first, each with its parts and their sellers."""
    return Order.objects.filter(buyer=user).prefetch_related(
        Prefetch("parts", queryset=OrderPart.objects.select_related("enterprise"))
    )


def order_page_for_buyer(*, user, number=None) -> Page:
    return Paginator(order_list_for_buyer(user=user), ORDERS_PER_PAGE).get_page(number)


def _parts_in_full() -> Prefetch:
    return Prefetch(
        "parts",
        queryset=OrderPart.objects.select_related(
            "enterprise__regency", "enterprise__province", "review"
        ).prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related(
            "product"
        ).defer("product__description", "product__search_document"))),
    )


def order_detail_for_buyer(*, user, number: str) -> Order:
    """One of the buyer's orders with its parts, their sellers, lines and reviews. Raises
    Order.DoesNotExist for anyone else's order, as for a missing one."""
    if not user.is_authenticated:
        raise Order.DoesNotExist
    return (
        Order.objects.select_related("buyer_enterprise")
        .prefetch_related(_parts_in_full())
        .get(buyer=user, number=number)
    )


def order_part_for_buyer(*, user, number: str, pk: int) -> OrderPart:
    """A part of one of the buyer's orders (Order/OrderPart.DoesNotExist otherwise)."""
    return OrderPart.objects.select_related("order", "enterprise").get(
        pk=pk, order__number=number, order__buyer=user
    )


def order_part_for_proof(*, number: str, pk: int) -> OrderPart:
    """A part with its order and seller, for checking who may see its transfer proof."""
    return OrderPart.objects.select_related("order", "enterprise").get(
        pk=pk, order__number=number
    )


@dataclass
class TimelineStep:
    label: str
    at: datetime | None
    done: bool
    current: bool = False


def part_timeline(*, part: OrderPart) -> list[TimelineStep]:
    """The steps a part goes through for its fulfilment, with when each happened. A cancelled
    part shows the steps it reached and then the cancellation."""
    Status = OrderPart.Status
    sent = Status.READY if part.fulfilment == OrderPart.Fulfilment.PICKUP else Status.SHIPPED
    steps = [
        (Status.PLACED, part.created_at),
        (Status.CONFIRMED, part.confirmed_at),
        (sent, part.sent_at),
        (Status.COMPLETED, part.completed_at),
    ]
    timeline = []
    for status, at in steps:
        reached = at is not None
        if part.status == Status.CANCELLED and not reached:
            break
        timeline.append(TimelineStep(label=Status(status).label, at=at, done=reached,
                                     current=part.status == status))
    if part.status == Status.CANCELLED:
        timeline.append(TimelineStep(label=Status.CANCELLED.label, at=part.cancelled_at,
                                     done=True, current=True))
    return timeline
