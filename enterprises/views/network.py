"""The network report for program officers (/network/): platform network figures, the impact
estimate with its filters, the panel as CSV, the network map and one enterprise's income and
position.

Every page here shows enterprises' income or their business ties, so all of them are for staff
and program officers only (enterprises.selectors.user_is_program_officer): anonymous visitors
are sent to log in, anyone else gets a 403 page that says whom to ask. Cooperative managers do
not see their cooperative's map either: members tell Guyub who supplies, buys from, refers and
mentors whom for the programme's measurement, not for their managers to watch, and each circle
also counts the member's ties outside the cooperative. Each enterprise sees its own ties on its
dashboard; a manager's view could come later, with the members' agreement."""

import csv
import math
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from enterprises import charts
from enterprises.forms_network import VILLAGE_MAX_LENGTH, ImpactFilterForm
from enterprises.impact import impact_panel, impact_report
from enterprises.models import (
    Cooperative,
    Enterprise,
    IncomeRecord,
    NetworkPosition,
    NetworkSnapshot,
    Tie,
)
from enterprises.network import network_subgraph
from enterprises.selectors import user_is_program_officer
from enterprises.selectors.network import (
    network_snapshot_failed,
    network_snapshot_latest,
    network_snapshot_pending,
)
from enterprises.services.network import network_snapshot_request

TOP_BROKERS = 10
MAP_VILLAGES = 60
ENTERPRISE_TIES = 100
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REPORT_TEMPLATE = "enterprises/network/report.html"


def officers_only(view):
    """Staff and program officers; anyone else logged in sees why they cannot."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_program_officer(user=request.user):
            return render(request, "enterprises/network/forbidden.html", status=403)
        response = view(request, *args, **kwargs)
        # Enterprises' income and ties: never in a shared cache.
        patch_cache_control(response, private=True)
        return response

    return wrapper


# --- Platform figures ----------------------------------------------------------------------------


def _status_context() -> dict:
    latest = network_snapshot_latest()
    return {"snapshot": latest, "pending": network_snapshot_pending(),
            "failed": network_snapshot_failed(latest=latest)}


def _ties_by_kind(summary: dict) -> list[dict]:
    labels = dict(Tie.Kind.choices)
    counts = summary.get("ties_by_kind") or {}
    return [{"kind": kind, "label": labels.get(kind, kind), "count": counts[kind]}
            for kind in Tie.Kind.values if counts.get(kind)]


def _network_context(snapshot: NetworkSnapshot | None) -> dict:
    if snapshot is None:
        return {}
    summary = charts.finite_or_none(snapshot.summary or {})
    gained = summary.get("ties_gained_by_month") or []
    return {
        "summary": summary,
        "ties_by_kind": _ties_by_kind(summary),
        "ties_gained": gained,
        "ties_gained_svg": charts.ties_by_month_svg(gained),
        "brokers": list(
            NetworkPosition.objects.filter(snapshot=snapshot, betweenness__gt=0)
            .select_related("enterprise").order_by("-betweenness", "enterprise__name")[
                :TOP_BROKERS]
        ),
    }


# --- The impact estimate -------------------------------------------------------------------------


def _signed_rupiah(value) -> str:
    """"+Rp 120.000" or "−Rp 15.000", never broken across lines."""
    if value is None:
        return ""
    amount = round(value)
    sign = "+" if amount > 0 else ("\u2212" if amount < 0 else "")
    return sign + charts.rupiah(abs(amount)).replace(" ", "\u00a0")


def _estimate_words(estimate: dict | None) -> dict:
    """Numbers of an estimate as the page writes them."""
    if not estimate or estimate.get("status") != "ok":
        return {}
    low, high = estimate.get("ci_low"), estimate.get("ci_high")
    words = {
        "att": _signed_rupiah(estimate.get("att")),
        "ci_low": _signed_rupiah(low),
        "ci_high": _signed_rupiah(high),
        "excludes_zero": low is not None and high is not None and (low > 0 or high < 0),
        "positive": (estimate.get("att") or 0) > 0,
    }
    pretrend = estimate.get("pretrend")
    if pretrend and pretrend.get("p_value") is not None:
        words["pretrend_ok"] = pretrend["p_value"] >= 0.05
    return words


def _association_words(association: dict | None) -> dict:
    """The slope is per unit of log(1 + ties); doubling (1 + ties) adds slope x ln 2."""
    if not association or association.get("slope") is None:
        return {}
    doubling = math.log(2)
    words = {"doubling": _signed_rupiah(abs(association["slope"]) * doubling).lstrip("+"),
             "higher": association["slope"] >= 0}
    if association.get("ci_low") is not None and association.get("ci_high") is not None:
        words["ci_low"] = _signed_rupiah(association["ci_low"] * doubling)
        words["ci_high"] = _signed_rupiah(association["ci_high"] * doubling)
    return words


def _table_rows(income_by_network_size: dict) -> list[dict]:
    """The chart's numbers as table rows: one per month, a value (or None) per group."""
    groups = [group.get("values") or [] for group in income_by_network_size.get("groups") or []]
    return [
        {"month": month,
         "values": [values[index] if index < len(values) else None for values in groups]}
        for index, month in enumerate(income_by_network_size.get("months") or [])
    ]


def _report_context(form: ImpactFilterForm) -> dict:
    if not form.is_valid():
        return {"report": None}
    report = charts.finite_or_none(impact_report(query=form.query()))
    event_label = (_("joining a cooperative") if form.cleaned_data["event"] == "cooperative"
                   else _("the first tie"))
    income_groups = report.get("income_by_network_size") or {"months": [], "groups": []}
    return {
        "report": report,
        "event_label": event_label,
        "words": _estimate_words(report),
        "marketplace": report.get("marketplace_only") or {},
        "marketplace_words": _estimate_words(report.get("marketplace_only")),
        "association": report.get("association") or {},
        "association_words": _association_words(report.get("association")),
        "event_rows": [
            {"e": point.get("e"), "att": _signed_rupiah(point.get("att")),
             "ci_low": _signed_rupiah(point.get("ci_low")),
             "ci_high": _signed_rupiah(point.get("ci_high"))}
            for point in report.get("event_study") or []
        ],
        "event_study_svg": charts.event_study_svg(report.get("event_study") or [],
                                                  event_label=event_label),
        "income_groups": income_groups,
        "income_rows": _table_rows(income_groups),
        "income_groups_svg": charts.income_groups_svg(income_groups),
        "cooperative": form.cleaned_data.get("cooperative"),
    }


def _report_page(request, form: ImpactFilterForm, *, status: int = 200):
    status_context = _status_context()
    context = {
        "form": form,
        "query_string": request.GET.urlencode(),
        **status_context,
        **_network_context(status_context["snapshot"]),
        **_report_context(form),
    }
    return render(request, REPORT_TEMPLATE, context, status=status)


@require_safe
@officers_only
def network_report(request):
    return _report_page(request, ImpactFilterForm(request.GET))


@require_POST
@officers_only
def network_metrics_refresh(request):
    snapshot = network_snapshot_request(user=request.user)
    if snapshot.status == NetworkSnapshot.Status.DONE:
        messages.success(request, _("The network figures are up to date."))
    else:
        messages.success(request, _("Guyub is computing the network figures. This page shows "
                                    "its progress."))
    return redirect("network_report")


@require_safe
@officers_only
def network_metrics_status(request):
    """The progress of a queued or running computation, polled by htmx every few seconds;
    when it has ended, the whole page reloads to show the new figures."""
    context = _status_context()
    if request.htmx:
        if context["pending"] is None and request.GET.get("polling"):
            return HttpResponseClientRefresh()
        return render(request, f"{REPORT_TEMPLATE}#metrics_status", context)
    return redirect("network_report")


@require_safe
@officers_only
def network_panel_csv(request):
    """The filtered panel, one row per enterprise and month. It holds individual income, so it
    is for officers only and is never cached."""
    form = ImpactFilterForm(request.GET)
    if not form.is_valid():
        return _report_page(request, form, status=400)
    query = form.query()
    panel = impact_panel(query=query)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    first, last = panel["month"].min() if len(panel) else None, (
        panel["month"].max() if len(panel) else None)
    name = "guyub-panel" + (f"-{first:%Y-%m}-{last:%Y-%m}" if first and last else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    add_never_cache_headers(response)
    writer = csv.writer(response)
    columns = list(panel.columns)
    writer.writerow(columns)
    for row in panel.itertuples(index=False, name=None):
        writer.writerow([_csv_cell(value) for value in row])
    return response


def _csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


# --- The network map -----------------------------------------------------------------------------


def _map_chooser(request, *, error: str = "", status: int = 200):
    cooperatives = (
        Cooperative.objects.filter(is_active=True).only("name", "slug").order_by("name", "pk")
    )
    villages = (
        Enterprise.objects.filter(is_active=True).exclude(village="")
        .values("village").annotate(count=Count("pk")).order_by("-count", "village")[
            :MAP_VILLAGES]
    )
    return render(request, "enterprises/network/map_chooser.html", {
        "cooperatives": cooperatives, "villages": list(villages), "error": error,
        "village_max_length": VILLAGE_MAX_LENGTH,
    }, status=status)


@require_safe
@officers_only
def network_map(request):
    slug = request.GET.get("cooperative", "").strip()
    village = " ".join(request.GET.get("village", "").split())
    cooperative = None
    if slug:
        cooperative = Cooperative.objects.filter(is_active=True, slug=slug).first()
        if cooperative is None:
            return _map_chooser(request, status=404, error=_(
                "There is no active cooperative at that address. Choose one below."))
    elif village:
        if len(village) > VILLAGE_MAX_LENGTH:
            return _map_chooser(request, status=400, error=_(
                "A village name has %(count)s characters at most.") % {
                    "count": VILLAGE_MAX_LENGTH})
    else:
        return _map_chooser(request)

    subgraph = network_subgraph(cooperative=cooperative, village="" if cooperative else village)
    nodes = subgraph.get("nodes") or []
    by_id = {node["id"]: node for node in nodes}

    def node_url(node: dict) -> str:
        return reverse("network_enterprise", kwargs={"slug": node["slug"]})

    kind_labels = dict(Tie.Kind.choices)
    ties = sorted(
        ({"source": by_id[edge["source"]], "target": by_id[edge["target"]],
          "kinds": [kind_labels.get(kind, kind) for kind in edge.get("kinds", [])]}
         for edge in subgraph.get("edges") or []
         if edge.get("source") in by_id and edge.get("target") in by_id),
        key=lambda tie: (tie["source"]["name"].lower(), tie["target"]["name"].lower()),
    )
    title = (_("Ties in %(name)s") % {"name": cooperative.name} if cooperative
             else _("Ties in the village %(name)s") % {"name": village})
    map_data = {
        "nodes": [{"id": node["id"], "label": charts.node_label(node)} for node in nodes],
        "edges": [[edge["source"], edge["target"]] for edge in subgraph.get("edges") or []],
        "labels": {"zoom_in": _("Zoom in"), "zoom_out": _("Zoom out"),
                   "reset": _("Reset the view"),
                   "hint": _("Drag to move, scroll or pinch to zoom, tap a circle to see its "
                             "ties.")},
    }
    return render(request, "enterprises/network/map.html", {
        "cooperative": cooperative,
        "village": village,
        "title": title,
        "subgraph": subgraph,
        "network_svg": charts.network_svg(subgraph, node_url=node_url, title=title),
        "map_data": map_data,
        "ties": ties,
    })


# --- One enterprise ------------------------------------------------------------------------------


def _income_by_month(enterprise: Enterprise) -> tuple[list[dict], dict]:
    """Rows newest first with each source and the total, and the same as chart series."""
    sources = IncomeRecord.Source
    months: dict = {}
    for record in IncomeRecord.objects.filter(enterprise=enterprise).order_by("month"):
        row = months.setdefault(record.month, {source: 0 for source in sources.values})
        row[record.source] += record.amount
    rows = [{"month": month, "by_source": [row[source] for source in sources.values],
             "total": sum(row.values())} for month, row in months.items()]
    series = {"months": [f"{month:%Y-%m}" for month in months],
              "groups": [{"key": source, "label": label,
                          "values": [months[month][source] for month in months]}
                         for source, label in sources.choices]}
    return rows[::-1], series


@require_safe
@officers_only
def network_enterprise(request, slug):
    enterprise = get_object_or_404(Enterprise.objects.select_related("regency"), slug=slug)
    rows, series = _income_by_month(enterprise)
    snapshot = network_snapshot_latest()
    position = (NetworkPosition.objects.filter(snapshot=snapshot, enterprise=enterprise).first()
                if snapshot else None)
    today = timezone.localdate()
    open_ties = (
        Tie.objects.filter(Q(from_enterprise=enterprise) | Q(to_enterprise=enterprise))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("from_enterprise", "to_enterprise").order_by("-started_on", "-pk")
    )
    ties = list(open_ties[:ENTERPRISE_TIES])
    kind_labels = dict(Tie.Kind.choices)
    position_kinds = []
    if position:
        position_kinds = [{"label": kind_labels.get(kind, kind), "count": count}
                          for kind, count in sorted((position.degree_by_kind or {}).items())
                          if count]
    response = render(request, "enterprises/network/enterprise.html", {
        "enterprise": enterprise,
        "income_rows": rows,
        "sources": IncomeRecord.Source.choices,
        "income_svg": charts.income_groups_svg(
            series, title=_("Income of %(name)s by month and source") % {
                "name": enterprise.name},
            desc=_("One line per source of income over %(count)s months.") % {
                "count": len(series["months"])},
            id_prefix="enterprise-income",
        ),
        "snapshot": snapshot,
        "position": position,
        "position_kinds": position_kinds,
        "ties": ties,
        "tie_count": open_ties.count() if len(ties) == ENTERPRISE_TIES else len(ties),
    })
    add_never_cache_headers(response)  # one enterprise's income
    return response
