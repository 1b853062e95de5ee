"""Cached catalogue counts depend on these models; any save or delete invalidates them."""

from django.db.models.signals import post_delete, post_save

from enterprises.models import Enterprise
from marketplace.models import Category, Product
from marketplace.services import catalogue_changed


def _catalogue_changed(sender, **kwargs) -> None:
    catalogue_changed()


def connect() -> None:
    for model in (Product, Enterprise, Category):
        for signal in (post_save, post_delete):
            signal.connect(_catalogue_changed, sender=model, dispatch_uid=f"catalogue-{model}")
