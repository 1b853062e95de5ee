"""Reads of the network metrics: pages show the latest finished snapshot, never compute."""

import datetime

from django.db.models import Q
from django.utils import timezone

from enterprises.models import Enterprise, NetworkPosition, NetworkSnapshot

PENDING_STATUSES = (NetworkSnapshot.Status.QUEUED, NetworkSnapshot.Status.RUNNING)
# A snapshot queued or running this long is taken as lost (its worker stopped): pages stop
# showing it as in progress and offer to compute again, and the next request gives it up.
STALE_AFTER = datetime.timedelta(hours=2)


def _stale(now: datetime.datetime | None = None) -> Q:
    cutoff = (now or timezone.now()) - STALE_AFTER
    return Q(started_at__lte=cutoff) | Q(started_at__isnull=True, created_at__lte=cutoff)


def network_snapshot_is_stale(snapshot: NetworkSnapshot) -> bool:
    """Queued or running for longer than STALE_AFTER: no worker is going to finish it."""
    if snapshot.status not in PENDING_STATUSES:
        return False
    since = snapshot.started_at or snapshot.created_at
    return since <= timezone.now() - STALE_AFTER


def network_snapshot_latest() -> NetworkSnapshot | None:
    """The most recently finished snapshot that succeeded."""
    return (NetworkSnapshot.objects.filter(status=NetworkSnapshot.Status.DONE)
            .order_by("-finished_at", "-pk").first())


def network_snapshot_pending() -> NetworkSnapshot | None:
    """The snapshot being computed or waiting for a worker, for a progress line; not one that
    has been at it longer than STALE_AFTER (network_snapshot_is_stale)."""
    return (NetworkSnapshot.objects.filter(status__in=PENDING_STATUSES).exclude(_stale())
            .order_by("-created_at", "-pk").first())


def network_snapshot_failed(*, latest: NetworkSnapshot | None) -> NetworkSnapshot | None:
    """The newest snapshot, when it failed after the latest one that finished; or when it has
    been queued or running so long that its worker must have stopped (it is given up for good
    when someone asks again)."""
    newest = NetworkSnapshot.objects.order_by("-created_at", "-pk").first()
    if newest is None or (newest.status != NetworkSnapshot.Status.FAILED
                          and not network_snapshot_is_stale(newest)):
        return None
    if latest is not None and (latest.created_at, latest.pk) > (newest.created_at, newest.pk):
        return None
    return newest


def network_position_for(*, enterprise: Enterprise) -> NetworkPosition | None:
    """The enterprise's place in the latest finished snapshot (None before the first one, or
    for an enterprise made since)."""
    snapshot = network_snapshot_latest()
    if snapshot is None:
        return None
    return NetworkPosition.objects.filter(snapshot=snapshot, enterprise=enterprise).first()
