from django.urls import path

from marketplace.views import payments as views

urlpatterns = [
    path("<slug:slug>/connect/", views.stripe_connect_start, name="stripe_connect_start"),
    path("<slug:slug>/return/", views.stripe_connect_return, name="stripe_connect_return"),
]
