from django.urls import path

from enterprises.views import cooperatives as views

urlpatterns = [
    path("", views.cooperative_list, name="cooperative_list"),
    path("new/", views.cooperative_create, name="cooperative_create"),
    path("<slug:slug>/", views.cooperative_detail, name="cooperative_detail"),
    path("<slug:slug>/edit/", views.cooperative_edit, name="cooperative_edit"),
    path("<slug:slug>/members/", views.membership_manage, name="membership_manage"),
    path("<slug:slug>/members/apply/", views.membership_apply, name="membership_apply"),
    path("<slug:slug>/members/invite/", views.membership_invite, name="membership_invite"),
    path("<slug:slug>/members/<int:pk>/accept/", views.membership_accept,
         name="membership_accept"),
    path("<slug:slug>/members/<int:pk>/decline/", views.membership_decline,
         name="membership_decline"),
    path("<slug:slug>/members/<int:pk>/leave/", views.membership_leave, name="membership_leave"),
    path("<slug:slug>/members/<int:pk>/role/", views.membership_role, name="membership_role"),
]
