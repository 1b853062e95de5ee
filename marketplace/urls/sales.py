from django.urls import path

from marketplace.views import sales as views

urlpatterns = [
    path("", views.sales_list, name="sales_list"),
    path("<int:pk>/", views.sale_detail, name="sale_detail"),
    path("<int:pk>/payment/", views.sale_payment_confirm, name="sale_payment_confirm"),
    path("<int:pk>/status/", views.sale_advance, name="sale_advance"),
    path("<int:pk>/cancel/", views.sale_cancel, name="sale_cancel"),
    path("<int:pk>/refund/", views.sale_refund, name="sale_refund"),
    path("ledger/<slug:slug>/", views.enterprise_ledger, name="enterprise_ledger"),
    path("ledger/<slug:slug>.csv", views.enterprise_ledger_csv, name="enterprise_ledger_csv"),
    path("payouts/", views.payouts, name="payouts"),
]
