"""Mounted at /dashboard/mentoring/."""

from django.urls import path

from knowledge.views import mentoring

urlpatterns = [
    path("", mentoring.mentoring_dashboard, name="mentoring_dashboard"),
    path("offers/new/", mentoring.mentoring_offer_create, name="mentoring_offer_create"),
    path("offers/<int:pk>/edit/", mentoring.mentoring_offer_edit, name="mentoring_offer_edit"),
    path("offers/<int:pk>/toggle/", mentoring.mentoring_offer_toggle,
         name="mentoring_offer_toggle"),
    path("requests/<int:pk>/decide/", mentoring.mentoring_request_decide,
         name="mentoring_request_decide"),
    path("requests/<int:pk>/withdraw/", mentoring.mentoring_request_withdraw,
         name="mentoring_request_withdraw"),
]
