from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from cms import page_cache
from cms.htmx import list_template
from cms.page_cache import cache_public_page
from enterprises import selectors as enterprise_selectors
from enterprises.models import Enterprise
from marketplace import selectors, services
from marketplace.filters import ProductFilter
from marketplace.forms import ProductForm
from marketplace.models import Product
from marketplace.selectors import reviews as review_selectors

PAGE_SIZE = 24


@require_safe
@vary_on_headers("HX-Request")
@cache_public_page
def product_list(request):
    filterset = ProductFilter(request.GET, queryset=selectors.product_list_visible())
    products = filterset.qs
    # Counts per category ignore the category filter itself, so every choice shows its size.
    without_category = request.GET.copy()
    without_category.pop("category", None)
    unfiltered = ProductFilter(without_category, queryset=selectors.product_list_visible()).qs
    page = selectors.CataloguePaginator(selectors.product_list_cards(products), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "filter": filterset,
        "page": page,
        "category_counts": selectors.category_counts_cached(queryset=unfiltered),
        # The results are the same for everyone, signed in or not: kept as a fragment.
        "results_cache": (settings.PAGE_CACHE_SECONDS, page_cache.version()),
    }
    template = list_template(request, "marketplace/product_list.html")
    return render(request, template, context)


@require_safe
@cache_public_page(scopes=lambda slug: [f"product:{slug}"])
def product_detail(request, slug):
    try:
        product = selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None
    return render(request, "marketplace/product_detail.html", {
        "product": product,
        "photos": list(product.photos.all()),
        "related": selectors.product_list_related(product=product),
        # No query for a product nobody has reviewed yet.
        "reviews": review_selectors.review_list_latest(
            queryset=review_selectors.review_list_for_product(product=product)
        ) if product.rating_count else [],
    })


def _check_seller(request, enterprise: Enterprise) -> None:
    if not enterprise_selectors.user_can_manage_enterprise(user=request.user,
                                                           enterprise=enterprise):
        raise PermissionDenied


@login_required
def product_create(request, slug):
    enterprise = get_object_or_404(Enterprise, slug=slug)
    _check_seller(request, enterprise)
    form = ProductForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        product = services.product_create(
            enterprise=enterprise, user=request.user, photo_files=data.pop("photo_uploads"), **data
        )
        messages.success(request, _("“%(title)s” is now listed.") % {"title": product.title})
        return redirect("dashboard")
    return render(request, "marketplace/product_form.html",
                  {"form": form, "enterprise": enterprise})


@login_required
def product_edit(request, slug):
    product = get_object_or_404(Product.objects.select_related("enterprise"), slug=slug)
    _check_seller(request, product.enterprise)
    form = ProductForm(request.POST or None, request.FILES or None, instance=product)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.product_update(
            product=product, user=request.user, photo_files=data.pop("photo_uploads"),
            remove_photo_ids=[photo.pk for photo in data.pop("remove_photos", None) or []],
            **data,
        )
        messages.success(request, _("Saved."))
        return redirect("dashboard")
    return render(request, "marketplace/product_form.html",
                  {"form": form, "enterprise": product.enterprise, "product": product})


@login_required
@require_POST
def product_toggle_active(request, slug):
    product = get_object_or_404(Product.objects.select_related("enterprise"), slug=slug)
    _check_seller(request, product.enterprise)
    services.product_set_active(product=product, is_active=not product.is_active)
    message = (
        _("“%(title)s” is visible again.") if product.is_active
        else _("“%(title)s” is hidden from buyers.")
    )
    messages.success(request, message % {"title": product.title})
    return redirect("dashboard")
