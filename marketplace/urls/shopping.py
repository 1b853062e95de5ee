from django.urls import path

from marketplace.views import shopping as views

urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/<int:product_id>/", views.cart_add, name="cart_add"),
    path("cart/lines/<int:pk>/", views.cart_line, name="cart_line"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
    path("orders/<str:number>/pay/", views.order_pay, name="order_pay"),
    path("orders/<str:number>/receipt/", views.order_receipt, name="order_receipt"),
    path("orders/<str:number>/parts/<int:pk>/proof/", views.transfer_proof,
         name="transfer_proof"),
    path("orders/<str:number>/parts/<int:pk>/cancel/", views.order_part_cancel,
         name="order_part_cancel_by_buyer"),
    path("orders/<str:number>/parts/<int:pk>/received/", views.order_part_received,
         name="order_part_received"),
]
