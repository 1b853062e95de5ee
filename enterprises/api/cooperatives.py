"""Cooperatives, proposals (with voting) and bookings under /api/v1/."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cms.api import query_id
from enterprises.filters import region_filters
from enterprises.models import (
    Booking,
    Cooperative,
    Enterprise,
    Membership,
    Proposal,
    ProposalOption,
    SharedResource,
)
from enterprises.selectors import cooperatives as cooperative_selectors
from enterprises.services import bookings as booking_services
from enterprises.services import decisions as decision_services


class MemberSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["enterprise", "name", "role", "joined_at"]


class ResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = SharedResource
        fields = ["id", "name", "kind", "description", "usage_rules", "cost_per_use",
                  "cost_per_hour"]


class CooperativeSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    regency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    members = MemberSerializer(source="active_memberships", many=True, read_only=True)
    resources = ResourceSerializer(source="active_resources", many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Cooperative
        fields = ["id", "slug", "name", "description", "province", "regency", "year_founded",
                  "statutes", "member_count", "members", "resources", "url"]


class CooperativeFilter(region_filters()):
    class Meta:
        model = Cooperative
        fields = []


class CooperativeViewSet(viewsets.ReadOnlyModelViewSet):
    """Active cooperatives with their members and shared resources."""

    serializer_class = CooperativeSerializer
    filterset_class = CooperativeFilter
    lookup_field = "slug"

    def get_queryset(self):
        return cooperative_selectors.cooperative_list_cards().prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(status=Membership.Status.ACTIVE)
                .select_related("enterprise"),
                to_attr="active_memberships",
            ),
            Prefetch("resources", queryset=SharedResource.objects.filter(is_active=True),
                     to_attr="active_resources"),
        ).order_by("name", "pk")


class OptionSerializer(serializers.ModelSerializer):
    votes = serializers.SerializerMethodField()

    class Meta:
        model = ProposalOption
        fields = ["id", "label", "is_abstain", "votes"]

    def get_votes(self, option) -> int | None:
        """Counts are public once decided; before that only members see them."""
        return self.context["vote_counts"].get(option.pk)


class ProposalSerializer(serializers.ModelSerializer):
    cooperative = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    options = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "cooperative", "title", "body", "status", "opens_at", "closes_at",
                  "quorum_percent", "pass_threshold_percent", "eligible_count", "passed_option",
                  "outcome", "options"]

    def get_options(self, proposal) -> list[dict]:
        counts = {}
        request = self.context["request"]
        if proposal.status == Proposal.Status.CLOSED or cooperative_selectors.user_is_member(
            user=request.user, cooperative=proposal.cooperative
        ):
            for option in proposal.options.all():
                counts[option.pk] = sum(1 for vote in option.votes.all())
        return OptionSerializer(
            proposal.options.all(), many=True, context={"vote_counts": counts}
        ).data


class VoteSerializer(serializers.Serializer):
    enterprise = serializers.SlugRelatedField(slug_field="slug", queryset=Enterprise.objects.all())
    option = serializers.IntegerField()


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("cooperative", str, description=_("Only this cooperative's (its slug).")),
]))
class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Proposals of all cooperatives (filter with ?cooperative=<slug>); members vote."""

    serializer_class = ProposalSerializer

    def get_queryset(self):
        queryset = Proposal.objects.exclude(status=Proposal.Status.DRAFT).select_related(
            "cooperative"
        ).prefetch_related("options__votes").order_by("-opens_at", "-pk")
        slug = self.request.query_params.get("cooperative")
        return queryset.filter(cooperative__slug=slug) if slug else queryset

    @extend_schema(request=VoteSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def vote(self, request, pk=None):
        """Cast or change the vote of one of your member enterprises."""
        proposal = self.get_object()
        data = VoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        option = get_object_or_404(proposal.options, pk=data.validated_data["option"])
        decision_services.vote_cast(proposal=proposal, enterprise=data.validated_data["enterprise"],
                                    user=request.user, option=option)
        return Response(self.get_serializer(self.get_queryset().get(pk=proposal.pk)).data)


class BookingSerializer(serializers.ModelSerializer):
    resource = serializers.PrimaryKeyRelatedField(
        queryset=SharedResource.objects.filter(is_active=True)
    )
    enterprise = serializers.SlugRelatedField(slug_field="slug", queryset=Enterprise.objects.all())

    class Meta:
        model = Booking
        fields = ["id", "resource", "enterprise", "starts_at", "ends_at", "cost", "status", "note"]
        read_only_fields = ["cost", "status"]

    def validate(self, attrs):
        if attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": _("Must be after the start.")})
        return attrs

    def create(self, validated_data):
        return booking_services.booking_create(user=self.context["request"].user,
                                               **validated_data)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("resource", int, description=_("Only bookings of this shared resource "
                                                    "(its id).")),
]))
class BookingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Confirmed bookings of shared resources (filter with ?resource=<id>); members book and
    cancel their own."""

    serializer_class = BookingSerializer

    def get_queryset(self):
        queryset = Booking.objects.filter(status=Booking.Status.CONFIRMED).select_related(
            "resource", "enterprise"
        ).order_by("starts_at", "pk")
        if self.action != "list":
            return queryset
        resource = query_id(self.request, "resource", message=_("Give the resource's id."))
        return queryset if resource is None else queryset.filter(resource_id=resource)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def cancel(self, request, pk=None):
        booking = booking_services.booking_cancel(booking=self.get_object(), user=request.user)
        return Response(self.get_serializer(booking).data, status=status.HTTP_200_OK)
