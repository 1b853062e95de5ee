from django.urls import path

from marketplace.views import reviews as views

urlpatterns = [
    path("orders/<str:number>/parts/<int:pk>/review/", views.review_create,
         name="review_create"),
    path("dashboard/sales/reviews/<int:pk>/reply/", views.review_reply, name="review_reply"),
    path("enterprises/<slug:slug>/reviews/", views.enterprise_reviews, name="enterprise_reviews"),
    path("products/<slug:slug>/reviews/", views.product_reviews, name="product_reviews"),
]
