from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from enterprises.models import Enterprise
from enterprises.selectors.cooperatives import member_enterprises_for_user, user_is_manager
from marketplace import payments
from marketplace.forms_bulk_orders import (
    AllocationPaymentForm,
    BulkOrderForm,
    CommitmentForm,
    EnterpriseChoiceForm,
)
from marketplace.models import BulkOrder, Commitment
from marketplace.selectors import bulk_orders as selectors
from marketplace.services import bulk_orders as services
from marketplace.views.cooperative_buying import flash_errors, managed_cooperative


def _delivery_initial(enterprise: Enterprise) -> dict:
    """What the cooperative needs to deliver to the enterprise, from its profile."""
    place = ", ".join(part for part in (enterprise.district, enterprise.regency.name) if part)
    return {"enterprise": enterprise.pk, "recipient_name": enterprise.name,
            "phone": enterprise.whatsapp, "address": place, "village": enterprise.village}


def _paying_enterprises(request, bulk_order: BulkOrder):
    """The user's enterprises with a commitment here, members still or not: an allocation is
    owed by whoever committed."""
    if not request.user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(
        memberships__user=request.user, commitments__bulk_order=bulk_order
    ).select_related("regency").distinct()


def _bulk_order(pk: int) -> BulkOrder:
    try:
        return selectors.bulk_order_detail(pk=pk)
    except BulkOrder.DoesNotExist:
        raise Http404 from None


def _member_enterprises(request, bulk_order: BulkOrder):
    return member_enterprises_for_user(user=request.user, cooperative=bulk_order.cooperative)


def _my_allocations(request, bulk_order: BulkOrder, bound_form: AllocationPaymentForm | None):
    """The user's allocations with their payment, and a payment form where one can start."""
    if bulk_order.status == BulkOrder.Status.OPEN:
        return []
    paying = _paying_enterprises(request, bulk_order)
    rows = []
    for payment in selectors.allocation_payments(bulk_order=bulk_order, enterprises=paying):
        form = None
        if payment.can_pay:
            enterprise = payment.commitment.enterprise
            if bound_form is not None and bound_form.data.get("enterprise") == str(enterprise.pk):
                form = bound_form
            else:
                form = AllocationPaymentForm(
                    initial=_delivery_initial(enterprise), enterprises=paying,
                    auto_id=f"id_pay{enterprise.pk}_%s",
                )
        rows.append((payment, form))
    return rows


@require_safe
def bulk_order_detail(request, pk):
    return _detail_page(request, _bulk_order(pk))


def _detail_page(request, bulk_order: BulkOrder, *, pay_form=None):
    enterprises = list(_member_enterprises(request, bulk_order))
    is_manager = user_is_manager(user=request.user, cooperative=bulk_order.cooperative)
    commitment_forms = []
    if bulk_order.status == BulkOrder.Status.OPEN:
        mine = selectors.commitments_of_enterprises(bulk_order=bulk_order,
                                                    enterprises=enterprises)
        for enterprise in enterprises:
            commitment = mine.get(enterprise.pk)
            initial = {"enterprise": enterprise.pk}
            if commitment:
                initial |= {"quantity": commitment.quantity, "tolerance": commitment.tolerance}
            form = CommitmentForm(initial=initial, auto_id=f"id_e{enterprise.pk}_%s",
                                  enterprises=_member_enterprises(request, bulk_order))
            commitment_forms.append((enterprise, commitment, form))
    commitments = None
    totals = None
    if is_manager:
        commitments = selectors.allocation_payments(bulk_order=bulk_order)
        totals = selectors.allocation_payment_totals(commitments)
    return render(request, "marketplace/bulk_order_detail.html", {
        "bulk_order": bulk_order,
        "now": timezone.now(),
        "progress": selectors.bulk_order_progress(bulk_order=bulk_order),
        "is_manager": is_manager,
        "is_member": bool(enterprises),
        "my_allocations": _my_allocations(request, bulk_order, pay_form),
        "commitment_forms": commitment_forms,
        "commitments": commitments,
        "payment_totals": totals,
    })


@login_required
def bulk_order_create(request):
    cooperative = managed_cooperative(request)
    form = BulkOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulk_order = services.bulk_order_create(
                cooperative=cooperative, user=request.user,
                supplier_product=data.pop("product_link"), **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The bulk order is open for commitments."))
            return redirect(bulk_order)
    return render(request, "marketplace/bulk_order_form.html",
                  {"form": form, "cooperative": cooperative})


@login_required
@require_POST
def commitment_save(request, pk):
    bulk_order = _bulk_order(pk)
    enterprises = _member_enterprises(request, bulk_order)
    if not enterprises.exists():
        raise PermissionDenied
    form = CommitmentForm(request.POST, enterprises=enterprises)
    if not form.is_valid():
        flash_errors(request, form=form)
        return redirect(bulk_order)
    try:
        services.commitment_save(bulk_order=bulk_order, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        messages.success(request, _("Your commitment is saved."))
    return redirect(bulk_order)


@login_required
@require_POST
def commitment_withdraw(request, pk):
    bulk_order = _bulk_order(pk)
    enterprises = _member_enterprises(request, bulk_order)
    form = EnterpriseChoiceForm(request.POST, enterprises=enterprises)
    if not form.is_valid():
        raise PermissionDenied
    try:
        services.commitment_withdraw(bulk_order=bulk_order, user=request.user,
                                     enterprise=form.cleaned_data["enterprise"])
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        messages.success(request, _("Your commitment is withdrawn."))
    return redirect(bulk_order)


@login_required
@require_POST
def bulk_order_close(request, pk):
    bulk_order = _bulk_order(pk)
    try:
        bulk_order = services.bulk_order_close(bulk_order=bulk_order, closed_by=request.user)
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        if bulk_order.status == BulkOrder.Status.CANCELLED:
            messages.warning(request, _("The bulk order is cancelled: too few packages."))
        else:
            messages.success(request, _("The bulk order is closed and allocated."))
    return redirect(bulk_order)


@login_required
@require_POST
def bulk_order_mark_sent(request, pk):
    bulk_order = _bulk_order(pk)
    try:
        services.bulk_order_mark_sent(bulk_order=bulk_order, user=request.user)
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        messages.success(request, _("Recorded as sent to the supplier."))
    return redirect(bulk_order)


@login_required
@require_POST
def allocation_pay(request, pk):
    """A member pays its allocation: an order sold by the cooperative's trading enterprise, then
    the provider's payment page (Stripe) or the order page, which explains how to pay."""
    from marketplace.services.orders import order_place_for_commitment

    bulk_order = _bulk_order(pk)
    posted = request.POST.get("enterprise", "")
    form = AllocationPaymentForm(request.POST, enterprises=_paying_enterprises(request, bulk_order),
                                 auto_id=f"id_pay{posted}_%s" if posted.isdigit() else "id_%s")
    if not form.is_valid():
        if form.has_error("enterprise"):
            raise PermissionDenied
        return _detail_page(request, bulk_order, pay_form=form)
    commitment = Commitment.objects.select_related("bulk_order", "enterprise").get(
        bulk_order=bulk_order, enterprise=form.cleaned_data["enterprise"]
    )
    try:
        order = order_place_for_commitment(
            buyer=request.user, commitment=commitment,
            payment_method=form.cleaned_data["payment_method"], delivery=form.delivery,
        )
    except ValidationError as error:
        flash_errors(request, error=error)
        return redirect(bulk_order)
    try:
        url = payments.payment_start(
            order=order, order_url=request.build_absolute_uri(order.get_absolute_url()))
    except ValidationError as error:
        flash_errors(request, error=error)
        return redirect(order)
    if url:
        return redirect(url)
    messages.success(request, _("Your payment order %(number)s is placed.")
                     % {"number": order.number})
    return redirect(order)
