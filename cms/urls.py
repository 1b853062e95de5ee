from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.authtoken.views import obtain_auth_token
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import api as cms_api
from cms import views as cms_views
from cms import views_pwa
from cms.api_urls import router
from cms.page_cache import cache_public_page
from enterprises import views as enterprise_views
from marketplace import views as market_views

api_patterns = [
    path("", include(router.urls)),
    path("auth/token/", obtain_auth_token, name="api_token"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_docs"),
    # Last: anything else ending in a slash is the API's JSON 404 (without the slash,
    # CommonMiddleware still redirects to the slashed address first).
    re_path(r"^.*/$", cms_api.not_found, name="api_not_found"),
]

handler500 = "cms.views.server_error"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("health/", cms_views.health, name="health"),
    path("health/tasks/", cms_views.task_health, name="task_health"),
    # The service worker sits at the root so that its scope is the whole site.
    path("sw.js", views_pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", views_pwa.manifest, name="web_manifest"),
    path("api/v1/", include(api_patterns)),
    path("payments/", include("marketplace.urls.payments")),
]

dashboard_patterns = [
    path("", enterprise_views.dashboard, name="dashboard"),
    path("enterprises/new/", enterprise_views.enterprise_create, name="enterprise_create"),
    path("enterprises/<slug:slug>/edit/", enterprise_views.enterprise_edit,
         name="enterprise_edit"),
    path("enterprises/<slug:slug>/skills/new/", enterprise_views.skill_offer_edit,
         name="skill_offer_create"),
    path("enterprises/<slug:slug>/skills/<int:pk>/edit/", enterprise_views.skill_offer_edit,
         name="skill_offer_edit"),
    path("enterprises/<slug:slug>/products/new/", market_views.product_create,
         name="product_create"),
    path("products/<slug:slug>/edit/", market_views.product_edit, name="product_edit"),
    path("products/<slug:slug>/toggle/", market_views.product_toggle_active,
         name="product_toggle_active"),
    path("sales/", include("marketplace.urls.sales")),
    path("mentoring/", include("knowledge.urls.mentoring_dashboard")),
    path("network/", include("enterprises.urls.connections")),
    path("stripe/", include("marketplace.urls.stripe_connect")),
]

account_patterns = [
    path("signup/", cms_views.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("", include("django.contrib.auth.urls")),
]

urlpatterns += i18n_patterns(
    path("products/", market_views.product_list, name="product_list"),
    path("products/<slug:slug>/", market_views.product_detail, name="product_detail"),
    path("enterprises/", enterprise_views.enterprise_list, name="enterprise_list"),
    path("enterprises/<slug:slug>/", enterprise_views.enterprise_detail,
         name="enterprise_detail"),
    path("skills/", enterprise_views.skill_list, name="skill_list"),
    path("cooperatives/<slug:slug>/resources/", include("enterprises.urls.bookings")),
    path("cooperatives/<slug:slug>/proposals/", include("enterprises.urls.decisions")),
    path("cooperatives/", include("enterprises.urls.cooperatives")),
    path("bulk-orders/", include("marketplace.urls.bulk_orders")),
    path("joint-offers/", include("marketplace.urls.joint_offers")),
    path("dashboard/", include(dashboard_patterns)),
    # /knowledge/ and /events/ themselves are Wagtail pages; these are the actions around them.
    path("knowledge/", include("knowledge.urls.articles")),
    path("events/", include("knowledge.urls.events")),
    path("forum/", include("knowledge.urls.forum")),
    path("mentoring/", include("knowledge.urls.mentoring")),
    path("network/income/", include("enterprises.urls.income")),
    path("network/", include("enterprises.urls.network")),
    path("join/", include("enterprises.urls.join")),
    path("", include("marketplace.urls.shopping")),
    path("", include("marketplace.urls.reviews")),
    path("accounts/", include(account_patterns)),
    path("notifications/", cms_views.notification_list, name="notification_list"),
    path("notifications/read/", cms_views.notification_read, name="notification_read_all"),
    path("notifications/<int:pk>/read/", cms_views.notification_read, name="notification_read"),
    path("offline/", views_pwa.offline, name="offline"),
    # The home page, busiest of all, is shared by anonymous visitors before Wagtail routes it.
    path("", require_safe(cache_public_page(wagtail_views.serve)), {"path": ""}, name="home"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns.insert(0, path("media/<path:path>", cms_views.media, name="media"))
