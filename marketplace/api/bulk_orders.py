"""Bulk orders under /api/v1/: read, commit, withdraw, close."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.models import Enterprise
from marketplace.models import BulkOrder, Commitment
from marketplace.services import bulk_orders as services


class CommitmentSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Commitment
        fields = ["enterprise", "quantity", "tolerance", "allocated"]


class BulkOrderSerializer(serializers.ModelSerializer):
    cooperative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    commitments = CommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = BulkOrder
        fields = ["id", "cooperative", "title", "description", "supplier_name", "unit",
                  "package_size", "price_per_unit", "min_packages", "deadline", "status",
                  "packages_ordered", "cancel_reason", "closed_at", "commitments"]


class CommitSerializer(serializers.Serializer):
    enterprise = serializers.SlugRelatedField(slug_field="slug", queryset=Enterprise.objects.all())
    quantity = serializers.IntegerField(min_value=1, max_value=10_000_000)
    tolerance = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0)


class WithdrawSerializer(serializers.Serializer):
    enterprise = serializers.SlugRelatedField(slug_field="slug", queryset=Enterprise.objects.all())


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("cooperative", str, description=_("Only this cooperative's (its slug).")),
    OpenApiParameter("status", str, enum=BulkOrder.Status.values,
                     description=_("Only bulk orders in this status.")),
]))
class BulkOrderViewSet(viewsets.ReadOnlyModelViewSet):
    """Bulk orders (filter with ?cooperative=<slug> and ?status=open|closed|cancelled)."""

    serializer_class = BulkOrderSerializer

    def get_queryset(self):
        queryset = BulkOrder.objects.select_related("cooperative").prefetch_related(
            "commitments__enterprise"
        ).order_by("-deadline", "-pk")
        params = self.request.query_params
        if params.get("cooperative"):
            queryset = queryset.filter(cooperative__slug=params["cooperative"])
        if params.get("status"):
            if params["status"] not in BulkOrder.Status.values:
                raise serializers.ValidationError({"status": [_("Unknown status.")]})
            queryset = queryset.filter(status=params["status"])
        return queryset

    def _fresh(self, bulk_order):
        return Response(self.get_serializer(self.get_queryset().get(pk=bulk_order.pk)).data)

    @extend_schema(request=CommitSerializer, responses=BulkOrderSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def commit(self, request, pk=None):
        """Commit (or change the commitment of) one of your member enterprises."""
        bulk_order = self.get_object()
        data = CommitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.commitment_save(bulk_order=bulk_order, user=request.user, **data.validated_data)
        return self._fresh(bulk_order)

    @extend_schema(request=WithdrawSerializer, responses=BulkOrderSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def withdraw(self, request, pk=None):
        bulk_order = self.get_object()
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.commitment_withdraw(bulk_order=bulk_order, user=request.user,
                                     **data.validated_data)
        return self._fresh(bulk_order)

    @extend_schema(request=None, responses=BulkOrderSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def close(self, request, pk=None):
        """Managers close an open order now: round to packages and allocate."""
        bulk_order = self.get_object()
        services.bulk_order_close(bulk_order=bulk_order, closed_by=request.user)
        return self._fresh(bulk_order)
