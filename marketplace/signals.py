"""Cached catalogue counts depend on these models; any save or delete invalidates them. A
visitor's cart is claimed when they log in."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save

from enterprises.models import Enterprise
from marketplace.models import Category, Product
from marketplace.services import catalogue_changed


def _catalogue_changed(sender, **kwargs) -> None:
    catalogue_changed()


def connect() -> None:
    for model in (Product, Enterprise, Category):
        for signal in (post_save, post_delete):
            signal.connect(_catalogue_changed, sender=model, dispatch_uid=f"catalogue-{model}")
    user_logged_in.connect(_claim_session_cart, dispatch_uid="cart-claim-on-login")


def _claim_session_cart(sender, request, user, **kwargs) -> None:
    """The cart filled before logging in joins the user's own. login() keeps the session's data
    when it cycles the key, so the anonymous cart id is still there."""
    from marketplace.services.cart import CART_SESSION_KEY, cart_claim, cart_get

    session = getattr(request, "session", None)
    if session is None or CART_SESSION_KEY not in session:
        return
    cart = cart_get(cart_id=session.pop(CART_SESSION_KEY))
    if cart is not None:
        cart_claim(cart=cart, user=user)
