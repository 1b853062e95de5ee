"""/network/: the network report for staff and program officers (issue 6)."""

from django.urls import path

from enterprises.views import network as views

urlpatterns = [
    path("", views.network_report, name="network_report"),
    path("metrics/refresh/", views.network_metrics_refresh, name="network_metrics_refresh"),
    path("metrics/status/", views.network_metrics_status, name="network_metrics_status"),
    path("panel.csv", views.network_panel_csv, name="network_panel_csv"),
    path("map/", views.network_map, name="network_map"),
    path("enterprises/<slug:slug>/", views.network_enterprise, name="network_enterprise"),
]
