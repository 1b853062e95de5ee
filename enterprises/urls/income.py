"""/network/income/: programmes' income data (issue 6)."""

from django.urls import path

from enterprises.views import income_import as views

urlpatterns = [
    path("import/", views.income_import, name="income_import"),
    path("import/template.csv", views.income_import_template, name="income_import_template"),
]
