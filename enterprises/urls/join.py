"""Mounted at /join/: invite links an enterprise shares (/join/<code>/)."""

from django.urls import path

# Imported by name: the package enterprises.views has its own `connections` attribute.
from enterprises.views.connections import join

urlpatterns = [
    path("<str:code>/", join, name="join"),
]
