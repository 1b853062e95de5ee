"""Requesting the network metrics: a program officer asks, a background task computes
(enterprises.tasks.network_metrics_task -> enterprises.network.network_metrics_compute)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import NetworkSnapshot
from enterprises.selectors import user_is_program_officer
from enterprises.selectors.network import PENDING_STATUSES
from enterprises.tasks import network_metrics_task

# A snapshot queued or running this long is taken as lost (a worker stopped) and given up.
STALE_AFTER = datetime.timedelta(hours=2)


@transaction.atomic
def network_snapshot_request(*, user) -> NetworkSnapshot:
    """A new snapshot, queued for the background worker; or the one already queued or being
    computed, so requests made meanwhile do not pile up."""
    if not user_is_program_officer(user=user):
        raise PermissionDenied(_("Only program officers can recompute the network figures."))
    pending = (NetworkSnapshot.objects.select_for_update()
               .filter(status__in=PENDING_STATUSES).order_by("-created_at", "-pk").first())
    if pending is not None:
        since = pending.started_at or pending.created_at
        if since > timezone.now() - STALE_AFTER:
            return pending
        pending.status = NetworkSnapshot.Status.FAILED
        pending.error = _("Given up: no result after %(hours)d hours.") % {
            "hours": STALE_AFTER.total_seconds() // 3600}
        pending.finished_at = timezone.now()
        pending.save(update_fields=["status", "error", "finished_at"])
    snapshot = NetworkSnapshot.objects.create(requested_by=user)
    # With the database backend the task row commits with the snapshot; the immediate backend
    # (tests, `make run`) computes it here and now.
    network_metrics_task.enqueue(snapshot.pk)
    snapshot.refresh_from_db()
    return snapshot
