"""Mounted at cooperatives/<slug:slug>/proposals/ (cms/urls.py)."""

from django.urls import path

from enterprises.views import decisions as views

urlpatterns = [
    path("", views.proposal_list, name="proposal_list"),
    path("new/", views.proposal_create, name="proposal_create"),
    path("<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("<int:pk>/vote/", views.proposal_vote, name="proposal_vote"),
]
