from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from enterprises import selectors as enterprise_selectors
from marketplace import selectors as product_selectors
from marketplace.forms_reviews import ReplyForm, ReviewForm
from marketplace.models import OrderPart, Product, Review
from marketplace.selectors import reviews as selectors
from marketplace.services import reviews as services
from marketplace.services.orders import user_can_sell_part
from marketplace.views.cooperative_buying import flash_errors


def _bought_part(request, number: str, pk: int) -> OrderPart:
    """The part, only for its buyer: anyone else gets the same 404 as for a missing order."""
    return get_object_or_404(
        OrderPart.objects.select_related("order", "enterprise").prefetch_related("lines"),
        pk=pk, order__number=number, order__buyer=request.user,
    )


@login_required
def review_create(request, number, pk):
    part = _bought_part(request, number, pk)
    review = selectors.review_for_part(part=part)
    initial = {"rating": review.rating, "text": review.text} if review else None
    form = ReviewForm(request.POST or None, initial=initial)
    completed = part.status == OrderPart.Status.COMPLETED
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(part=part, user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Thank you: your review is published."))
            return redirect(part.order)
    return render(request, "marketplace/review_form.html", {
        "form": form, "part": part, "order": part.order, "review": review,
        "completed": completed,
        "own_enterprise": user_can_sell_part(user=request.user, part=part),
        "can_write": services.review_can_write(part=part, user=request.user),
        "window_days": services.REVIEW_WINDOW.days,
    })


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def review_reply(request, pk):
    review = get_object_or_404(
        Review.objects.select_related("enterprise"),
        pk=pk, enterprise__memberships__user=request.user,
    )
    fallback = review.enterprise.get_absolute_url() + "#reviews"
    form = ReplyForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form=form)
        return redirect(_next_or(request, fallback))
    try:
        services.review_reply(review=review, user=request.user, reply=form.cleaned_data["reply"])
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        messages.success(request, _("Your reply is published."))
    return redirect(_next_or(request, fallback))


@require_safe
def enterprise_reviews(request, slug):
    enterprise = get_object_or_404(enterprise_selectors.enterprise_list_visible(), slug=slug)
    page = selectors.review_page(
        queryset=selectors.review_list_for_enterprise(enterprise=enterprise),
        number=request.GET.get("page"),
    )
    return render(request, "marketplace/review_list.html", {
        "subject": enterprise, "enterprise": enterprise, "page": page,
        "rating_count": enterprise.rating_count, "rating": enterprise.rating,
        "can_reply": enterprise_selectors.user_can_manage_enterprise(
            user=request.user, enterprise=enterprise),
    })


@require_safe
def product_reviews(request, slug):
    try:
        product = product_selectors.product_list_visible().select_related("enterprise").get(
            slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None
    page = selectors.review_page(
        queryset=selectors.review_list_for_product(product=product),
        number=request.GET.get("page"),
    )
    return render(request, "marketplace/review_list.html", {
        "subject": product, "product": product, "enterprise": product.enterprise, "page": page,
        "rating_count": product.rating_count, "rating": product.rating,
        "can_reply": enterprise_selectors.user_can_manage_enterprise(
            user=request.user, enterprise=product.enterprise),
    })
