"""Recording ties. Every source of a tie (events, mentoring, purchases, cooperatives, invites)
calls tie_record, so a tie is one row however many times it is made."""

import datetime
import itertools

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest, Least

from enterprises.models import Enterprise, Tie


@transaction.atomic
def tie_record(*, kind: str, from_enterprise: Enterprise, to_enterprise: Enterprise | None = None,
               to_user=None, started_on: datetime.date, origin: str = Tie.Origin.AUTOMATIC,
               evidence: str = "") -> Tie | None:
    """The tie of `kind` between the two ends, made if new. An earlier start moves the start back;
    an ended tie made again is open again. A tie to oneself is no tie (None)."""
    if to_enterprise is not None and to_enterprise.pk == from_enterprise.pk:
        return None
    if to_enterprise is not None and kind not in Tie.DIRECTED_KINDS \
            and to_enterprise.pk < from_enterprise.pk:
        from_enterprise, to_enterprise = to_enterprise, from_enterprise
    ends = {"kind": kind, "from_enterprise": from_enterprise,
            "to_enterprise": to_enterprise, "to_user": to_user}
    tie = Tie.objects.select_for_update().filter(**ends).first()
    if tie is None:
        try:
            with transaction.atomic():
                return Tie.objects.create(**ends, origin=origin, evidence=evidence[:80],
                                          started_on=started_on)
        except IntegrityError:  # made at the same moment by another request
            tie = Tie.objects.select_for_update().get(**ends)
    changed = []
    if started_on < tie.started_on:
        tie.started_on = started_on
        changed.append("started_on")
    if tie.ended_on is not None:
        tie.ended_on = None
        changed.append("ended_on")
    if changed:
        tie.save(update_fields=changed)
    return tie


@transaction.atomic
def ties_record_between(*, kind: str, enterprises, started_on: datetime.date, evidence: str = "",
                        origin: str = Tie.Origin.AUTOMATIC) -> int:
    """tie_record for every pair among `enterprises`, for an undirected `kind`, in two queries
    whatever their number: new pairs are inserted (lower id first), existing ones get the
    earlier start and are open again. Returns the number of pairs."""
    if kind in Tie.DIRECTED_KINDS:
        raise ValueError(f"ties_record_between is for undirected kinds, not {kind!r}")
    ids = sorted({enterprise.pk for enterprise in enterprises})
    if len(ids) < 2:
        return 0
    pairs = list(itertools.combinations(ids, 2))
    Tie.objects.bulk_create(
        [Tie(kind=kind, origin=origin, evidence=evidence[:80], started_on=started_on,
             from_enterprise_id=first, to_enterprise_id=second) for first, second in pairs],
        ignore_conflicts=True,
    )
    # Every tie of `kind` with both ends in `ids` is one of the pairs (undirected: lower id
    # first), so this reaches exactly the ties recorded before.
    Tie.objects.filter(
        Q(started_on__gt=started_on) | Q(ended_on__isnull=False),
        kind=kind, from_enterprise_id__in=ids, to_enterprise_id__in=ids,
    ).update(started_on=Least(F("started_on"), Value(started_on)), ended_on=None)
    return len(pairs)


@transaction.atomic
def ties_record_pairs(*, kind: str, enterprise: Enterprise, others, started_on: datetime.date,
                      evidence: str = "", origin: str = Tie.Origin.AUTOMATIC) -> int:
    """tie_record between `enterprise` and each of `others` (enterprises or ids), for an
    undirected `kind`, in two queries whatever their number (a new member and every member
    already there). Existing ties get the earlier start and are open again. Returns the number
    of pairs."""
    if kind in Tie.DIRECTED_KINDS:
        raise ValueError(f"ties_record_pairs is for undirected kinds, not {kind!r}")
    other_ids = {getattr(other, "pk", other) for other in others} - {enterprise.pk}
    if not other_ids:
        return 0
    Tie.objects.bulk_create(
        [Tie(kind=kind, origin=origin, evidence=evidence[:80], started_on=started_on,
             from_enterprise_id=min(enterprise.pk, other),
             to_enterprise_id=max(enterprise.pk, other))
         for other in sorted(other_ids)],
        ignore_conflicts=True,
    )
    _ties_with(kind=kind, enterprise=enterprise, other_ids=other_ids).filter(
        Q(started_on__gt=started_on) | Q(ended_on__isnull=False),
    ).update(started_on=Least(F("started_on"), Value(started_on)), ended_on=None)
    return len(other_ids)


@transaction.atomic
def ties_end_between(*, kind: str, enterprise: Enterprise, others, ended_on: datetime.date) -> int:
    """End the open ties of `kind` (either direction) between `enterprise` and `others` (an
    iterable of enterprises or ids, or a queryset of ids, which stays one query). A tie that
    started after `ended_on` ends the day it started. Returns how many ended."""
    return _ties_with(kind=kind, enterprise=enterprise, other_ids=others).filter(
        ended_on__isnull=True,
    ).update(ended_on=Greatest(F("started_on"), Value(ended_on)))


def _ties_with(*, kind: str, enterprise: Enterprise, other_ids):
    if not hasattr(other_ids, "query"):  # a queryset stays a subquery
        other_ids = [getattr(other, "pk", other) for other in other_ids]
    return Tie.objects.filter(
        Q(from_enterprise=enterprise, to_enterprise__in=other_ids)
        | Q(to_enterprise=enterprise, from_enterprise__in=other_ids),
        kind=kind,
    )
