"""Reads of the network metrics: pages show the latest finished snapshot, never compute."""

from enterprises.models import Enterprise, NetworkPosition, NetworkSnapshot

PENDING_STATUSES = (NetworkSnapshot.Status.QUEUED, NetworkSnapshot.Status.RUNNING)


def network_snapshot_latest() -> NetworkSnapshot | None:
    """The most recently finished snapshot that succeeded."""
    return (NetworkSnapshot.objects.filter(status=NetworkSnapshot.Status.DONE)
            .order_by("-finished_at", "-pk").first())


def network_snapshot_pending() -> NetworkSnapshot | None:
    """The snapshot being computed or waiting for a worker, for a progress line."""
    return (NetworkSnapshot.objects.filter(status__in=PENDING_STATUSES)
            .order_by("-created_at", "-pk").first())


def network_position_for(*, enterprise: Enterprise) -> NetworkPosition | None:
    """The enterprise's place in the latest finished snapshot (None before the first one, or
    for an enterprise made since)."""
    snapshot = network_snapshot_latest()
    if snapshot is None:
        return None
    return NetworkPosition.objects.filter(snapshot=snapshot, enterprise=enterprise).first()
