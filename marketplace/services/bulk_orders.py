"""Writes for bulk orders. Every write that depends on the order being open locks the order row
first (select_for_update), so a commitment racing the close is either counted or refused."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.selectors.cooperatives import member_enterprises_for_user, user_is_manager
from marketplace import notifications
from marketplace.allocation import allocate
from marketplace.models import BulkOrder, Commitment, Product

BULK_ORDER_FIELDS = ("title", "description", "unit", "package_size", "price_per_unit",
                     "min_packages", "deadline")


def _closed_error() -> ValidationError:
    return ValidationError(_("This bulk order has closed."), code="closed")


def _check_manager(*, user, cooperative) -> None:
    if not user_is_manager(user=user, cooperative=cooperative):
        raise PermissionDenied(_("Only the cooperative's managers can do this."))


def _lock_open(bulk_order: BulkOrder) -> BulkOrder:
    """The order's row, locked until the transaction ends; refused unless still open."""
    locked = BulkOrder.objects.select_for_update().get(pk=bulk_order.pk)
    if locked.status != BulkOrder.Status.OPEN or locked.deadline <= timezone.now():
        raise _closed_error()
    return locked


@transaction.atomic
def bulk_order_create(*, cooperative, user, supplier_product: Product | None = None,
                      supplier_name: str = "", **fields) -> BulkOrder:
    _check_manager(user=user, cooperative=cooperative)
    values = {key: fields[key] for key in BULK_ORDER_FIELDS if key in fields}
    bulk_order = BulkOrder(cooperative=cooperative, created_by=user,
                           supplier_product=supplier_product,
                           supplier_name=supplier_name.strip(), **values)
    errors = {}
    if bulk_order.deadline is not None and bulk_order.deadline <= timezone.now():
        errors["deadline"] = _("The deadline must be in the future.")
    if bool(supplier_product) == bool(bulk_order.supplier_name):
        errors["supplier_name"] = (
            _("Choose either a Guyub product or an outside supplier, not both.")
            if supplier_product
            else _("Name the supplier: a Guyub product or an outside supplier.")
        )
    if errors:
        raise ValidationError(errors)
    bulk_order.full_clean()
    bulk_order.save()
    transaction.on_commit(lambda: _schedule_close(deadline=bulk_order.deadline))
    return bulk_order


def _schedule_close(*, deadline) -> None:
    """Queue the close for the deadline where the task backend can wait (the database queue,
    run by `manage.py db_worker`); `close_due_bulk_orders` also catches any it missed."""
    from marketplace.tasks import close_due_bulk_orders, remind_closing_bulk_orders

    if close_due_bulk_orders.get_backend().supports_defer:
        close_due_bulk_orders.using(run_after=deadline).enqueue()
        remind_at = deadline - REMIND_BEFORE
        if remind_at > timezone.now():
            remind_closing_bulk_orders.using(run_after=remind_at).enqueue()


def _check_member_enterprise(*, user, enterprise, cooperative) -> None:
    if not member_enterprises_for_user(user=user, cooperative=cooperative).filter(
        pk=enterprise.pk
    ).exists():
        raise PermissionDenied(_("Only members of the cooperative can commit."))


@transaction.atomic
def commitment_save(*, bulk_order: BulkOrder, enterprise, user, quantity: int,
                    tolerance: int = 0) -> Commitment:
    """Create or change `enterprise`'s commitment while the order is open."""
    _check_member_enterprise(user=user, enterprise=enterprise,
                             cooperative=bulk_order.cooperative)
    if quantity < 1 or tolerance < 0:
        raise ValidationError(_("Commit at least 1 and a tolerance of 0 or more."))
    _lock_open(bulk_order)
    commitment, _created = Commitment.objects.update_or_create(
        bulk_order=bulk_order, enterprise=enterprise,
        defaults={"quantity": quantity, "tolerance": tolerance, "committed_by": user},
    )
    return commitment


@transaction.atomic
def commitment_withdraw(*, bulk_order: BulkOrder, enterprise, user) -> None:
    _check_member_enterprise(user=user, enterprise=enterprise,
                             cooperative=bulk_order.cooperative)
    _lock_open(bulk_order)
    Commitment.objects.filter(bulk_order=bulk_order, enterprise=enterprise).delete()


def _cancel_reason(*, packages: int, bulk_order: BulkOrder) -> str:
    return _(
        "Members' commitments filled %(packages)d package(s) of %(size)d %(unit)s, but at least "
        "%(minimum)d were needed, so nothing is ordered and nobody owes anything."
    ) % {"packages": packages, "size": bulk_order.package_size,
         "unit": bulk_order.get_unit_display(), "minimum": bulk_order.min_packages}


def _write_allocations(*, commitments: list[Commitment], allocations: dict[int, int]) -> None:
    """Almost everyone gets 0, their quantity, or quantity + tolerance; at most two get a part
    (see allocate). One UPDATE per group stays linear, where bulk_update's CASE of 1,000 ids
    does not."""
    groups = {"zero": [], "firm": [], "full": []}
    partial = []
    for commitment in commitments:
        allocated = allocations[commitment.pk]
        if allocated == 0:
            groups["zero"].append(commitment.pk)
        elif allocated == commitment.quantity:
            groups["firm"].append(commitment.pk)
        elif allocated == commitment.quantity + commitment.tolerance:
            groups["full"].append(commitment.pk)
        else:
            partial.append((commitment.pk, allocated))
    values = {"zero": Value(0), "firm": F("quantity"), "full": F("quantity") + F("tolerance")}
    for group, pks in groups.items():
        if pks:
            Commitment.objects.filter(pk__in=pks).update(allocated=values[group])
    for pk, allocated in partial:
        Commitment.objects.filter(pk=pk).update(allocated=allocated)


@transaction.atomic
def bulk_order_close(*, bulk_order: BulkOrder, closed_by=None) -> BulkOrder:
    """Round to packages, allocate (marketplace.allocation) and close or cancel. `closed_by` is
    the manager closing by hand; None when the deadline task closes it."""
    if closed_by is not None:
        _check_manager(user=closed_by, cooperative=bulk_order.cooperative)
    locked = BulkOrder.objects.select_for_update().get(pk=bulk_order.pk)
    if locked.status != BulkOrder.Status.OPEN:
        raise ValidationError(_("This bulk order is already closed."), code="not_open")
    commitments = list(
        locked.commitments.select_for_update().order_by("created_at", "pk")
        .only("pk", "quantity", "tolerance", "allocated")
    )
    result = allocate(
        package_size=locked.package_size, min_packages=locked.min_packages,
        commitments=[(c.pk, c.quantity, c.tolerance) for c in commitments],
    )
    _write_allocations(commitments=commitments, allocations=result.allocations)

    locked.closed_at = timezone.now()
    if result.cancelled:
        packages = sum(c.quantity for c in commitments) // locked.package_size
        locked.status = BulkOrder.Status.CANCELLED
        locked.packages_ordered = 0
        locked.cancel_reason = _cancel_reason(packages=packages, bulk_order=locked)
    else:
        locked.status = BulkOrder.Status.CLOSED
        locked.packages_ordered = result.packages
    locked.save(update_fields=["status", "packages_ordered", "cancel_reason", "closed_at"])
    notifications.bulk_order_closed(bulk_order=locked)
    return locked


REMIND_BEFORE = timedelta(hours=24)


def remind_closing(*, now: datetime | None = None) -> list[BulkOrder]:
    """Tell members once that an open order closes within a day, so nobody misses it."""
    now = now or timezone.now()
    reminded = []
    with transaction.atomic():
        closing = BulkOrder.objects.select_for_update(skip_locked=True).filter(
            status=BulkOrder.Status.OPEN, reminder_sent_at__isnull=True,
            deadline__gt=now, deadline__lte=now + REMIND_BEFORE,
        ).select_related("cooperative")
        for bulk_order in closing:
            notifications.bulk_order_closing_soon(bulk_order=bulk_order)
            reminded.append(bulk_order)
        BulkOrder.objects.filter(pk__in=[b.pk for b in reminded]).update(reminder_sent_at=now)
    return reminded


def close_due(*, now: datetime | None = None) -> list[BulkOrder]:
    """Close every open order whose deadline has passed, each in its own transaction."""
    now = now or timezone.now()
    closed = []
    due = BulkOrder.objects.filter(status=BulkOrder.Status.OPEN, deadline__lte=now)
    for bulk_order in due.order_by("deadline", "pk"):
        try:
            closed.append(bulk_order_close(bulk_order=bulk_order))
        except ValidationError:
            continue  # a manager closed it meanwhile
    return closed


@transaction.atomic
def bulk_order_mark_sent(*, bulk_order: BulkOrder, user) -> BulkOrder:
    _check_manager(user=user, cooperative=bulk_order.cooperative)
    locked = BulkOrder.objects.select_for_update().get(pk=bulk_order.pk)
    if locked.status != BulkOrder.Status.CLOSED:
        raise ValidationError(_("Only a closed order can be sent to the supplier."))
    if locked.sent_to_supplier_at is None:
        locked.sent_to_supplier_at = timezone.now()
        locked.save(update_fields=["sent_to_supplier_at"])
    return locked
