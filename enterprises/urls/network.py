"""Placeholder; filled in by the network work (issue 6)."""

urlpatterns = []
