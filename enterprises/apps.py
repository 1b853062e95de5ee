from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

PROGRAM_OFFICERS_GROUP = "Program officers"


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        post_migrate.connect(_ensure_program_officers, sender=self)


def _ensure_program_officers(**kwargs):
    """The group an administrator adds program officers to: they see the network report and
    enterprises' income (enterprises.view_network_report), nothing else."""
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.filter(
        content_type__app_label="enterprises", codename="view_network_report"
    ).first()
    if permission is not None:
        group, _created = Group.objects.get_or_create(name=PROGRAM_OFFICERS_GROUP)
        group.permissions.add(permission)
