"""Orders: placing one from a cart, paying, each seller's part through its statuses, and
cancelling or refunding with stock given back and the ledger reversed.

Stock is taken with a conditional UPDATE (`stock >= quantity`), which PostgreSQL applies one
buyer at a time per row, so the last units can never be sold twice or go below zero. Writes that
depend on an order's or part's state lock that row first (select_for_update).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from cms.page_cache import stock_changed
from enterprises.models import Enterprise, IncomeRecord, Tie
from enterprises.selectors import user_can_manage_enterprise
from enterprises.services.income import income_add
from enterprises.services.ties import tie_record
from marketplace import notifications
from marketplace.models import (
    BulkOrder,
    Cart,
    Commitment,
    Order,
    OrderLine,
    OrderPart,
    PaymentMethod,
    Product,
    Refund,
    RevenueShare,
)
from marketplace.payments import provider_for, stripe_enabled
from marketplace.services import catalogue_changed
from marketplace.services.ledger import (
    ledger_record_payment,
    ledger_record_refund,
    ledger_record_transfer,
    platform_fee,
)

Status = OrderPart.Status
PaymentStatus = Order.PaymentStatus
DELIVERY_FIELDS = ("recipient_name", "phone", "address", "village", "notes")
NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


# --- Who may do what -----------------------------------------------------------------------------


def user_is_buyer(*, user, order: Order) -> bool:
    return bool(user and user.is_authenticated and order.buyer_id == user.pk)


def user_can_sell_part(*, user, part: OrderPart) -> bool:
    return bool(user and user.is_authenticated
                and user_can_manage_enterprise(user=user, enterprise=part.enterprise))


def _check_seller(*, user, part: OrderPart) -> None:
    if not user_can_sell_part(user=user, part=part):
        raise PermissionDenied(_("Only the seller can do this."))


# --- Placing orders ------------------------------------------------------------------------------


def _new_number() -> str:
    while True:
        number = f"GY-{get_random_string(8, NUMBER_ALPHABET)}"
        if not Order.objects.filter(number=number).exists():
            return number


def _pay_by(payment_method: str):
    if payment_method == PaymentMethod.STRIPE:
        return timezone.now() + timedelta(minutes=settings.STRIPE_CHECKOUT_MINUTES)
    if payment_method == PaymentMethod.BANK_TRANSFER:
        return timezone.now() + timedelta(days=settings.BANK_TRANSFER_DAYS)
    return None


def _check_payment_method(payment_method: str, sellers: list[Enterprise]) -> None:
    if payment_method not in PaymentMethod.values:
        raise ValidationError({"payment_method": _("Choose how you will pay.")})
    if payment_method == PaymentMethod.STRIPE and not stripe_enabled():
        raise ValidationError({"payment_method": _("Card payments are not available.")})
    if payment_method == PaymentMethod.BANK_TRANSFER:
        missing = [seller.name for seller in sellers if not seller.accepts_bank_transfer]
        if missing:
            raise ValidationError({"payment_method": _(
                "%(sellers)s cannot take bank transfers yet. Choose another way to pay."
            ) % {"sellers": ", ".join(missing)}})


def _check_delivery(delivery: dict, *, needs_address: bool) -> dict:
    values = {field: (delivery.get(field) or "").strip() for field in DELIVERY_FIELDS}
    errors = {}
    if not values["recipient_name"]:
        errors["recipient_name"] = _("Enter the recipient's name.")
    if not values["phone"]:
        errors["phone"] = _("Enter a phone number the seller can call.")
    if needs_address and not values["address"]:
        errors["address"] = _("Enter the delivery address.")
    if errors:
        raise ValidationError(errors)
    return values


def _check_buyer_enterprise(*, buyer, buyer_enterprise) -> None:
    if buyer_enterprise is not None and not user_can_manage_enterprise(
        user=buyer, enterprise=buyer_enterprise
    ):
        raise PermissionDenied(_("You can only buy as an enterprise you run."))


def _take_stock(lines) -> None:
    """Take each line's quantity from stock, in product order (so two carts never wait on
    each other), or refuse the whole order, naming every product that ran short."""
    short = []
    for line in sorted(lines, key=lambda line: line.product_id):
        taken = Product.objects.filter(
            pk=line.product_id, stock__gte=line.quantity
        ).update(stock=F("stock") - line.quantity)
        if not taken:
            left = Product.objects.values_list("stock", flat=True).get(pk=line.product_id)
            short.append(_("Only %(stock)s left of %(product)s.") % {
                "stock": left, "product": line.product.title})
    if short:
        raise ValidationError(short)
    if Product.objects.filter(pk__in=[line.product_id for line in lines], stock=0).exists():
        catalogue_changed()  # "in stock" counts and "sold out" badges change
    else:
        stock_changed(product_slugs=[line.product.slug for line in lines])


def _give_back_stock(quantities: dict[int, int]) -> None:
    """Return {product_id: quantity} to stock."""
    for product_id, quantity in sorted(quantities.items()):
        if quantity:
            Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
    if quantities:
        catalogue_changed()


def _check_lines(cart_lines) -> None:
    problems = []
    for line in cart_lines:
        product = line.product
        if not (product.is_active and product.enterprise.is_active):
            problems.append(_("%(product)s is no longer sold.") % {"product": product.title})
        elif line.quantity < product.min_order:
            problems.append(_("%(product)s: the minimum order is %(minimum)s.") % {
                "product": product.title, "minimum": product.min_order})
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def order_place(*, buyer, cart: Cart, payment_method: str, delivery: dict,
                parts: dict | None = None, buyer_enterprise: Enterprise | None = None) -> Order:
    """Turn the cart into an order with one part per seller, taking the stock now."""
    parts = parts or {}
    cart_lines = list(cart.lines.select_related("product__enterprise"))
    if not cart_lines:
        raise ValidationError(_("Your cart is empty."))
    _check_buyer_enterprise(buyer=buyer, buyer_enterprise=buyer_enterprise)
    by_seller: dict[int, list] = {}
    for line in cart_lines:
        by_seller.setdefault(line.product.enterprise_id, []).append(line)
    sellers = [lines[0].product.enterprise for lines in by_seller.values()]
    _check_payment_method(payment_method, sellers)

    def fulfilment(seller_id: int) -> str:
        chosen = parts.get(seller_id, {}).get("fulfilment", OrderPart.Fulfilment.DELIVERY)
        if chosen not in OrderPart.Fulfilment.values:
            raise ValidationError(_("Choose delivery or pickup for each seller."))
        return chosen

    fulfilments = {seller_id: fulfilment(seller_id) for seller_id in by_seller}
    values = _check_delivery(delivery, needs_address=OrderPart.Fulfilment.DELIVERY
                             in fulfilments.values())
    _check_lines(cart_lines)
    _take_stock(cart_lines)

    order = Order.objects.create(
        number=_new_number(), buyer=buyer, buyer_enterprise=buyer_enterprise,
        payment_method=payment_method, pay_by=_pay_by(payment_method),
        payment_status=(PaymentStatus.ON_DELIVERY if payment_method == PaymentMethod.CASH
                        else PaymentStatus.PENDING),
        total=sum(line.total for line in cart_lines), **values,
    )
    for seller_id, lines in by_seller.items():
        part = OrderPart.objects.create(
            order=order, enterprise_id=seller_id, fulfilment=fulfilments[seller_id],
            note_to_seller=(parts.get(seller_id, {}).get("note_to_seller") or "").strip(),
            subtotal=sum(line.total for line in lines),
        )
        OrderLine.objects.bulk_create(
            OrderLine(part=part, product=line.product, title=line.product.title,
                      unit=line.product.unit, unit_price=line.product.price,
                      quantity=line.quantity)
            for line in lines
        )
    cart.lines.all().delete()
    # robust: a notification that fails after the commit (mail queue or database gone) is
    # logged; the order stands and the buyer still sees it placed.
    transaction.on_commit(lambda: notifications.order_placed(order=order), robust=True)
    return order


@transaction.atomic
def order_place_for_commitment(*, buyer, commitment: Commitment, payment_method: str,
                               delivery: dict) -> Order:
    """A member pays its bulk-order allocation, through the same providers as any order: the
    cooperative's trading enterprise is the seller, the line is the allocation."""
    from marketplace.services.joint_offers import cooperative_seller_ensure

    commitment = Commitment.objects.select_for_update().select_related(
        "bulk_order__cooperative", "enterprise").get(pk=commitment.pk)
    if not user_can_manage_enterprise(user=buyer, enterprise=commitment.enterprise):
        raise PermissionDenied(_("Only the member's own people can pay its allocation."))
    bulk_order = commitment.bulk_order
    if bulk_order.status != BulkOrder.Status.CLOSED or not commitment.allocated:
        raise ValidationError(_("There is nothing to pay: the order has no allocation for you."))
    if OrderLine.objects.filter(commitment=commitment).exclude(
        part__status=Status.CANCELLED
    ).exists():
        raise ValidationError(_("This allocation is already being paid."))
    seller = cooperative_seller_ensure(cooperative=bulk_order.cooperative)
    _check_payment_method(payment_method, [seller])
    values = _check_delivery(delivery, needs_address=False)
    amount = commitment.allocated * bulk_order.price_per_unit
    order = Order.objects.create(
        number=_new_number(), buyer=buyer, buyer_enterprise=commitment.enterprise,
        payment_method=payment_method, pay_by=_pay_by(payment_method),
        payment_status=(PaymentStatus.ON_DELIVERY if payment_method == PaymentMethod.CASH
                        else PaymentStatus.PENDING),
        total=amount, **values,
    )
    part = OrderPart.objects.create(order=order, enterprise=seller, subtotal=amount,
                                    fulfilment=OrderPart.Fulfilment.PICKUP)
    OrderLine.objects.create(part=part, commitment=commitment, title=bulk_order.title,
                             unit=bulk_order.unit, unit_price=bulk_order.price_per_unit,
                             quantity=commitment.allocated)
    transaction.on_commit(lambda: notifications.order_placed(order=order), robust=True)
    return order


# --- Payment -------------------------------------------------------------------------------------


def _lock_order(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _lock_part(part: OrderPart) -> OrderPart:
    # One query; `of` locks only the part's row, not the joined order and seller.
    return (OrderPart.objects.select_for_update(of=("self",))
            .select_related("order", "enterprise").get(pk=part.pk))


def _mark_part_paid(part: OrderPart, *, direct: bool) -> None:
    part.paid_at = timezone.now()
    part.platform_fee = platform_fee(amount=part.amount_due,
                                     payment_method=part.order.payment_method)
    ledger_record_payment(part=part, direct=direct)
    if not direct:
        transfer_id = provider_for(part.order.payment_method).pay_out(part=part)
        if transfer_id:
            part.stripe_transfer_id = transfer_id
            ledger_record_transfer(part=part, transfer_id=transfer_id)
    part.save(update_fields=["paid_at", "platform_fee", "stripe_transfer_id"])


@transaction.atomic
def order_paid(*, order: Order, payment_intent_id: str = "", charge_id: str = "") -> bool:
    """Money for the whole order arrived (Stripe). Idempotent: False when nothing changed.
    Parts a seller cancelled while the buyer was paying are refunded straight away."""
    order = _lock_order(order)
    if order.payment_status != PaymentStatus.PENDING:
        return False
    order.payment_status = PaymentStatus.PAID
    order.paid_at = timezone.now()
    order.stripe_payment_intent_id = payment_intent_id or order.stripe_payment_intent_id
    order.stripe_charge_id = charge_id or order.stripe_charge_id
    order.save(update_fields=["payment_status", "paid_at", "stripe_payment_intent_id",
                              "stripe_charge_id"])
    for part in order.parts.select_related("enterprise"):
        part.order = order
        if part.status == Status.CANCELLED:
            _refund_cancelled_while_paying(part)
        else:
            _mark_part_paid(part, direct=False)
    if order.refunded_total == order.total:
        order.payment_status = PaymentStatus.REFUNDED
        order.save(update_fields=["payment_status"])
    transaction.on_commit(lambda: notifications.order_paid(order=order), robust=True)
    return True


def _refund_cancelled_while_paying(part: OrderPart) -> None:
    amount = part.subtotal
    refund = Refund.objects.create(part=part, amount=amount, reason=part.cancel_reason)
    refund.stripe_refund_id = provider_for(part.order.payment_method).refund(
        part=part, amount=amount, idempotency_key=f"refund-{refund.pk}")
    refund.save(update_fields=["stripe_refund_id"])


@transaction.atomic
def order_release(*, order: Order, status: str) -> bool:
    """The payment failed or its time ran out: open parts are cancelled and their stock given
    back. Idempotent: False when the order was already paid or released."""
    order = _lock_order(order)
    if order.payment_status != PaymentStatus.PENDING:
        return False
    order.payment_status = status
    order.save(update_fields=["payment_status"])
    reason = (_("The payment failed.") if status == PaymentStatus.FAILED
              else _("The order was not paid in time."))
    for part in order.parts.select_related("enterprise").filter(
        status__in=OrderPart.OPEN_STATUSES, paid_at__isnull=True
    ):
        _cancel(part, reason=reason, user=None)
    transaction.on_commit(lambda: notifications.order_released(order=order), robust=True)
    return True


def orders_expire_unpaid(*, now=None) -> list[Order]:
    """Release bank-transfer orders past their pay-by time: parts with no payment and no
    uploaded proof are cancelled (a proof waits for the seller). Card orders are released by
    Stripe's session-expired event instead, as only Stripe knows whether the buyer paid."""
    now = now or timezone.now()
    released = []
    due = Order.objects.filter(payment_method=PaymentMethod.BANK_TRANSFER,
                               payment_status=PaymentStatus.PENDING, pay_by__lte=now)
    for order in due.iterator():
        with transaction.atomic():
            order = _lock_order(order)
            parts = order.parts.select_for_update().select_related("enterprise").filter(
                status__in=OrderPart.OPEN_STATUSES, paid_at__isnull=True,
                proof_uploaded_at__isnull=True,
            )
            for part in parts:
                _cancel(part, reason=_("The order was not paid in time."), user=None)
            if _settle_order_payment(order, expired=True):
                released.append(order)
        transaction.on_commit(lambda order=order: notifications.order_released(order=order),
                              robust=True)
    return released


def _settle_order_payment(order: Order, *, expired: bool = False) -> bool:
    """After a part is paid or cancelled, mark a bank-transfer order paid (all live parts paid)
    or, when every part is cancelled, cancelled (or `expired`, when time ran out). True when
    the status changed. Card orders are left to Stripe's events: only Stripe knows whether the
    buyer is still paying."""
    if (order.payment_status != PaymentStatus.PENDING
            or order.payment_method == PaymentMethod.STRIPE):
        return False
    parts = list(order.parts.values_list("status", "paid_at"))
    live = [paid_at for status, paid_at in parts if status != Status.CANCELLED]
    if not live:
        order.payment_status = PaymentStatus.EXPIRED if expired else PaymentStatus.CANCELLED
    elif all(live):
        order.payment_status = PaymentStatus.PAID
        order.paid_at = timezone.now()
    else:
        return False
    order.save(update_fields=["payment_status", "paid_at"])
    return True


@transaction.atomic
def order_part_payment_confirm(*, part: OrderPart, user) -> OrderPart:
    """The seller confirms the buyer's bank transfer reached their account."""
    part = _lock_part(part)
    _check_seller(user=user, part=part)
    if part.order.payment_method != PaymentMethod.BANK_TRANSFER:
        raise ValidationError(_("Only bank transfers are confirmed by the seller."))
    if part.paid_at:
        raise ValidationError(_("The payment was already confirmed."))
    if not part.is_open:
        raise ValidationError(_("This order is closed."))
    _mark_part_paid(part, direct=True)
    order = _lock_order(part.order)
    _settle_order_payment(order)
    transaction.on_commit(lambda: notifications.part_changed(part=part, event="paid"), robust=True)
    return part


@transaction.atomic
def transfer_proof_upload(*, part: OrderPart, user, file) -> OrderPart:
    """The buyer uploads the bank transfer's receipt (already validated as an image)."""
    part = _lock_part(part)
    if not user_is_buyer(user=user, order=part.order):
        raise PermissionDenied(_("Only the buyer can upload the transfer proof."))
    if part.order.payment_method != PaymentMethod.BANK_TRANSFER:
        raise ValidationError(_("This order is not paid by bank transfer."))
    if part.paid_at or not part.is_open:
        raise ValidationError(_("This part needs no transfer proof any more."))
    if part.transfer_proof:
        part.transfer_proof.delete(save=False)
    part.transfer_proof.save(file.name, file, save=False)
    part.proof_uploaded_at = timezone.now()
    part.save(update_fields=["transfer_proof", "proof_uploaded_at"])
    transaction.on_commit(lambda: notifications.part_changed(part=part, event="proof"), robust=True)
    return part


# --- The seller's part through its statuses ------------------------------------------------------

# Which statuses a part may move to from each, and who moves it there.
NEXT_STATUSES = {
    Status.PLACED: {Status.CONFIRMED},
    Status.CONFIRMED: {Status.SHIPPED, Status.READY},
    Status.SHIPPED: {Status.COMPLETED},
    Status.READY: {Status.COMPLETED},
}
TIMESTAMPS = {Status.CONFIRMED: "confirmed_at", Status.SHIPPED: "sent_at",
              Status.READY: "sent_at", Status.COMPLETED: "completed_at"}


def _check_advance(part: OrderPart, *, user, to_status: str) -> None:
    buyer_confirms_receipt = (to_status == Status.COMPLETED
                              and user_is_buyer(user=user, order=part.order))
    if not buyer_confirms_receipt:
        _check_seller(user=user, part=part)
    if to_status not in NEXT_STATUSES.get(part.status, ()):
        raise ValidationError(_("An order that is %(status)s cannot become %(next)s.") % {
            "status": part.get_status_display().lower(),
            "next": Status(to_status).label.lower() if to_status in Status.values else to_status,
        })
    wrong_way = {Status.SHIPPED: OrderPart.Fulfilment.PICKUP,
                 Status.READY: OrderPart.Fulfilment.DELIVERY}
    if part.fulfilment == wrong_way.get(to_status):
        raise ValidationError(_("The buyer chose %(fulfilment)s.") % {
            "fulfilment": part.get_fulfilment_display().lower()})
    paid_up_front = part.order.payment_method != PaymentMethod.CASH
    if to_status in (Status.SHIPPED, Status.READY) and paid_up_front and not part.paid_at:
        raise ValidationError(_("Wait for the payment before sending the goods."))


@transaction.atomic
def order_part_advance(*, part: OrderPart, user, to_status: str) -> OrderPart:
    part = _lock_part(part)
    _check_advance(part, user=user, to_status=to_status)
    part.status = to_status
    setattr(part, TIMESTAMPS[to_status], timezone.now())
    part.save(update_fields=["status", TIMESTAMPS[to_status]])
    if to_status == Status.COMPLETED:
        _complete(part)
    transaction.on_commit(lambda: notifications.part_changed(part=part, event=to_status),
                          robust=True)
    return part


def _complete(part: OrderPart) -> None:
    """A completed sale: cash is now paid, it counts as the seller's income for the month, and
    a joint-offer sale is shared among the members who pledged."""
    if part.order.payment_method == PaymentMethod.CASH and not part.paid_at:
        _mark_part_paid(part, direct=True)
    income_add(enterprise=part.enterprise, month=timezone.localdate(part.completed_at),
               amount=part.amount_due, source=IncomeRecord.Source.MARKETPLACE)
    if part.order.buyer_enterprise_id:  # bought for an enterprise: the seller supplies it
        tie_record(kind=Tie.Kind.SUPPLIER, from_enterprise=part.enterprise,
                   to_enterprise=Enterprise(pk=part.order.buyer_enterprise_id),
                   started_on=timezone.localdate(part.completed_at),
                   evidence=f"order:{part.order.number}")
    _record_revenue_shares(part, sign=1, amounts=None)


def _joint_offer_lines(part: OrderPart):
    lines = part.lines.select_related("product__joint_offer").filter(
        product__joint_offer__isnull=False)
    return [(line, line.product.joint_offer) for line in lines]


def _record_revenue_shares(part: OrderPart, *, sign: int, amounts: dict | None) -> None:
    """Share each joint-offer line's revenue (or, for a refund, the refunded `amounts` by line
    id, as negative shares) among the offer's members."""
    from marketplace.services.joint_offers import joint_offer_revenue_shares

    for line, joint_offer in _joint_offer_lines(part):
        revenue = (line.kept_quantity * line.unit_price if amounts is None
                   else amounts.get(line.pk, 0))
        if not revenue:
            continue
        RevenueShare.objects.bulk_create(
            RevenueShare(part=part, joint_offer=joint_offer, enterprise=enterprise,
                         amount=sign * amount)
            for enterprise, amount in joint_offer_revenue_shares(joint_offer=joint_offer,
                                                                 revenue=revenue)
        )


# --- Cancelling and refunding --------------------------------------------------------------------


@transaction.atomic
def order_part_cancel(*, part: OrderPart, user, reason: str) -> OrderPart:
    """Cancel an open part: everything still in it is refunded (when paid) and restocked.
    The seller may cancel any open part; the buyer only one not yet confirmed or paid;
    `user=None` is the system (a Stripe refund made outside Guyub)."""
    part = _lock_part(part)
    if user is not None and not user_can_sell_part(user=user, part=part):
        if not user_is_buyer(user=user, order=part.order):
            raise PermissionDenied(_("Only the seller or the buyer can cancel this."))
        if part.status != Status.PLACED or part.paid_at:
            raise ValidationError(_("The seller has accepted this order: ask them to cancel."))
    if not part.is_open:
        raise ValidationError(_("This order is already closed."))
    reason = reason.strip()
    if user is not None and not reason:
        raise ValidationError({"reason": _("Say why, so the other side understands.")})
    _cancel(part, reason=reason, user=user)
    _settle_order_payment(part.order)
    transaction.on_commit(lambda: notifications.part_changed(part=part, event="cancelled"),
                          robust=True)
    return part


@transaction.atomic
def order_part_refund(*, part: OrderPart, user, quantities: dict[int, int],
                      reason: str) -> Refund | None:
    """The seller refunds some of a part's quantities ({order line id: quantity}), paid or not,
    before or after completion; stock comes back. Nothing left means the part is cancelled.
    Returns the Refund when money goes back to the buyer."""
    part = _lock_part(part)
    _check_seller(user=user, part=part)
    if part.status == Status.CANCELLED:
        raise ValidationError(_("This order is already cancelled."))
    lines = {line.pk: line for line in part.lines.all()}
    errors = []
    quantities = {int(pk): int(quantity) for pk, quantity in quantities.items() if quantity}
    for line_id, quantity in quantities.items():
        line = lines.get(line_id)
        if line is None:
            errors.append(_("That item is not part of this order."))
        elif not 0 < quantity <= line.kept_quantity:
            errors.append(_("%(item)s: refund between 1 and %(most)s.") % {
                "item": line.title, "most": line.kept_quantity})
    if not quantities and not errors:
        errors.append(_("Choose at least one item to refund."))
    if errors:
        raise ValidationError(errors)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the other side understands.")})
    refund = _refund_lines(part, quantities=quantities, reason=reason.strip(), user=user)
    if part.amount_due == 0 and part.is_open:
        _mark_cancelled(part, reason=reason.strip())
    transaction.on_commit(lambda: notifications.part_changed(part=part, event="refunded"),
                          robust=True)
    return refund


def _cancel(part: OrderPart, *, reason: str, user) -> None:
    """Take everything still in the part out of it (see _refund_lines) and close it."""
    kept = {line.pk: line.kept_quantity for line in part.lines.all() if line.kept_quantity}
    _refund_lines(part, quantities=kept, reason=reason, user=user)
    _mark_cancelled(part, reason=reason)


def _mark_cancelled(part: OrderPart, *, reason: str) -> None:
    part.status = Status.CANCELLED
    part.cancel_reason = reason
    part.cancelled_at = timezone.now()
    part.save(update_fields=["status", "cancel_reason", "cancelled_at"])


def _refund_lines(part: OrderPart, *, quantities: dict[int, int], reason: str,
                  user) -> Refund | None:
    """Take `quantities` out of the part: stock back, totals down, and when the part was paid,
    the money back to the buyer (through the provider), the fee returned and the seller's
    payout, income and revenue shares reversed."""
    lines = {line.pk: line for line in part.lines.all()}
    amounts = {line_id: lines[line_id].unit_price * quantity
               for line_id, quantity in quantities.items()}
    amount = sum(amounts.values())
    if not amount:
        return None
    _give_back_stock({lines[line_id].product_id: quantity
                      for line_id, quantity in quantities.items() if lines[line_id].product_id})
    for line_id, quantity in quantities.items():
        OrderLine.objects.filter(pk=line_id).update(
            refunded_quantity=F("refunded_quantity") + quantity)
    order = part.order = _lock_order(part.order)
    part.refunded += amount
    order.refunded_total += amount
    refund = None
    if part.paid_at:
        refund = _refund_money(part, order=order, amount=amount, reason=reason, user=user)
    if part.status == Status.COMPLETED:
        income_add(enterprise=part.enterprise, month=timezone.localdate(part.completed_at),
                   amount=-amount, source=IncomeRecord.Source.MARKETPLACE)
        _record_revenue_shares(part, sign=-1, amounts=amounts)
    if refund and order.refunded_total == order.total:
        order.payment_status = PaymentStatus.REFUNDED
    part.save(update_fields=["refunded", "platform_fee"])
    order.save(update_fields=["refunded_total", "payment_status"])
    return refund


def _refund_money(part: OrderPart, *, order: Order, amount: int, reason: str, user) -> Refund:
    provider = provider_for(order.payment_method)
    fee_now = platform_fee(amount=part.amount_due, payment_method=order.payment_method)
    fee_returned = part.platform_fee - fee_now
    part.platform_fee = fee_now
    refund = Refund.objects.create(part=part, amount=amount, reason=reason, created_by=user)
    key = f"refund-{refund.pk}"
    refund.stripe_refund_id = provider.refund(part=part, amount=amount, idempotency_key=key)
    refund.save(update_fields=["stripe_refund_id"])
    reversal = ""
    if part.stripe_transfer_id:
        reversal = provider.reverse_pay_out(part=part, amount=amount - fee_returned,
                                            idempotency_key=f"reversal-{refund.pk}")
    direct = order.payment_method != PaymentMethod.STRIPE
    ledger_record_refund(part=part, amount=amount, fee_returned=fee_returned, direct=direct,
                         transfer_reversal=reversal)
    return refund
