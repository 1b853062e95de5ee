from django.urls import path

from enterprises.views import bookings as views

urlpatterns = [
    path("", views.resource_list, name="resource_list"),
    path("new/", views.resource_edit, name="resource_create"),
    path("costs/", views.resource_costs, name="resource_costs"),
    path("<int:pk>/", views.resource_detail, name="resource_detail"),
    path("<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("<int:pk>/bookings/<int:booking_pk>/cancel/", views.booking_cancel,
         name="booking_cancel"),
]
