from django.urls import path

from marketplace.views import bulk_orders as views

urlpatterns = [
    path("new/", views.bulk_order_create, name="bulk_order_create"),
    path("<int:pk>/", views.bulk_order_detail, name="bulk_order_detail"),
    path("<int:pk>/commit/", views.commitment_save, name="bulk_order_commit"),
    path("<int:pk>/withdraw/", views.commitment_withdraw, name="bulk_order_withdraw"),
    path("<int:pk>/close/", views.bulk_order_close, name="bulk_order_close"),
    path("<int:pk>/sent/", views.bulk_order_mark_sent, name="bulk_order_mark_sent"),
    path("<int:pk>/pay/", views.allocation_pay, name="bulk_order_pay"),
]
