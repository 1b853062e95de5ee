"""Carts, orders split per seller, payments, refunds, the payout ledger and reviews.

Money is whole rupiah. An order has one part per selling enterprise; each part moves through its
own status. Stock is taken from Product.stock when the order is placed and given back when a
part is cancelled, refunded or its payment expires.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises.models import Enterprise
from marketplace.models.catalogue import Product, Unit
from marketplace.models.cooperative_trade import Commitment, JointOffer


class Cart(models.Model):
    """A buyer's cart. Anonymous carts are found through the session (cart id), and merged into
    the user's own cart when they log in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="cart",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="one_cart_line_per_product"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1),
                                   name="cart_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"

    @property
    def total(self) -> int:
        return self.quantity * self.product.price


class PaymentMethod(models.TextChoices):
    """How the buyer pays. Bank transfer and cash go through the `manual` provider and need no
    configuration; `stripe` appears only when Stripe keys are set."""

    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash on delivery or pickup")
    STRIPE = "stripe", _("Card or e-wallet (Stripe)")


class Order(models.Model):
    class PaymentStatus(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        ON_DELIVERY = "on_delivery", _("Paid on delivery")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Payment failed")
        EXPIRED = "expired", _("Payment time ran out")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    number = models.CharField(_("order number"), max_length=20, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders",
        verbose_name=_("buyer"),
    )
    buyer_enterprise = models.ForeignKey(
        Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="purchases",
        verbose_name=_("buying as"),
    )
    recipient_name = models.CharField(_("recipient"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    address = models.TextField(_("address"), blank=True)
    village = models.CharField(_("village (desa/kelurahan)"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    payment_method = models.CharField(_("payment method"), max_length=20,
                                      choices=PaymentMethod.choices)
    payment_status = models.CharField(_("payment"), max_length=12, choices=PaymentStatus.choices,
                                      default=PaymentStatus.PENDING)
    total = models.PositiveIntegerField(_("total (Rp)"))
    refunded_total = models.PositiveIntegerField(_("refunded (Rp)"), default=0)
    # Stock stays reserved until then; unpaid orders are released after it (expire task).
    pay_by = models.DateTimeField(_("pay by"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    stripe_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True)
    stripe_charge_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = pgettext_lazy("a purchase", "order")
        verbose_name_plural = pgettext_lazy("purchases", "orders")
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="order_buyer_recent"),
            models.Index(fields=["payment_status", "pay_by"], name="order_unpaid_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(refunded_total__lte=models.F("total")),
                                   name="order_refund_within_total"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("order_detail", kwargs={"number": self.number})


def private_storage():
    return storages["private"]


def transfer_proof_path(part: "OrderPart", filename: str) -> str:
    return f"transfer-proofs/{part.order.number}-{part.pk}.jpg"


class OrderPart(models.Model):
    """What one seller sends for an order: its lines, status, payment and payout."""

    class Status(models.TextChoices):
        PLACED = "placed", _("Placed")
        CONFIRMED = "confirmed", _("Confirmed")
        SHIPPED = "shipped", _("Shipped")
        READY = "ready", _("Ready for pickup")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PLACED, Status.CONFIRMED, Status.SHIPPED, Status.READY)

    class Fulfilment(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        PICKUP = "pickup", _("Pickup")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="parts")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="order_parts",
        verbose_name=_("seller"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PLACED)
    fulfilment = models.CharField(_("delivery or pickup"), max_length=10,
                                  choices=Fulfilment.choices, default=Fulfilment.DELIVERY)
    note_to_seller = models.TextField(_("note to the seller"), blank=True)
    subtotal = models.PositiveIntegerField(_("subtotal (Rp)"))
    refunded = models.PositiveIntegerField(_("refunded (Rp)"), default=0)
    platform_fee = models.PositiveIntegerField(_("platform fee (Rp)"), default=0)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # Private storage: served only to the buyer and the seller, through a view.
    transfer_proof = models.FileField(_("transfer proof"), upload_to=transfer_proof_path,
                                      storage=private_storage, blank=True)
    proof_uploaded_at = models.DateTimeField(null=True, blank=True)
    stripe_transfer_id = models.CharField(max_length=255, blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("shipped or ready at"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("order part")
        verbose_name_plural = _("order parts")
        indexes = [
            models.Index(fields=["enterprise", "status", "-created_at"], name="part_seller_queue"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "enterprise"], name="one_part_per_seller"),
            models.CheckConstraint(condition=models.Q(refunded__lte=models.F("subtotal")),
                                   name="part_refund_within_subtotal"),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} / {self.enterprise}"

    @property
    def amount_due(self) -> int:
        """What the buyer owes (or paid) for this part after refunds."""
        return self.subtotal - self.refunded

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class OrderLine(models.Model):
    """A product (or a bulk-order allocation being paid) at the price when the order was placed."""

    part = models.ForeignKey(OrderPart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="order_lines")
    commitment = models.ForeignKey(Commitment, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="order_lines")
    title = models.CharField(_("item"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PCS)
    unit_price = models.PositiveIntegerField(_("price per unit (Rp)"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    refunded_quantity = models.PositiveIntegerField(_("refunded quantity"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1),
                                   name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(refunded_quantity__lte=models.F("quantity")),
                name="order_line_refund_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price

    @property
    def kept_quantity(self) -> int:
        return self.quantity - self.refunded_quantity


class Refund(models.Model):
    """Money given back for a part: a partial refund of some quantities, or a cancellation."""

    part = models.ForeignKey(OrderPart, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveIntegerField(_("amount (Rp)"), validators=[MinValueValidator(1)])
    reason = models.TextField(_("reason"), blank=True)
    stripe_refund_id = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"refund {self.amount} on {self.part_id}"


class StripeEvent(models.Model):
    """A processed Stripe webhook event. Stored in the same transaction as its work, so each
    event is handled exactly once however often Stripe delivers it."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class LedgerEntry(models.Model):
    """The payout ledger: an append-only list of what the platform owes each seller. Positive
    amounts are owed to the seller, negative ones settle or reduce it; the sum is the balance.
    Refunds are new entries, never edits."""

    class Kind(models.TextChoices):
        SALE = "sale", _("Sale")
        FEE = "fee", _("Platform fee")
        REFUND = "refund", _("Refund")
        PAYOUT = "payout", _("Payout")

    class Method(models.TextChoices):
        DIRECT = "direct", _("Paid to the seller directly by the buyer")
        STRIPE = "stripe", _("Stripe transfer")
        MANUAL = "manual", _("Manual payout by the platform")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="ledger_entries")
    part = models.ForeignKey(OrderPart, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="ledger_entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.BigIntegerField(_("amount (Rp)"))
    method = models.CharField(_("paid by"), max_length=10, choices=Method.choices, blank=True)
    reference = models.CharField(_("reference"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["enterprise", "created_at"], name="ledger_by_seller")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.enterprise_id}"


class RevenueShare(models.Model):
    """A member's share of a joint-offer sale (marketplace.services.joint_offers), recorded when
    the part completes and reversed (negative) by later refunds."""

    part = models.ForeignKey(OrderPart, on_delete=models.PROTECT, related_name="revenue_shares")
    joint_offer = models.ForeignKey(JointOffer, on_delete=models.PROTECT,
                                    related_name="revenue_shares")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="revenue_shares")
    amount = models.BigIntegerField(_("amount (Rp)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("revenue share")
        verbose_name_plural = _("revenue shares")

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.amount}"


class Review(models.Model):
    """A buyer's review of a completed order part; the seller may reply once."""

    part = models.OneToOneField(OrderPart, on_delete=models.CASCADE, related_name="review")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="reviews")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("review"), blank=True, max_length=2000)
    reply = models.TextField(_("seller's reply"), blank=True, max_length=2000)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [models.Index(fields=["enterprise", "-created_at"], name="review_by_seller")]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5),
                                   name="review_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 {self.enterprise}"
