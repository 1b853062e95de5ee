"""The catalogue's filters, shared by the /products/ page and /api/v1/products/."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from enterprises.filters import region_filters
from enterprises.models import Cooperative, Membership
from marketplace import selectors
from marketplace.models import Category, Product


class ProductFilter(region_filters("enterprise__")):
    ORDERINGS = {
        "newest": ("-created_at", "-pk"),
        "price": ("price", "pk"),
        "-price": ("-price", "-pk"),
        "title": ("title", "pk"),
    }

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    search = django_filters.CharFilter(method="filter_text", label=_("Search"))
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), to_field_name="slug", method="filter_category",
        label=_("Category"),
    )
    min_price = django_filters.NumberFilter(
        field_name="price", lookup_expr="gte", min_value=0, label=_("Minimum price")
    )
    max_price = django_filters.NumberFilter(
        field_name="price", lookup_expr="lte", min_value=0, label=_("Maximum price")
    )
    enterprise = django_filters.CharFilter(field_name="enterprise__slug", label=_("Enterprise"))
    cooperative = django_filters.ModelChoiceFilter(
        queryset=Cooperative.objects.filter(is_active=True), to_field_name="slug",
        method="filter_cooperative", label=_("Cooperative"),
    )
    in_stock = django_filters.BooleanFilter(method="filter_in_stock", label=_("In stock only"))
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering", empty_label=_("Recommended"),
        choices=[
            ("newest", _("Newest")),
            ("price", _("Cheapest")),
            ("-price", _("Most expensive")),
            ("title", _("Name A–Z")),
            ("relevance", _("Best match")),
        ],
        label=_("Sort by"),
    )

    class Meta:
        model = Product
        fields = []

    def filter_text(self, queryset, name, value):
        return selectors.product_search(queryset=queryset, q=value)

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    @extend_schema_field(OpenApiTypes.STR)  # the cooperative's slug
    def filter_cooperative(self, queryset, name, value):
        """Products of the cooperative's current members."""
        members = Membership.objects.filter(
            cooperative=value, status=Membership.Status.ACTIVE, enterprise=OuterRef("enterprise")
        )
        return queryset.filter(Exists(members))

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(stock__gt=0) if value else queryset

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied in `qs`: the default is best match when searching, else newest

    @property
    def qs(self):
        queryset = super().qs
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        ordering = data.get("ordering") or ""
        searching = bool(data.get("q") or data.get("search"))
        if ordering == "relevance" or (not ordering and searching):
            if searching and "rank" in queryset.query.annotations:
                return queryset.order_by("-rank", "-created_at", "-pk")
            ordering = "newest"
        return queryset.order_by(*self.ORDERINGS.get(ordering, self.ORDERINGS["newest"]))
