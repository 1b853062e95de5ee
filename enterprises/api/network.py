"""GET /api/v1/network/impact/: the network-impact report as JSON, for staff and program
officers. The same filters as the /network/ page (enterprises.forms_network.ImpactFilterForm);
the body is enterprises.impact.impact_report's dict."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from cms.api_schema import AutoSchema
from enterprises import charts
from enterprises.forms_network import ImpactFilterForm
from enterprises.impact import DEFAULT_TIE_KINDS, impact_report
from enterprises.models import Sector, Tie
from enterprises.selectors import user_is_program_officer


class IsProgramOfficer(permissions.BasePermission):
    message = _("Only staff and program officers can see the network report.")

    def has_permission(self, request, view) -> bool:
        return user_is_program_officer(user=request.user)


class SingleObjectSchema(AutoSchema):
    """The report is one object, not a list, although the router calls its GET `list`."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


# --- The response, described for the OpenAPI schema ---------------------------------------------


class EventStudyPointSerializer(serializers.Serializer):
    e = serializers.IntegerField(help_text=_("Months relative to the event (0: its month)."))
    att = serializers.FloatField(help_text=_("Change in monthly income (Rp)."))
    se = serializers.FloatField()
    ci_low = serializers.FloatField()
    ci_high = serializers.FloatField()
    n_treated = serializers.IntegerField(help_text=_(
        "Treated enterprises behind this point. Points that fewer than five enterprises reached "
        "are left out (privacy)."))


class PretrendSerializer(serializers.Serializer):
    statistic = serializers.FloatField(help_text="F statistic (cluster-corrected Wald).")
    df = serializers.IntegerField()
    df_denominator = serializers.IntegerField()
    p_value = serializers.FloatField()


class EstimateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "refused"])
    reason = serializers.CharField(help_text=_("Why it refused; empty when ok."))
    att = serializers.FloatField(allow_null=True, help_text=_(
        "Average change in monthly income (Rp) over all treated enterprises and months after "
        "the event (simple aggregation)."))
    se = serializers.FloatField(allow_null=True, help_text=_("Clustered by enterprise."))
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    pre_mean = serializers.FloatField(allow_null=True, help_text=_(
        "Treated enterprises' mean monthly income before the event (Rp)."))
    pct_of_pre_mean = serializers.FloatField(allow_null=True)
    n_units = serializers.IntegerField(allow_null=True)
    n_treated = serializers.IntegerField(allow_null=True)
    n_cohorts = serializers.IntegerField(allow_null=True)
    n_periods = serializers.IntegerField(allow_null=True)
    control_group = serializers.ChoiceField(choices=["notyet", "never"])
    event_study = EventStudyPointSerializer(many=True)
    event_study_suppressed = serializers.IntegerField(help_text=_(
        "Event times left out because fewer than five enterprises reached them."))
    pretrend = PretrendSerializer(allow_null=True)
    caveats = serializers.ListField(child=serializers.CharField())


class AssociationSerializer(serializers.Serializer):
    slope = serializers.FloatField(allow_null=True, help_text=_(
        "Rp per month per unit of log(1 + ties), within enterprise and month."))
    se = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    n_obs = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()


class IncomeGroupSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["0", "1-2", "3-5", "6+"])
    label = serializers.CharField()
    values = serializers.ListField(
        child=serializers.FloatField(allow_null=True),
        help_text=_("Mean income per month; null when fewer than five enterprises."))


class IncomeByNetworkSizeSerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.CharField(help_text="YYYY-MM"))
    groups = IncomeGroupSerializer(many=True)


class FiltersSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=["tie", "cooperative"])
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=Tie.Kind.values))
    control_group = serializers.ChoiceField(choices=["notyet", "never"])
    village = serializers.CharField()
    cooperative_id = serializers.IntegerField(allow_null=True)
    sector = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)


class ImpactReportSerializer(EstimateSerializer):
    association = AssociationSerializer(allow_null=True)
    marketplace_only = EstimateSerializer(allow_null=True, help_text=_(
        "The same estimate on sales on Guyub only (no self-reported or imported income)."))
    income_by_network_size = IncomeByNetworkSizeSerializer()
    filters = FiltersSerializer()


PARAMETERS = [
    OpenApiParameter("event", str, enum=["tie", "cooperative"], description=_(
        "The event: an enterprise's first tie of `kinds` (default) or joining a cooperative.")),
    OpenApiParameter("kinds", str, many=True, explode=False, enum=Tie.Kind.values, description=_(
        "Kinds of tie, comma-separated or repeated; default %(kinds)s.")
        % {"kinds": ",".join(DEFAULT_TIE_KINDS)}),
    OpenApiParameter("control_group", str, enum=["notyet", "never"], description=_(
        "Compare with enterprises not yet treated (default) or never treated.")),
    OpenApiParameter("village", str, description=_("Only this village (exact name).")),
    OpenApiParameter("cooperative", str, description=_(
        "Only enterprises that were ever active members of this cooperative (its slug).")),
    OpenApiParameter("sector", str, enum=Sector.values, description=_("Only this sector.")),
    OpenApiParameter("start", str, description=_(
        "First month, YYYY-MM; default 36 months before `end`.")),
    OpenApiParameter("end", str, description=_("Last month, YYYY-MM; default the last "
                                                "complete month.")),
]


class NetworkImpactViewSet(viewsets.ViewSet):
    """The network-impact report: a staggered event study (Callaway and Sant'Anna) of monthly
    income around an enterprise's first tie, with the marketplace-only estimate, the two-way
    fixed-effects association and income by network size. A selection too small to estimate
    answers 200 with `status` "refused" and a `reason`."""

    permission_classes = [IsProgramOfficer]
    schema = SingleObjectSchema()

    @extend_schema(parameters=PARAMETERS, responses=ImpactReportSerializer)
    def list(self, request):
        form = ImpactFilterForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.error_dict())
        return Response(charts.finite_or_none(impact_report(query=form.query())))
