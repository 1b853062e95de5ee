"""Requesting the network metrics: a program officer asks, a background task computes
(enterprises.tasks.network_metrics_task -> enterprises.network.network_metrics_compute)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import NetworkSnapshot
from enterprises.selectors import user_is_program_officer
from enterprises.selectors.network import (  # noqa: F401  (STALE_AFTER: it lived here first)
    PENDING_STATUSES,
    STALE_AFTER,
    network_snapshot_is_stale,
)
from enterprises.tasks import network_metrics_task


@transaction.atomic
def network_snapshot_request(*, user) -> NetworkSnapshot:
    """A new snapshot, queued for the background worker; or the one already queued or being
    computed, so requests made meanwhile do not pile up. Snapshots queued or running for longer
    than STALE_AFTER are given up (marked failed) first: their worker stopped."""
    if not user_is_program_officer(user=user):
        raise PermissionDenied(_("Only program officers can recompute the network figures."))
    pending = list(NetworkSnapshot.objects.select_for_update()
                   .filter(status__in=PENDING_STATUSES).order_by("-created_at", "-pk"))
    fresh = None
    for snapshot in pending:
        if not network_snapshot_is_stale(snapshot):
            fresh = fresh or snapshot
            continue
        snapshot.status = NetworkSnapshot.Status.FAILED
        snapshot.error = _("Given up: no result after %(hours)d hours.") % {
            "hours": STALE_AFTER.total_seconds() // 3600}
        snapshot.finished_at = timezone.now()
        snapshot.save(update_fields=["status", "error", "finished_at"])
    if fresh is not None:
        return fresh
    snapshot = NetworkSnapshot.objects.create(requested_by=user)
    # With the database backend the task row commits with the snapshot; the immediate backend
    # (tests, `make run`) computes it here and now.
    network_metrics_task.enqueue(snapshot.pk)
    snapshot.refresh_from_db()
    return snapshot
