from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from enterprises.selectors.cooperatives import member_enterprises_for_user, user_is_manager
from marketplace.forms_bulk_orders import BulkOrderForm, CommitmentForm, EnterpriseChoiceForm
from marketplace.models import BulkOrder
from marketplace.selectors import bulk_orders as selectors
from marketplace.services import bulk_orders as services
from marketplace.views.cooperative_buying import flash_errors, managed_cooperative


def _bulk_order(pk: int) -> BulkOrder:
    try:
        return selectors.bulk_order_detail(pk=pk)
    except BulkOrder.DoesNotExist:
        raise Http404 from None


def _member_enterprises(request, bulk_order: BulkOrder):
    return member_enterprises_for_user(user=request.user, cooperative=bulk_order.cooperative)


@require_safe
def bulk_order_detail(request, pk):
    bulk_order = _bulk_order(pk)
    enterprises = list(_member_enterprises(request, bulk_order))
    is_manager = user_is_manager(user=request.user, cooperative=bulk_order.cooperative)
    mine = selectors.commitments_of_enterprises(bulk_order=bulk_order, enterprises=enterprises)
    forms = []
    if bulk_order.status == BulkOrder.Status.OPEN:
        for enterprise in enterprises:
            commitment = mine.get(enterprise.pk)
            initial = {"enterprise": enterprise.pk}
            if commitment:
                initial |= {"quantity": commitment.quantity, "tolerance": commitment.tolerance}
            form = CommitmentForm(initial=initial, auto_id=f"id_e{enterprise.pk}_%s",
                                  enterprises=_member_enterprises(request, bulk_order))
            forms.append((enterprise, commitment, form))
    return render(request, "marketplace/bulk_order_detail.html", {
        "bulk_order": bulk_order,
        "now": timezone.now(),
        "progress": selectors.bulk_order_progress(bulk_order=bulk_order),
        "is_manager": is_manager,
        "is_member": bool(enterprises),
        "my_commitments": [mine[e.pk] for e in enterprises if e.pk in mine],
        "commitment_forms": forms,
        "commitments": selectors.commitment_list(bulk_order=bulk_order) if is_manager else None,
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
