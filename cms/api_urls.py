from rest_framework.routers import DefaultRouter

from enterprises.api import EnterpriseViewSet
from enterprises.api.cooperatives import BookingViewSet, CooperativeViewSet, ProposalViewSet
from enterprises.api.network import NetworkImpactViewSet
from knowledge.api.articles import ArticleViewSet
from knowledge.api.events import EventViewSet
from marketplace.api import ProductViewSet
from marketplace.api.bulk_orders import BulkOrderViewSet
from marketplace.api.joint_offers import JointOfferViewSet
from marketplace.api.orders import CartViewSet, OrderPartViewSet, OrderViewSet, ReviewViewSet

router = DefaultRouter()
router.register("products", ProductViewSet, basename="api-product")
router.register("enterprises", EnterpriseViewSet, basename="api-enterprise")
router.register("cooperatives", CooperativeViewSet, basename="api-cooperative")
router.register("bulk-orders", BulkOrderViewSet, basename="api-bulk-order")
router.register("joint-offers", JointOfferViewSet, basename="api-joint-offer")
router.register("proposals", ProposalViewSet, basename="api-proposal")
router.register("bookings", BookingViewSet, basename="api-booking")
router.register("cart", CartViewSet, basename="api-cart")
router.register("orders", OrderViewSet, basename="api-order")
router.register("order-parts", OrderPartViewSet, basename="api-order-part")
router.register("reviews", ReviewViewSet, basename="api-review")
router.register("events", EventViewSet, basename="api-event")
router.register("articles", ArticleViewSet, basename="api-article")
router.register("network/impact", NetworkImpactViewSet, basename="api-network-impact")
