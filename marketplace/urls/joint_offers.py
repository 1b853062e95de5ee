from django.urls import path

from marketplace.views import joint_offers as views

urlpatterns = [
    path("new/", views.joint_offer_create, name="joint_offer_create"),
    path("<int:pk>/", views.joint_offer_detail, name="joint_offer_detail"),
    path("<int:pk>/pledge/", views.pledge_save, name="joint_offer_pledge"),
    path("<int:pk>/withdraw/", views.pledge_withdraw, name="joint_offer_withdraw"),
]
