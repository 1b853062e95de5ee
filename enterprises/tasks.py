"""Background tasks of the enterprises app (django.tasks)."""

from django.tasks import task
from django.utils import timezone

from enterprises.models import NetworkSnapshot


@task(takes_context=True)
def network_metrics_task(context, snapshot_id: int) -> str:
    """Compute a requested network snapshot; returns its final status. A snapshot that is no
    longer queued (already taken, or given up as stale) is left alone, except by a retry of a
    task whose worker was killed (requeue_stale_tasks), which takes over the snapshot it left
    running."""
    from enterprises.network import network_metrics_compute

    claimable = [NetworkSnapshot.Status.QUEUED]
    if context.attempt > 1:
        claimable.append(NetworkSnapshot.Status.RUNNING)
    claimed = NetworkSnapshot.objects.filter(
        pk=snapshot_id, status__in=claimable
    ).update(status=NetworkSnapshot.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return "skipped"
    snapshot = NetworkSnapshot.objects.get(pk=snapshot_id)
    return network_metrics_compute(snapshot=snapshot).status
