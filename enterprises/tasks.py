"""Background tasks of the enterprises app (django.tasks)."""

from django.tasks import task
from django.utils import timezone

from enterprises.models import NetworkSnapshot


@task
def network_metrics_task(snapshot_id: int) -> str:
    """Compute a requested network snapshot; returns its final status. A snapshot that is no
    longer queued (already taken, or given up as stale) is left alone."""
    from enterprises.network import network_metrics_compute

    claimed = NetworkSnapshot.objects.filter(
        pk=snapshot_id, status=NetworkSnapshot.Status.QUEUED
    ).update(status=NetworkSnapshot.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return "skipped"
    snapshot = NetworkSnapshot.objects.get(pk=snapshot_id)
    return network_metrics_compute(snapshot=snapshot).status
