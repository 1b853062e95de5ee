"""The cart, the buyer's orders, the seller's order parts and reviews under /api/v1/.

Buyers see only their own orders and sellers only the parts their enterprises sold: anyone
else's gets the same 404 as a missing one. Every write goes through the order and cart services,
which check permissions and state again."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from cms.api import parse_id, query_id
from cms.api_schema import AutoSchema
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_list_visible, user_can_manage_enterprise
from marketplace.api import EnterpriseRefSerializer
from marketplace.models import Order, OrderLine, OrderPart, PaymentMethod, Product, Review
from marketplace.payments import payment_start
from marketplace.selectors import orders as order_selectors
from marketplace.selectors import reviews as review_selectors
from marketplace.selectors import sales as sale_selectors
from marketplace.services import cart as cart_services
from marketplace.services import orders as order_services

MAX_QUANTITY = 1_000_000
TEXT_LIMIT = 1000


# --- The cart ------------------------------------------------------------------------------------


class CartProductSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseRefSerializer(read_only=True)

    class Meta:
        model = Product
        fields = ["id", "slug", "title", "price", "unit", "min_order", "stock", "enterprise"]


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.pk")
    product = CartProductSerializer(source="line.product")
    quantity = serializers.IntegerField(source="line.quantity")
    total = serializers.IntegerField(help_text=_("Quantity × today's price (Rp)."))
    problem = serializers.CharField(
        help_text=_("Why the line cannot be bought as it is now; empty when it can.")
    )


class CartSellerSerializer(serializers.Serializer):
    enterprise = EnterpriseRefSerializer()
    subtotal = serializers.IntegerField()
    lines = CartLineSerializer(many=True)


class CartSerializer(serializers.Serializer):
    sellers = CartSellerSerializer(many=True, source="groups")
    total = serializers.IntegerField()
    line_count = serializers.IntegerField()
    has_problems = serializers.BooleanField()


class CartLineInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.IntegerField(
        min_value=0, max_value=MAX_QUANTITY, help_text=_("The new quantity; 0 removes the line.")
    )


class SingleObjectSchema(AutoSchema):
    """The cart is one object, not a list, although the router calls its GET `list`."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class CartViewSet(viewsets.GenericViewSet):
    """The signed-in user's cart, grouped by seller, with each line's problem (stock, minimum
    order, no longer sold) as checkout would see it."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CartSerializer
    pagination_class = None
    filter_backends = []
    schema = SingleObjectSchema()

    def _cart_response(self, cart, *, status_code=status.HTTP_200_OK):
        view = order_selectors.cart_by_seller(cart=cart)
        return Response(CartSerializer(view, context=self.get_serializer_context()).data,
                        status=status_code)

    @extend_schema(responses=CartSerializer)
    def list(self, request):
        return self._cart_response(cart_services.cart_get(user=request.user))

    @extend_schema(request=CartLineInputSerializer, responses=CartSerializer)
    def create(self, request):
        """Set the quantity of a product in the cart (0 removes it)."""
        data = CartLineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cart = (cart_services.cart_get(user=request.user)
                or cart_services.cart_create(user=request.user))
        cart_services.cart_line_set(cart=cart, product=data.validated_data["product"],
                                    quantity=data.validated_data["quantity"])
        return self._cart_response(cart)

    @extend_schema(request=None, responses={204: None},
                   parameters=[OpenApiParameter("line_id", int, OpenApiParameter.PATH)])
    @action(detail=False, methods=["delete"], url_path=r"lines/(?P<line_id>\d+)")
    def remove_line(self, request, line_id=None):
        """Remove a line (by its id) from the cart."""
        cart = cart_services.cart_get(user=request.user)
        line_id = parse_id(line_id)
        if cart is None or line_id is None or not cart_services.cart_line_remove(
                cart=cart, line_id=line_id):
            raise NotFound
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Orders and their parts ----------------------------------------------------------------------


class OrderLineSerializer(serializers.ModelSerializer):
    total = serializers.IntegerField(read_only=True)

    class Meta:
        model = OrderLine
        fields = ["id", "product", "title", "unit", "unit_price", "quantity",
                  "refunded_quantity", "total"]


class PartReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "rating", "text", "reply", "replied_at", "created_at", "updated_at"]


class PartStatusField(serializers.ChoiceField):
    """A part's status. Buyers' and sellers' views of a part share one named enum in the schema
    (see PartStatusFieldExtension) instead of two copies that clash by name."""

    def __init__(self, **kwargs):
        super().__init__(choices=OrderPart.Status.choices, read_only=True, **kwargs)


class PartStatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = PartStatusField

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        component = ResolvedComponent(name="OrderPartStatusEnum", object="OrderPartStatusEnum",
                                      type=ResolvedComponent.SCHEMA, schema=schema)
        auto_schema.registry.register_on_missing(component)
        return component.ref


PART_FIELDS = ["id", "enterprise", "status", "fulfilment", "note_to_seller", "subtotal",
               "refunded", "amount_due", "paid_at", "has_transfer_proof", "proof_uploaded_at",
               "cancel_reason", "created_at", "confirmed_at", "sent_at", "completed_at",
               "cancelled_at", "lines"]


class OrderPartSerializer(serializers.ModelSerializer):
    """A part as its buyer sees it."""

    enterprise = EnterpriseRefSerializer(read_only=True)
    status = PartStatusField()
    amount_due = serializers.IntegerField(read_only=True)
    has_transfer_proof = serializers.SerializerMethodField()
    lines = OrderLineSerializer(many=True, read_only=True)
    review = serializers.SerializerMethodField()

    class Meta:
        model = OrderPart
        fields = [*PART_FIELDS, "review"]

    def get_has_transfer_proof(self, part) -> bool:
        return bool(part.transfer_proof)

    @extend_schema_field(PartReviewSerializer(allow_null=True))
    def get_review(self, part):
        try:
            return PartReviewSerializer(part.review).data
        except Review.DoesNotExist:
            return None


ORDER_FIELDS = ["number", "created_at", "payment_method", "payment_status", "total",
                "refunded_total", "pay_by", "paid_at", "recipient_name", "phone", "address",
                "village", "notes"]


class OrderSerializer(serializers.ModelSerializer):
    buyer_enterprise = EnterpriseRefSerializer(read_only=True, allow_null=True)
    parts = OrderPartSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [*ORDER_FIELDS, "buyer_enterprise", "parts"]


class PlacedOrderSerializer(OrderSerializer):
    payment_url = serializers.CharField(
        allow_null=True, read_only=True,
        help_text=_("Where to send the buyer to pay (card payments); null when the order page "
                    "explains how to pay."),
    )
    payment_error = serializers.CharField(read_only=True, allow_blank=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "payment_url", "payment_error"]


class PartChoiceSerializer(serializers.Serializer):
    enterprise = serializers.SlugRelatedField(slug_field="slug",
                                              queryset=Enterprise.objects.all())
    fulfilment = serializers.ChoiceField(choices=OrderPart.Fulfilment.choices,
                                         default=OrderPart.Fulfilment.DELIVERY)
    note_to_seller = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, default="")


class OrderPlaceSerializer(serializers.Serializer):
    """Checkout: the whole cart becomes an order, one part per seller."""

    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    recipient_name = serializers.CharField(max_length=120)
    phone = serializers.CharField(max_length=20)
    address = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, default="",
                                    help_text=_("Needed when any seller delivers."))
    village = serializers.CharField(max_length=120, allow_blank=True, default="")
    notes = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, default="")
    parts = PartChoiceSerializer(
        many=True, required=False,
        help_text=_("Delivery or pickup and a note for each seller (delivery by default)."),
    )
    buyer_enterprise = serializers.SlugRelatedField(
        slug_field="slug", queryset=Enterprise.objects.all(), required=False, allow_null=True,
        help_text=_("Buy as one of the enterprises you run."),
    )

    def validate_buyer_enterprise(self, enterprise):
        user = self.context["request"].user
        if enterprise is not None and not user_can_manage_enterprise(user=user,
                                                                     enterprise=enterprise):
            raise serializers.ValidationError(_("You can only buy as an enterprise you run."))
        return enterprise

    def validate_parts(self, parts):
        slugs = [choice["enterprise"].slug for choice in parts]
        if len(set(slugs)) != len(slugs):
            raise serializers.ValidationError(_("Name each seller once."))
        return parts


def _full_parts(queryset=None) -> Prefetch:
    queryset = OrderPart.objects.all() if queryset is None else queryset
    return Prefetch(
        "parts",
        queryset=queryset.select_related("enterprise", "review").prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
        ),
    )


class OrderViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The signed-in buyer's orders, newest first, with their parts and lines. POST places an
    order from the cart."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = OrderSerializer
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    filter_backends = []

    def get_queryset(self):
        return (
            Order.objects.filter(buyer=self.request.user)
            .select_related("buyer_enterprise")
            .prefetch_related(_full_parts())
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=OrderPlaceSerializer, responses={201: PlacedOrderSerializer})
    def create(self, request, *args, **kwargs):
        data = OrderPlaceSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        cart = cart_services.cart_get(user=request.user)
        if cart is None:
            raise ValidationError(_("Your cart is empty."))
        parts = {choice["enterprise"].pk: {"fulfilment": choice["fulfilment"],
                                           "note_to_seller": choice["note_to_seller"]}
                 for choice in values.get("parts", [])}
        order = order_services.order_place(
            buyer=request.user, cart=cart, payment_method=values["payment_method"],
            delivery={field: values[field] for field in order_services.DELIVERY_FIELDS},
            parts=parts, buyer_enterprise=values.get("buyer_enterprise"),
        )
        order = self.get_queryset().get(pk=order.pk)
        order.payment_url, order.payment_error = self._start_payment(request, order)
        return Response(PlacedOrderSerializer(order, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @staticmethod
    def _start_payment(request, order) -> tuple[str | None, str]:
        """The placed order stands even when the provider fails: the buyer can pay later from
        the order page, so the error is reported next to it rather than as a failure."""
        try:
            url = payment_start(order=order,
                                order_url=request.build_absolute_uri(order.get_absolute_url()))
        except ValidationError as error:
            return None, " ".join(error.messages)
        return url, ""


class SaleOrderSerializer(serializers.ModelSerializer):
    buyer_enterprise = EnterpriseRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Order
        fields = [*ORDER_FIELDS, "buyer_enterprise"]


class SalePartSerializer(serializers.ModelSerializer):
    """A part as the selling enterprise sees it: with the buyer's delivery details."""

    enterprise = EnterpriseRefSerializer(read_only=True)
    order = SaleOrderSerializer(read_only=True)
    status = PartStatusField()
    amount_due = serializers.IntegerField(read_only=True)
    has_transfer_proof = serializers.SerializerMethodField()
    transfer_proof_url = serializers.SerializerMethodField()
    needs_action = serializers.BooleanField(read_only=True, default=False)
    lines = OrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = OrderPart
        fields = [*PART_FIELDS, "platform_fee", "needs_action", "transfer_proof_url", "order"]

    def get_has_transfer_proof(self, part) -> bool:
        return bool(part.transfer_proof)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_transfer_proof_url(self, part) -> str | None:
        if not part.transfer_proof:
            return None
        url = reverse("transfer_proof", kwargs={"number": part.order.number, "pk": part.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AdvanceSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=[
        (value, label) for value, label in OrderPart.Status.choices
        if value not in (OrderPart.Status.PLACED, OrderPart.Status.CANCELLED)
    ])


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_LIMIT)


class RefundSerializer(serializers.Serializer):
    quantities = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY),
        help_text=_("How many to refund of each line: {order line id: quantity}."),
    )
    reason = serializers.CharField(max_length=TEXT_LIMIT)

    def validate_quantities(self, quantities):
        if any(not str(key).isdigit() for key in quantities):
            raise serializers.ValidationError(_("Use order line ids as keys."))
        chosen = {int(key): quantity for key, quantity in quantities.items() if quantity}
        if not chosen:
            raise serializers.ValidationError(_("Choose at least one item to refund."))
        return chosen


PART_STATUS = OpenApiParameter(
    "status", str, enum=OrderPart.Status.values, description=_("Only parts in this status."))
PART_ENTERPRISE = OpenApiParameter(
    "enterprise", str, description=_("Only parts sold by this enterprise (its slug)."))


@extend_schema_view(list=extend_schema(parameters=[PART_STATUS, PART_ENTERPRISE]))
class OrderPartViewSet(viewsets.ReadOnlyModelViewSet):
    """Order parts sold by the enterprises the signed-in user runs, newest first, and what the
    seller does with them."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SalePartSerializer
    filter_backends = []

    def get_queryset(self):
        parts = sale_selectors.sale_list(user=self.request.user).select_related(
            "order__buyer_enterprise")
        if self.action != "list":
            return parts
        params = self.request.query_params
        if params.get("status"):
            if params["status"] not in OrderPart.Status.values:
                raise serializers.ValidationError({"status": [_("Unknown status.")]})
            parts = parts.filter(status=params["status"])
        if params.get("enterprise"):
            parts = parts.filter(enterprise__slug=params["enterprise"])
        return parts

    def _fresh(self, part):
        return Response(self.get_serializer(self.get_queryset().get(pk=part.pk)).data)

    @extend_schema(request=None, responses=SalePartSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-payment")
    def confirm_payment(self, request, pk=None):
        """The bank transfer reached the seller's account."""
        part = self.get_object()
        order_services.order_part_payment_confirm(part=part, user=request.user)
        return self._fresh(part)

    @extend_schema(request=AdvanceSerializer, responses=SalePartSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        """Move the part on: placed → confirmed → shipped (delivery) or ready (pickup) →
        completed."""
        part = self.get_object()
        data = AdvanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_services.order_part_advance(part=part, user=request.user,
                                          to_status=data.validated_data["to_status"])
        return self._fresh(part)

    @extend_schema(request=ReasonSerializer, responses=SalePartSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel an open part: what was paid is refunded and the stock given back."""
        part = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_services.order_part_cancel(part=part, user=request.user,
                                         reason=data.validated_data["reason"])
        return self._fresh(part)

    @extend_schema(request=RefundSerializer, responses=SalePartSerializer)
    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        """Refund some quantities of the part's lines; nothing left cancels the part."""
        part = self.get_object()
        data = RefundSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_services.order_part_refund(part=part, user=request.user,
                                         quantities=data.validated_data["quantities"],
                                         reason=data.validated_data["reason"])
        return self._fresh(part)


# --- Reviews -------------------------------------------------------------------------------------


class ReviewSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseRefSerializer(read_only=True)
    author = serializers.CharField(source="author_name", read_only=True, allow_null=True,
                                   help_text=_("The buyer's first name only."))

    class Meta:
        model = Review
        fields = ["id", "enterprise", "rating", "text", "author", "reply", "replied_at",
                  "created_at", "updated_at"]


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("enterprise", str, description=_("Reviews of this enterprise (its slug).")),
    OpenApiParameter("product", int, description=_("Reviews of orders that included this "
                                                   "product (its id).")),
]))
class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Buyers' reviews of completed orders, newest first, with the sellers' replies."""

    serializer_class = ReviewSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = []

    def get_queryset(self):
        reviews = review_selectors.review_list().filter(
            enterprise__in=enterprise_list_visible())
        if self.action != "list":
            return reviews
        params = self.request.query_params
        if params.get("enterprise"):
            reviews = reviews.filter(enterprise__slug=params["enterprise"])
        product = query_id(self.request, "product", message=_("Give the product's id."))
        if product is not None:
            reviews = review_selectors.review_list_for_product(product=product, queryset=reviews)
        return reviews

