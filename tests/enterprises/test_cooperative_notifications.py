from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import Notification
from enterprises.models import SharedResource
from enterprises.services import bookings, decisions
from tests.factories import CooperativeFactory, cooperative_member, seller

pytestmark = pytest.mark.django_db


def test_a_booking_is_confirmed_to_whoever_booked_it():
    cooperative = CooperativeFactory()
    member, farm = cooperative_member(cooperative)
    huller = SharedResource.objects.create(cooperative=cooperative, name="Huller",
                                           kind="equipment", cost_per_hour=25000)
    start = timezone.now() + timedelta(days=1)

    bookings.booking_create(resource=huller, enterprise=farm, user=member, starts_at=start,
                            ends_at=start + timedelta(hours=2))

    [note] = Notification.objects.filter(user=member)
    assert note.kind == "booking.confirmed" and "Huller" in note.title
    assert "Rp 50.000" in note.body


def test_members_hear_of_new_proposals_and_results_but_outsiders_do_not():
    cooperative = CooperativeFactory()
    raiser, farm = cooperative_member(cooperative)
    other, _ = cooperative_member(cooperative)
    outsider, _ = seller()
    now = timezone.now()

    proposal = decisions.proposal_create(
        cooperative=cooperative, enterprise=farm, user=raiser, title="Beli pengering",
        body="Rp 30 juta", options=None, opens_at=now, closes_at=now + timedelta(days=3),
        quorum_percent=50, pass_threshold_percent=50,
    )
    proposal.closes_at = now - timedelta(seconds=1)
    proposal.opens_at = now - timedelta(days=1)
    proposal.save()
    decisions.proposal_close(proposal=proposal)

    for user in (raiser, other):
        kinds = set(Notification.objects.filter(user=user).values_list("kind", flat=True))
        assert kinds == {"proposal.opened", "proposal.decided"}
    assert not Notification.objects.filter(user=outsider).exists()
    assert "Beli pengering" in Notification.objects.filter(kind="proposal.decided").first().title
