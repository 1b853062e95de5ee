"""Mounted at /dashboard/network/: an enterprise's own network page, its income, and the
actions on them (POST only)."""

from django.urls import path

# Imported by name: the package enterprises.views has its own `connections` attribute.
from enterprises.views.connections import (
    collaboration_confirm,
    collaboration_decline,
    collaboration_request_create,
    collaboration_withdraw,
    income_history,
    income_report,
    invite_renew,
    referred_by_set,
    your_network,
    your_network_index,
)

urlpatterns = [
    path("", your_network_index, name="your_network_index"),
    path("collaborations/<int:pk>/confirm/", collaboration_confirm,
         name="collaboration_confirm"),
    path("collaborations/<int:pk>/decline/", collaboration_decline,
         name="collaboration_decline"),
    path("collaborations/<int:pk>/withdraw/", collaboration_withdraw,
         name="collaboration_withdraw"),
    path("<slug:slug>/", your_network, name="your_network"),
    path("<slug:slug>/invite/renew/", invite_renew, name="invite_renew"),
    path("<slug:slug>/referred-by/", referred_by_set, name="referred_by_set"),
    path("<slug:slug>/collaborations/new/", collaboration_request_create,
         name="collaboration_request"),
    path("<slug:slug>/income/", income_history, name="income_history"),
    path("<slug:slug>/income/report/", income_report, name="income_report"),
]
