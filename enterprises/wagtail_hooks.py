"""Staff manage enterprises, skills and regions from the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from enterprises.models import Enterprise, Region, Skill


class EnterpriseViewSet(SnippetViewSet):
    model = Enterprise
    icon = "group"
    menu_label = _("Enterprises")
    list_display = ["name", "sector", "regency", "is_active"]
    list_filter = ["sector", "is_active", "province"]
    search_fields = ["name", "description"]
    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("sector"),
                         FieldPanel("description"), FieldPanel("logo")], heading=_("Profile")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("province"), FieldPanel("regency")]),
                         FieldRowPanel([FieldPanel("district"), FieldPanel("village")])],
                        heading=_("Location")),
        MultiFieldPanel([FieldPanel("whatsapp"), FieldPanel("year_founded"),
                         FieldPanel("people"), FieldPanel("is_active")], heading=_("Details")),
    ]


class SkillViewSet(SnippetViewSet):
    model = Skill
    icon = "tick"
    menu_label = _("Skills")
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]


class EnterpriseGroup(SnippetViewSetGroup):
    menu_label = _("Enterprises")
    menu_icon = "group"
    menu_order = 200
    items = (EnterpriseViewSet, SkillViewSet, RegionViewSet)


register_snippet(EnterpriseGroup)
