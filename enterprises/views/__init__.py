from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from wagtail.models import Locale

from cms.htmx import list_template
from enterprises import selectors, services
from enterprises.filters import EnterpriseFilter, SkillOfferFilter
from enterprises.forms import EnterpriseForm, SkillOfferForm
from enterprises.models import Enterprise, EnterpriseSkill
from enterprises.selectors import cooperatives as cooperative_selectors
from enterprises.views.connections import dashboard_network
from knowledge.selectors import connections as knowledge_connections
from marketplace import selectors as product_selectors
from marketplace.payments import stripe_enabled
from marketplace.selectors import reviews as review_selectors
from marketplace.selectors import sales as sales_selectors

PAGE_SIZE = 24
STRIPE_PANEL = "marketplace/_stripe_connect_panel.html"


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_safe
@vary_on_headers("HX-Request")
def enterprise_list(request):
    filterset = EnterpriseFilter(request.GET, queryset=selectors.enterprise_list_visible())
    enterprises = selectors.enterprise_list_cards(filterset.qs).order_by("name", "pk")
    context = {"filter": filterset, "page": _page(request, enterprises)}
    template = list_template(request, "enterprises/enterprise_list.html")
    return render(request, template, context)


@require_safe
def enterprise_detail(request, slug):
    enterprise = get_object_or_404(
        selectors.enterprise_list_cards(), slug=slug
    )
    products = product_selectors.product_list_cards().filter(enterprise=enterprise)
    return render(request, "enterprises/enterprise_detail.html", {
        "enterprise": enterprise,
        "page": _page(request, products.order_by("-created_at", "-pk")),
        "can_manage": selectors.user_can_manage_enterprise(
            user=request.user, enterprise=enterprise
        ),
        # No query for an enterprise nobody has reviewed yet.
        "reviews": review_selectors.review_list_latest(
            queryset=review_selectors.review_list_for_enterprise(enterprise=enterprise)
        ) if enterprise.rating_count else [],
        "community": knowledge_connections.enterprise_connections(
            enterprise=enterprise, locale=Locale.get_active()
        ),
    })


def _nearby_first(queryset, user):
    """Offers in the viewer's own regency first, then their province, then the rest."""
    home = selectors.enterprise_list_for_user(user=user).first()
    if home is None:
        return queryset.order_by("skill__name", "enterprise__name", "pk")
    return queryset.annotate(
        distance=Case(
            When(enterprise__regency=home.regency_id, then=Value(0)),
            When(enterprise__province=home.province_id, then=Value(1)),
            default=Value(2), output_field=IntegerField(),
        )
    ).order_by("distance", "skill__name", "enterprise__name", "pk")


@require_safe
@vary_on_headers("HX-Request")
def skill_list(request):
    filterset = SkillOfferFilter(request.GET, queryset=selectors.skill_offer_list())
    offers = _nearby_first(filterset.qs, request.user)
    template = list_template(request, "enterprises/skill_list.html")
    return render(request, template, {"filter": filterset, "page": _page(request, offers)})


def _managed_enterprise(request, slug) -> Enterprise:
    enterprise = get_object_or_404(Enterprise, slug=slug)
    if not selectors.user_can_manage_enterprise(user=request.user, enterprise=enterprise):
        raise PermissionDenied
    return enterprise


def _stripe_panel_available() -> bool:
    """Stripe Connect onboarding shows only when Stripe is configured (and its panel exists)."""
    if not stripe_enabled():
        return False
    try:
        get_template(STRIPE_PANEL)
    except TemplateDoesNotExist:
        return False
    return True


@login_required
def dashboard(request):
    enterprises = list(selectors.enterprise_list_for_user(user=request.user))
    products = product_selectors.product_list_cards(
        product_selectors.product_list_for_sellers(enterprises=enterprises)
    ).order_by("enterprise__name", "-created_at")
    offers = EnterpriseSkill.objects.filter(enterprise__in=enterprises).select_related(
        "skill", "enterprise"
    )
    balances = sales_selectors.ledger_balances(enterprises=enterprises) if enterprises else {}
    for enterprise in enterprises:
        enterprise.ledger_balance = balances.get(enterprise.pk, 0)
    return render(request, "enterprises/dashboard.html", {
        "enterprises": enterprises,
        "sales_to_do": sales_selectors.sales_to_do(user=request.user) if enterprises else None,
        "stripe_panel": _stripe_panel_available(),
        "cooperative_memberships": cooperative_selectors.membership_list_for_enterprises(
            enterprises=enterprises
        ),
        "page": _page(request, products),
        "offers": offers,
        "community": knowledge_connections.dashboard_community(enterprises=enterprises),
        "is_program_officer": selectors.user_is_program_officer(user=request.user),
        "network_panels": dashboard_network(request, enterprises),
    })


@login_required
def enterprise_create(request):
    form = EnterpriseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        enterprise = services.enterprise_create(
            user=request.user, logo_file=form.cleaned_data.get("logo_upload"),
            **form.cleaned_data,
        )
        messages.success(request, _("Your enterprise is on Guyub. Add your first product."))
        return redirect("product_create", slug=enterprise.slug)
    return render(request, "enterprises/enterprise_form.html", {"form": form})


@login_required
def enterprise_edit(request, slug):
    enterprise = _managed_enterprise(request, slug)
    form = EnterpriseForm(request.POST or None, request.FILES or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        services.enterprise_update(
            enterprise=enterprise, user=request.user,
            logo_file=form.cleaned_data.get("logo_upload"), **form.cleaned_data,
        )
        messages.success(request, _("Saved."))
        return redirect("dashboard")
    return render(request, "enterprises/enterprise_form.html",
                  {"form": form, "enterprise": enterprise})


@login_required
def skill_offer_edit(request, slug, pk=None):
    enterprise = _managed_enterprise(request, slug)
    offer = get_object_or_404(EnterpriseSkill, pk=pk, enterprise=enterprise) if pk else None
    form = SkillOfferForm(request.POST or None, instance=offer, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        services.skill_offer_save(offer=form.instance)
        messages.success(request, _("Saved."))
        return redirect("dashboard")
    return render(request, "enterprises/skill_form.html",
                  {"form": form, "enterprise": enterprise, "offer": offer})
