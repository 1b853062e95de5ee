from marketplace.models.catalogue import Category, Product, ProductPhoto, SearchVectorField, Unit
from marketplace.models.cooperative_trade import BulkOrder, Commitment, JointOffer, Pledge
from marketplace.models.orders import (
    Cart,
    CartLine,
    LedgerEntry,
    Order,
    OrderLine,
    OrderPart,
    PaymentMethod,
    Refund,
    RevenueShare,
    Review,
    StripeEvent,
)

__all__ = [
    "BulkOrder", "Cart", "CartLine", "Category", "Commitment", "JointOffer", "LedgerEntry",
    "Order", "OrderLine", "OrderPart", "PaymentMethod", "Pledge", "Product", "ProductPhoto",
    "Refund", "RevenueShare", "Review", "SearchVectorField", "StripeEvent", "Unit",
]
