"""Carts. A line is checked against its product (for sale, minimum order, stock) whenever it
changes; checkout checks again under lock (marketplace.services.orders.order_place), since stock
may move while a cart waits.

Anonymous carts have no user and are found through the session (the views keep the cart id);
`cart_claim` hands such a cart to the user who logs in, merging it into theirs."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.models import Cart, CartLine, Product

# Where an anonymous visitor's cart id is kept in their session.
CART_SESSION_KEY = "cart_id"


def cart_get(*, user=None, cart_id=None) -> Cart | None:
    """The user's cart, or the anonymous cart with this id. A cart that belongs to a user is
    never found by id alone, so a session cannot reach someone else's cart."""
    if user is not None and user.is_authenticated:
        return Cart.objects.filter(user=user).first()
    if not cart_id:
        return None
    try:
        return Cart.objects.filter(pk=int(cart_id), user__isnull=True).first()
    except (TypeError, ValueError):
        return None


def cart_create(*, user=None) -> Cart:
    if user is not None and user.is_authenticated:
        cart, _created = Cart.objects.get_or_create(user=user)
        return cart
    return Cart.objects.create()


def _quantity_errors(*, product: Product, quantity: int) -> list[str]:
    names = {"title": product.title, "unit": product.get_unit_display()}
    if not (product.is_active and product.enterprise.is_active):
        return [_("“%(title)s” is no longer for sale.") % names]
    if product.stock < 1:
        return [_("“%(title)s” is sold out.") % names]
    errors = []
    if quantity < product.min_order:
        errors.append(_("“%(title)s”: the minimum order is %(minimum)d %(unit)s.")
                      % (names | {"minimum": product.min_order}))
    if quantity > product.stock:
        errors.append(_("“%(title)s”: only %(stock)d %(unit)s left in stock.")
                      % (names | {"stock": product.stock}))
    return errors


def _fresh(product: Product) -> Product:
    return Product.objects.select_related("enterprise").get(pk=product.pk)


def _touch(cart: Cart) -> None:
    # updated_at tells which anonymous carts are stale.
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_line_set(*, cart: Cart, product: Product, quantity: int) -> CartLine | None:
    """Set the quantity of `product` in `cart`; 0 (or less) removes the line."""
    if quantity <= 0:
        CartLine.objects.filter(cart=cart, product=product).delete()
        _touch(cart)
        return None
    product = _fresh(product)
    errors = _quantity_errors(product=product, quantity=quantity)
    if errors:
        raise ValidationError(errors, code="quantity")
    line, _created = CartLine.objects.update_or_create(
        cart=cart, product=product, defaults={"quantity": quantity}
    )
    _touch(cart)
    return line


@transaction.atomic
def cart_add(*, cart: Cart, product: Product, quantity: int) -> CartLine:
    """Put `quantity` more of `product` in the cart (on top of what is already there)."""
    if quantity < 1:
        raise ValidationError(_("Choose a quantity of at least 1."), code="quantity")
    current = (
        CartLine.objects.select_for_update().filter(cart=cart, product=product)
        .values_list("quantity", flat=True).first()
    ) or 0
    return cart_line_set(cart=cart, product=product, quantity=current + quantity)


@transaction.atomic
def cart_line_remove(*, cart: Cart, line_id: int) -> bool:
    """Remove a line of this cart; False when it was not there."""
    deleted, _detail = CartLine.objects.filter(cart=cart, pk=line_id).delete()
    if deleted:
        _touch(cart)
    return bool(deleted)


@transaction.atomic
def cart_merge(*, source: Cart, target: Cart) -> Cart:
    """Add the lines of `source` to `target` (quantities added, never above the stock) and delete
    `source`. Lines whose product can no longer be bought are dropped."""
    if source.pk == target.pk:
        return target
    existing = {line.product_id: line for line in target.lines.select_for_update()}
    for line in source.lines.select_related("product__enterprise"):
        product = line.product
        if not (product.is_active and product.enterprise.is_active) or product.stock < 1:
            continue
        current = existing.get(product.pk)
        quantity = min(line.quantity + (current.quantity if current else 0), product.stock)
        if current:
            current.quantity = quantity
            current.save(update_fields=["quantity"])
        else:
            CartLine.objects.create(cart=target, product=product, quantity=quantity)
    source.delete()
    _touch(target)
    return target


@transaction.atomic
def cart_claim(*, cart: Cart, user) -> Cart:
    """An anonymous `cart` becomes the user's on login: merged into their cart when they have
    one, otherwise simply given to them."""
    own = Cart.objects.select_for_update().filter(user=user).first()
    if own is not None:
        return cart_merge(source=cart, target=own)
    cart.user = user
    cart.save(update_fields=["user", "updated_at"])
    return cart


def carts_delete_abandoned(*, days: int = 30) -> int:
    """Delete visitors' carts (no user) untouched for `days`; their session has long expired.
    Returns how many carts went."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(days=days)
    deleted, by_model = Cart.objects.filter(user__isnull=True, updated_at__lt=cutoff).delete()
    return by_model.get(Cart._meta.label, 0)
