"""Staff manage products and categories from the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from enterprises.models import Enterprise
from marketplace import services
from marketplace.models import Category, Order, Product


class ProductViewSet(SnippetViewSet):
    model = Product
    icon = "tag"
    menu_label = _("Products")
    list_display = ["title", "enterprise", "category", "price", "stock", "is_active"]
    list_filter = ["is_active", "category"]
    search_fields = ["title", "description"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["name", "name_en", "parent"]
    search_fields = ["name", "name_en"]


class MarketplaceGroup(SnippetViewSetGroup):
    menu_label = _("Marketplace")
    menu_icon = "tag"
    menu_order = 210
    items = (ProductViewSet, CategoryViewSet)


register_snippet(MarketplaceGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def refresh_search_document(request, instance):
    """Admin edits bypass the services, so keep the search text in step here."""
    if isinstance(instance, Product):
        services.product_search_document_refresh(product=instance)
    elif isinstance(instance, Enterprise):
        for product in instance.products.select_related("category", "enterprise"):
            services.product_search_document_refresh(product=product)



class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Orders change only through the services (stock, ledger, refunds), never by editing."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(
            user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Order, ReadOnlyPermissionPolicy(Order), exact_class=True)


class OrderViewSet(ModelViewSet):
    model = Order
    icon = "list-ul"
    menu_label = _("Orders")
    menu_order = 215
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["number", "recipient_name", "total", "payment_method", "payment_status",
                    "created_at"]
    list_filter = ["payment_status", "payment_method"]
    search_fields = ["number", "recipient_name", "phone"]
    form_fields = ["notes"]


@hooks.register("register_admin_viewset")
def register_order_viewset():
    return OrderViewSet("orders")
