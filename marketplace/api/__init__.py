from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets

from cms.api import Pagination
from cms.page_cache import STOCK_SCOPE, cache_public_page
from enterprises import selectors as enterprise_selectors
from enterprises.models import Enterprise
from marketplace import images, selectors, services
from marketplace.filters import ProductFilter
from marketplace.models import Category, Product


class EnterpriseRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["slug", "name"]


class EnterpriseField(serializers.SlugRelatedField):
    """Written as the enterprise's slug, read as {slug, name}."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", queryset=Enterprise.objects.all(), **kwargs)

    def to_representation(self, enterprise):
        return EnterpriseRefSerializer(enterprise).data


class EnterpriseFieldExtension(OpenApiSerializerFieldExtension):
    """The schema says so too: a slug in requests, the reference object in responses."""

    target_class = EnterpriseField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_basic_type(OpenApiTypes.STR) | {
                "description": str(_("The enterprise's slug."))}
        return auto_schema.resolve_serializer(EnterpriseRefSerializer, direction).ref


class ProductSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.filter(
        parent__isnull=False))
    enterprise = EnterpriseField()
    province = serializers.CharField(source="enterprise.province.slug", read_only=True)
    regency = serializers.CharField(source="enterprise.regency.slug", read_only=True)
    images = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id", "slug", "title", "description", "price", "unit", "stock", "min_order",
            "is_active", "category", "enterprise", "province", "regency", "images", "url",
            "created_at", "updated_at",
        ]
        read_only_fields = ["slug", "created_at", "updated_at"]

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_images(self, product) -> list[str]:
        request = self.context.get("request")
        urls = [photo.image.get_rendition(images.GALLERY).url for photo in product.photos.all()]
        return [request.build_absolute_uri(url) if request else url for url in urls]

    def validate_enterprise(self, enterprise):
        user = self.context["request"].user
        if not enterprise_selectors.user_can_manage_enterprise(user=user, enterprise=enterprise):
            raise serializers.ValidationError(
                _("You can only list products for your own enterprise.")
            )
        if self.instance is not None and enterprise != self.instance.enterprise:
            raise serializers.ValidationError(_("A product cannot move to another enterprise."))
        return enterprise

    def validate(self, attrs):
        min_order = attrs.get("min_order", getattr(self.instance, "min_order", 1))
        if min_order < 1:
            raise serializers.ValidationError({"min_order": _("Must be at least 1.")})
        return attrs

    def create(self, validated_data):
        return services.product_create(user=self.context["request"].user, **validated_data)

    def update(self, product, validated_data):
        validated_data.pop("enterprise", None)
        return services.product_update(product=product, user=self.context["request"].user,
                                       **validated_data)


class IsSellerOrReadOnly(permissions.BasePermission):
    message = _("Only the people who run this enterprise can change its products.")

    def has_object_permission(self, request, view, product):
        if request.method in permissions.SAFE_METHODS:
            return True
        return enterprise_selectors.user_can_manage_enterprise(
            user=request.user, enterprise=product.enterprise
        )


class ProductPagination(Pagination):
    django_paginator_class = selectors.CataloguePaginator


# Anonymous reads are shared like the catalogue page (cms.page_cache); writes pass through.
@method_decorator(cache_public_page(scopes=lambda **kwargs: [STOCK_SCOPE]), name="dispatch")
class ProductViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin,
                     viewsets.ReadOnlyModelViewSet):
    """Products. Anyone can read active products; sellers create and update their own."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    pagination_class = ProductPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsSellerOrReadOnly]

    def get_queryset(self):
        if self.request.method in permissions.SAFE_METHODS:
            queryset = selectors.product_list_visible()
        else:
            queryset = Product.objects.all()
        return queryset.select_related(
            "enterprise", "enterprise__regency", "enterprise__province", "category"
        ).prefetch_related(selectors._photos_prefetch(images.GALLERY))
