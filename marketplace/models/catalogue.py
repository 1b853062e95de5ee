from django.contrib.postgres.search import SearchVectorExact
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from enterprises.models import BilingualNameMixin, Enterprise


class SearchVectorField(models.Field):
    """A PostgreSQL tsvector column (plain text elsewhere, where it stays empty)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


# `search_vector=SearchQuery(...)` compiles to PostgreSQL's `@@` match.
SearchVectorField.register_lookup(SearchVectorExact)


class Category(BilingualNameMixin):
    """Two levels: a top category (Makanan & Minuman) and its subcategories (Keripik)."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent category"), limit_choices_to={"parent__isnull": True},
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Categories have two levels only.")})


class Unit(models.TextChoices):
    PCS = "pcs", _("piece")
    PACK = "pack", _("pack")
    KG = "kg", _("kg")
    GRAM = "gram", _("gram")
    LITRE = "litre", _("litre")
    BOTTLE = "bottle", _("bottle")
    METRE = "metre", _("metre")
    SHEET = "sheet", _("sheet")
    BOX = "box", _("box")
    SACK = "sack", _("sack")


class Product(ClusterableModel):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="products", verbose_name=_("enterprise")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=140)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    price = models.PositiveIntegerField(_("price (Rp)"), help_text=_("Whole rupiah per unit."))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PCS)
    stock = models.PositiveIntegerField(_("stock"), default=0)
    min_order = models.PositiveIntegerField(
        _("minimum order"), default=1, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive products are hidden from buyers.")
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Lower-cased title, category, seller and description, kept by marketplace.services.
    search_document = models.TextField(editable=False, default="")
    # On PostgreSQL a trigger keeps this tsvector of search_document (GIN-indexed); unused on
    # SQLite, which searches search_document directly.
    search_vector = SearchVectorField(null=True, editable=False)
    # Kept by marketplace.services.reviews from reviews of completed orders containing it.
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_total = models.PositiveIntegerField(default=0, editable=False)

    panels = [
        FieldPanel("enterprise"),
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("slug"), FieldPanel("category"),
             FieldPanel("description")],
            heading=_("Product"),
        ),
        MultiFieldPanel(
            [FieldPanel("price"), FieldPanel("unit"), FieldPanel("stock"),
             FieldPanel("min_order"), FieldPanel("is_active")],
            heading=_("Price and stock"),
        ),
        InlinePanel("photos", label=_("Photos")),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["is_active", "category", "-created_at"], name="product_cat_new"),
            models.Index(fields=["is_active", "price"], name="product_price"),
            models.Index(fields=["is_active", "-created_at"], name="product_newest"),
            models.Index(fields=["enterprise", "is_active"], name="product_seller"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(min_order__gte=1), name="min_order_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("product_detail", kwargs={"slug": self.slug})

    @property
    def rating(self) -> float | None:
        return self.rating_total / self.rating_count if self.rating_count else None

    @property
    def cover(self):
        """The first photo; reads the prefetched list so a page of products costs no queries."""
        photos = list(self.photos.all())
        return photos[0].image if photos else None


class ProductPhoto(Orderable):
    product = ParentalKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("photo")
    )

    panels = [FieldPanel("image")]

    class Meta(Orderable.Meta):
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
