from marketplace.selectors.orders import cart_line_count
from marketplace.services.cart import CART_SESSION_KEY


def cart(request):
    """The number of lines in the visitor's cart for the header: one count query, none for an
    anonymous visitor who has no cart."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"cart_count": cart_line_count(user=user)}
    session = getattr(request, "session", None)
    cart_id = session.get(CART_SESSION_KEY) if session is not None else None
    return {"cart_count": cart_line_count(cart_id=cart_id) if cart_id else 0}
