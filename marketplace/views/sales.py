"""The seller's side of orders, under /dashboard/sales/: the parts their enterprises sold, each
moved through its statuses, cancelled or partly refunded; the payout ledger with a CSV for a
cooperative's treasurer; and the staff's queue of manual payouts.

A part or ledger of someone else's enterprise is a 404, as if it did not exist."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cms.templatetags.guyub import rupiah
from enterprises.models import Enterprise
from marketplace.forms_sales import (
    AdvanceForm,
    CancelForm,
    PayoutForm,
    RefundForm,
    SaleFilterForm,
)
from marketplace.models import OrderPart, PaymentMethod
from marketplace.selectors import reviews as review_selectors
from marketplace.selectors import sales as selectors
from marketplace.services import ledger as ledger_services
from marketplace.services import orders as order_services
from marketplace.views.cooperative_buying import flash_errors

PAGE_SIZE = 20
LEDGER_PAGE_SIZE = 50

ADVANCED = {
    OrderPart.Status.CONFIRMED: gettext_lazy("Order confirmed. The buyer has been told."),
    OrderPart.Status.SHIPPED: gettext_lazy("Marked as shipped. The buyer has been told."),
    OrderPart.Status.READY: gettext_lazy("Marked as ready for pickup. The buyer has been told."),
    OrderPart.Status.COMPLETED: gettext_lazy("Order completed."),
}


def _part(request, pk: int) -> OrderPart:
    try:
        return selectors.sale_detail(user=request.user, pk=pk)
    except OrderPart.DoesNotExist:
        raise Http404 from None


def _flash_denied(request, error: PermissionDenied) -> None:
    messages.error(request, str(error) or _("You cannot do this."))


@login_required
@require_safe
def sales_list(request):
    enterprises = selectors.seller_enterprises(user=request.user).order_by("name")
    form = SaleFilterForm(request.GET, enterprises=enterprises)
    form.is_valid()  # a bad value drops only its own filter
    filters = form.cleaned_data
    tab = filters.get("status", "")
    parts = selectors.sale_list(user=request.user, tab=tab,
                                enterprise=filters.get("enterprise"))
    page = Paginator(parts, PAGE_SIZE).get_page(request.GET.get("page"))
    enterprise_list = list(enterprises)
    return render(request, "marketplace/sales_list.html", {
        "filter_form": form,
        "tab": tab,
        "tabs": SaleFilterForm.TABS,
        "chosen_enterprise": filters.get("enterprise"),
        "enterprises": enterprise_list,
        "page": page,
        "to_do": selectors.sales_to_do(user=request.user),
    })


@login_required
@require_safe
def sale_detail(request, pk):
    part = _part(request, pk)
    return render(request, "marketplace/sale_detail.html", {
        "part": part,
        "order": part.order,
        "lines": list(part.lines.all()),
        "actions": selectors.sale_actions(part=part),
        "buyer_whatsapp": selectors.whatsapp_number(part.order.phone),
        "cancel_form": CancelForm(auto_id="id_cancel_%s"),
        "refund_form": RefundForm(part=part, auto_id="id_refund_%s"),
        "review_list": _review_list(part),
    })


def _review_list(part) -> list:
    """The buyer's review of a completed part, for the seller to read and answer."""
    if part.status != OrderPart.Status.COMPLETED:
        return []
    review = review_selectors.review_for_part(part=part)
    return [review] if review else []


def _act(request, part, action, success) -> HttpResponse:
    """Run a service `action` on the part and say how it went; `success` is the message, or
    makes it from the action's result. Refusals become messages too."""
    try:
        result = action()
    except ValidationError as error:
        flash_errors(request, error=error)
    except PermissionDenied as error:
        _flash_denied(request, error)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("sale_detail", pk=part.pk)


def _valid_form(request, form) -> bool:
    valid = form.is_valid()
    if not valid:
        flash_errors(request, form=form)
    return valid


@login_required
@require_POST
def sale_payment_confirm(request, pk):
    part = _part(request, pk)
    return _act(request, part,
                lambda: order_services.order_part_payment_confirm(part=part, user=request.user),
                _("Payment recorded as received. You can send the order."))


@login_required
@require_POST
def sale_advance(request, pk):
    part = _part(request, pk)
    form = AdvanceForm(request.POST)
    if not _valid_form(request, form):
        return redirect("sale_detail", pk=part.pk)
    to_status = form.cleaned_data["to_status"]
    return _act(request, part,
                lambda: order_services.order_part_advance(part=part, user=request.user,
                                                          to_status=to_status),
                ADVANCED[to_status])


@login_required
@require_POST
def sale_cancel(request, pk):
    part = _part(request, pk)
    form = CancelForm(request.POST)
    if not _valid_form(request, form):
        return redirect("sale_detail", pk=part.pk)
    return _act(request, part,
                lambda: order_services.order_part_cancel(part=part, user=request.user,
                                                         reason=form.cleaned_data["reason"]),
                _("The order is cancelled and its stock is back on sale."))


def _refunded_message(part, refund) -> str:
    if refund is None:
        return _("The items are taken out of the order; the buyer owes less.")
    if part.order.payment_method == PaymentMethod.STRIPE:
        return _("%(amount)s is refunded to the buyer's card.") % {
            "amount": rupiah(refund.amount)}
    return _("Refund of %(amount)s recorded. Send the money back to the buyer.") % {
        "amount": rupiah(refund.amount)}


@login_required
@require_POST
def sale_refund(request, pk):
    part = _part(request, pk)
    form = RefundForm(request.POST, part=part)
    if not _valid_form(request, form):
        return redirect("sale_detail", pk=part.pk)
    return _act(request, part,
                lambda: order_services.order_part_refund(
                    part=part, user=request.user, quantities=form.quantities(),
                    reason=form.cleaned_data["reason"]),
                lambda refund: _refunded_message(part, refund))


# --- The payout ledger ------------------------------------------------------------------------


def _ledger_enterprise(request, slug: str) -> Enterprise:
    enterprise = get_object_or_404(Enterprise, slug=slug)
    if not selectors.user_can_see_ledger(user=request.user, enterprise=enterprise):
        raise Http404
    return enterprise


@login_required
@require_safe
def enterprise_ledger(request, slug):
    enterprise = _ledger_enterprise(request, slug)
    cooperative = selectors.trading_cooperative(enterprise=enterprise)
    page = Paginator(selectors.ledger_entries(enterprise=enterprise),
                     LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "marketplace/enterprise_ledger.html", {
        "enterprise": enterprise,
        "balance": ledger_services.ledger_balance(enterprise=enterprise),
        "page": page,
        "cooperative": cooperative,
        "can_open_sales": enterprise.memberships.filter(user=request.user).exists(),
        "members": selectors.member_money(enterprise=enterprise) if cooperative else None,
    })


class _Echo:
    """A file-like object csv.writer writes one row into, handing it back."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(enterprise: Enterprise):
    writer = csv.writer(_Echo())
    # The byte-order mark tells Excel the file is UTF-8 (names like "Kopi Sindoro Kopi Ñ").
    yield "\ufeff" + writer.writerow(selectors.LEDGER_CSV_COLUMNS)
    for row in selectors.ledger_csv_rows(enterprise=enterprise):
        yield writer.writerow([
            timezone.localtime(row.created_at).date().isoformat(), row.record,
            row.order_number, row.kind, row.method, row.amount,
            "" if row.balance is None else row.balance, row.member, row.reference, row.note,
        ])


@login_required
@require_safe
def enterprise_ledger_csv(request, slug):
    enterprise = _ledger_enterprise(request, slug)
    response = StreamingHttpResponse(_csv_lines(enterprise),
                                     content_type="text/csv; charset=utf-8")
    filename = f"guyub-ledger-{enterprise.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Staff: manual payouts --------------------------------------------------------------------


@login_required
def payouts(request):
    if not request.user.is_staff:
        raise PermissionDenied
    failed = None
    if request.method == "POST":
        form = PayoutForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ledger_services.payout_record(
                    enterprise=data["enterprise"], amount=data["amount"],
                    reference=data["reference"], note=data["note"], user=request.user,
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Payout to %(name)s recorded.") % {
                    "name": data["enterprise"].name})
                return redirect("payouts")
        failed = form
    elif request.method not in ("GET", "HEAD"):
        return redirect("payouts")
    rows = []
    for enterprise in selectors.enterprises_owed():
        if failed is not None and failed.data.get("enterprise") == str(enterprise.pk):
            form = failed
        else:
            form = PayoutForm(initial={"enterprise": enterprise.pk, "amount": enterprise.balance},
                              auto_id=f"id_payout{enterprise.pk}_%s")
        rows.append((enterprise, form))
    return render(request, "marketplace/payouts.html", {"rows": rows, "failed": failed})


def _add_service_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
