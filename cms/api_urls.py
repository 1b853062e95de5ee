from rest_framework.routers import DefaultRouter

from enterprises.api import EnterpriseViewSet
from marketplace.api import ProductViewSet

router = DefaultRouter()
router.register("products", ProductViewSet, basename="api-product")
router.register("enterprises", EnterpriseViewSet, basename="api-enterprise")
