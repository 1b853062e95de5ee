from django.urls import path

from knowledge.views import mentoring

urlpatterns = [
    path("", mentoring.mentoring_list, name="mentoring_list"),
    path("<int:pk>/request/", mentoring.mentoring_request, name="mentoring_request"),
]
