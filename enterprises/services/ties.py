"""Recording ties. Every source of a tie (events, mentoring, purchases, cooperatives, invites)
calls tie_record, so a tie is one row however many times it is made."""

import datetime

from django.db import IntegrityError, transaction

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
