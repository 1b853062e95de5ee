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
    from django.contrib.contenttypes.models import ContentType

    from enterprises.models import IncomeRecord

    # auth's own post_migrate handler may not have made the permission yet: make it here.
    permission, _created = Permission.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(IncomeRecord),
        codename="view_network_report",
        defaults={"name": "Can see the network report and every enterprise's income "
                          "(program officer)"},
    )
    group, _created = Group.objects.get_or_create(name=PROGRAM_OFFICERS_GROUP)
    group.permissions.add(permission)
