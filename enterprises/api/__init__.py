from rest_framework import serializers, viewsets

from enterprises import selectors
from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise, EnterpriseSkill


class SkillOfferSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="skill.name", read_only=True)

    class Meta:
        model = EnterpriseSkill
        fields = ["skill", "name", "description", "rate", "rate_unit"]


class EnterpriseSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    regency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    skills = SkillOfferSerializer(many=True, read_only=True)
    product_count = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id", "slug", "name", "sector", "description", "province", "regency", "district",
            "village", "whatsapp", "year_founded", "people", "product_count", "skills", "url",
        ]


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """Active enterprises, with the same filters as the /enterprises/ page."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.enterprise_list_cards().order_by("name", "pk")
