import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from enterprises.models import Cooperative, Enterprise, EnterpriseSkill, Region, Sector, Skill


def region_filters(path: str = "") -> type[django_filters.FilterSet]:
    """`province` and `regency` filters by slug, for a model that reaches the enterprise's
    regions through `path` (e.g. "enterprise__")."""

    class RegionFilters(django_filters.FilterSet):
        province = django_filters.ModelChoiceFilter(
            queryset=Region.objects.filter(level=Region.Level.PROVINCE), to_field_name="slug",
            field_name=f"{path}province", label=_("Province"),
        )
        regency = django_filters.ModelChoiceFilter(
            queryset=Region.objects.filter(level=Region.Level.REGENCY), to_field_name="slug",
            field_name=f"{path}regency", label=_("Regency or city"),
        )

    return RegionFilters


class EnterpriseFilter(region_filters()):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    search = django_filters.CharFilter(method="filter_text", label=_("Search"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    skill = django_filters.ModelChoiceFilter(
        queryset=Skill.objects.all(), to_field_name="slug", method="filter_skill",
        label=_("Skill"),
    )

    class Meta:
        model = Enterprise
        fields = []

    def filter_text(self, queryset, name, value):
        for term in value.split()[:8]:
            queryset = queryset.filter(
                Q(name__icontains=term) | Q(description__icontains=term)
                | Q(village__icontains=term) | Q(district__icontains=term)
            )
        return queryset

    @extend_schema_field(OpenApiTypes.STR)  # the skill's slug
    def filter_skill(self, queryset, name, value):
        return queryset.filter(skills__skill=value, skills__is_active=True).distinct()


class SkillOfferFilter(region_filters("enterprise__")):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    skill = django_filters.ModelChoiceFilter(
        queryset=Skill.objects.all(), to_field_name="slug", label=_("Skill")
    )

    class Meta:
        model = EnterpriseSkill
        fields = []

    def filter_text(self, queryset, name, value):
        for term in value.split()[:8]:
            queryset = queryset.filter(
                Q(skill__name__icontains=term) | Q(skill__name_en__icontains=term)
                | Q(description__icontains=term) | Q(enterprise__name__icontains=term)
            )
        return queryset


class CooperativeFilter(region_filters()):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = Cooperative
        fields = []

    def filter_text(self, queryset, name, value):
        for term in value.split()[:8]:
            queryset = queryset.filter(
                Q(name__icontains=term) | Q(description__icontains=term)
                | Q(regency__name__icontains=term)
            )
        return queryset
