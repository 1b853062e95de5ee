from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge, events and forum")

    def ready(self):
        from knowledge.services.articles import signals_connect

        post_migrate.connect(_ensure_sections, sender=self)
        # Contributors hear when moderators publish their article or ask for changes, wherever
        # the publishing happens (the admin, scheduled publishing in the worker).
        signals_connect()


def _ensure_sections(**kwargs):
    # Real models, not migration state: the section pages and the English page tree are made
    # by the same service the demo and the tests use, after every migrate.
    from knowledge.services.pages import site_sections_ensure

    site_sections_ensure()
