"""Joint offers under /api/v1/: read, pledge, withdraw."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from enterprises.models import Enterprise
from marketplace.models import JointOffer, Pledge
from marketplace.services import joint_offers as services


class PledgeSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Pledge
        fields = ["enterprise", "quantity", "delivered_quantity"]


class JointOfferSerializer(serializers.ModelSerializer):
    cooperative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    product = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    pledged_quantity = serializers.SerializerMethodField()
    pledges = PledgeSerializer(many=True, read_only=True)

    class Meta:
        model = JointOffer
        fields = ["id", "cooperative", "title", "description", "category", "grade", "unit",
                  "target_quantity", "price_per_unit", "delivery_from", "delivery_until",
                  "status", "product", "pledged_quantity", "pledges"]

    def get_pledged_quantity(self, joint_offer) -> int:
        return sum(pledge.quantity for pledge in joint_offer.pledges.all())


class PledgeInputSerializer(serializers.Serializer):
    enterprise = serializers.SlugRelatedField(slug_field="slug", queryset=Enterprise.objects.all())
    quantity = serializers.IntegerField(min_value=1, max_value=10_000_000)


class PledgeWithdrawSerializer(serializers.Serializer):
    enterprise = serializers.SlugRelatedField(slug_field="slug", queryset=Enterprise.objects.all())


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("cooperative", str, description=_("Only this cooperative's (its slug).")),
    OpenApiParameter("status", str, enum=JointOffer.Status.values,
                     description=_("Only joint offers in this status.")),
]))
class JointOfferViewSet(viewsets.ReadOnlyModelViewSet):
    """Joint offers (filter with ?cooperative=<slug> and ?status=collecting|orderable|closed)."""

    serializer_class = JointOfferSerializer

    def get_queryset(self):
        queryset = JointOffer.objects.select_related(
            "cooperative", "category", "product"
        ).prefetch_related("pledges__enterprise").order_by("-created_at", "-pk")
        params = self.request.query_params
        if params.get("cooperative"):
            queryset = queryset.filter(cooperative__slug=params["cooperative"])
        if params.get("status"):
            if params["status"] not in JointOffer.Status.values:
                raise serializers.ValidationError({"status": [_("Unknown status.")]})
            queryset = queryset.filter(status=params["status"])
        return queryset

    def _fresh(self, joint_offer):
        return Response(self.get_serializer(self.get_queryset().get(pk=joint_offer.pk)).data)

    @extend_schema(request=PledgeInputSerializer, responses=JointOfferSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def pledge(self, request, pk=None):
        """Pledge (or change the pledge of) one of your member enterprises."""
        joint_offer = self.get_object()
        data = PledgeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.pledge_save(joint_offer=joint_offer, user=request.user, **data.validated_data)
        return self._fresh(joint_offer)

    @extend_schema(request=PledgeWithdrawSerializer, responses=JointOfferSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def withdraw(self, request, pk=None):
        joint_offer = self.get_object()
        data = PledgeWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.pledge_withdraw(joint_offer=joint_offer, user=request.user,
                                 **data.validated_data)
        return self._fresh(joint_offer)
