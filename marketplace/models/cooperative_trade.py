"""Cooperative buying (bulk orders) and selling (joint offers)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from marketplace.models.catalogue import Category, Product, Unit


class BulkOrder(models.Model):
    """Pesanan bersama: a cooperative buys one item in whole packages for its members. Members
    commit quantities (with some tolerance) until the deadline; closing rounds to whole packages
    and allocates (marketplace.allocation)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for commitments")
        CLOSED = "closed", _("Closed and allocated")
        CANCELLED = "cancelled", _("Cancelled")

    cooperative = models.ForeignKey(
        "enterprises.Cooperative", on_delete=models.CASCADE, related_name="bulk_orders"
    )
    title = models.CharField(_("item"), max_length=140)
    description = models.TextField(_("description"), blank=True)
    supplier_product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="bulk_orders",
        verbose_name=_("Guyub product"),
    )
    supplier_name = models.CharField(_("outside supplier"), max_length=140, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.KG)
    package_size = models.PositiveIntegerField(
        _("package size"), validators=[MinValueValidator(1)],
        help_text=_("Units in one package, e.g. 50 for a 50 kg sack."),
    )
    price_per_unit = models.PositiveIntegerField(_("price per unit (Rp)"))
    min_packages = models.PositiveIntegerField(
        _("minimum packages"), default=1, validators=[MinValueValidator(1)]
    )
    deadline = models.DateTimeField(_("commitment deadline"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    packages_ordered = models.PositiveIntegerField(_("packages ordered"), null=True, blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    sent_to_supplier_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("bulk order")
        verbose_name_plural = _("bulk orders")
        constraints = [
            models.CheckConstraint(condition=models.Q(package_size__gte=1),
                                   name="bulk_package_size_positive"),
            models.CheckConstraint(condition=models.Q(min_packages__gte=1),
                                   name="bulk_min_packages_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bulk_order_detail", kwargs={"pk": self.pk})


class Commitment(models.Model):
    """A member enterprise's commitment to a bulk order: a firm quantity and a tolerance (how much
    more it would accept so a package fills). `allocated` is set when the order closes."""

    bulk_order = models.ForeignKey(BulkOrder, on_delete=models.CASCADE, related_name="commitments")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="commitments"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    tolerance = models.PositiveIntegerField(_("tolerance"), default=0)
    allocated = models.PositiveIntegerField(_("allocated"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(fields=["bulk_order", "enterprise"],
                                    name="one_commitment_per_member"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1),
                                   name="commitment_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.quantity} (+{self.tolerance})"

    @property
    def amount_owed(self) -> int | None:
        if self.allocated is None:
            return None
        return self.allocated * self.bulk_order.price_per_unit


class JointOffer(models.Model):
    """Joint selling: members pool their harvest to fill a large buyer's order (500 kg of green
    coffee). When pledges reach the target the offer becomes one orderable product, sold by the
    cooperative's trading enterprise; revenue is shared by pledged quantity minus the fee."""

    class Status(models.TextChoices):
        COLLECTING = "collecting", _("Collecting pledges")
        ORDERABLE = "orderable", _("Orderable")
        CLOSED = "closed", _("Closed")

    cooperative = models.ForeignKey(
        "enterprises.Cooperative", on_delete=models.CASCADE, related_name="joint_offers"
    )
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    grade = models.CharField(_("grade"), max_length=80, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.KG)
    target_quantity = models.PositiveIntegerField(
        _("target quantity"), validators=[MinValueValidator(1)]
    )
    price_per_unit = models.PositiveIntegerField(_("price per unit (Rp)"))
    delivery_from = models.DateField(_("delivery from"))
    delivery_until = models.DateField(_("delivery until"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.COLLECTING, db_index=True)
    product = models.OneToOneField(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="joint_offer"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("joint offer")
        verbose_name_plural = _("joint offers")
        constraints = [
            models.CheckConstraint(condition=models.Q(delivery_until__gte=models.F("delivery_from")),
                                   name="joint_offer_delivery_window"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("joint_offer_detail", kwargs={"pk": self.pk})


class Pledge(models.Model):
    """A member's pledge of quantity to a joint offer; the basis of its revenue share."""

    joint_offer = models.ForeignKey(JointOffer, on_delete=models.CASCADE, related_name="pledges")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="pledges")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    delivered_quantity = models.PositiveIntegerField(_("delivered"), null=True, blank=True)
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.UniqueConstraint(fields=["joint_offer", "enterprise"],
                                    name="one_pledge_per_member"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1),
                                   name="pledge_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.quantity}"
