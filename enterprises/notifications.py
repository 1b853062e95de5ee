"""What cooperative members are told, in the app and by email. Texts are written in the site's
default language (Indonesian): users have no language preference yet."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from cms.services import notification_send
from enterprises.models import Booking, Membership, Proposal


def users_of_members(*, cooperative):
    """The people who run the cooperative's active member enterprises."""
    return get_user_model().objects.filter(
        enterprise_memberships__enterprise__cooperative_memberships__cooperative=cooperative,
        enterprise_memberships__enterprise__cooperative_memberships__status=(
            Membership.Status.ACTIVE
        ),
    ).distinct()


def booking_confirmed(*, booking: Booking) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        start = localtime(booking.starts_at)
        notification_send(
            users=[booking.booked_by], kind="booking.confirmed",
            title=_("Booking confirmed: %(resource)s") % {"resource": booking.resource.name},
            body=_("%(day)s, %(start)s–%(end)s. Cost: Rp %(cost)s.") % {
                "day": date_format(start, "l j F Y"), "start": f"{start:%H.%M}",
                "end": f"{localtime(booking.ends_at):%H.%M}",
                "cost": f"{booking.cost:,}".replace(",", "."),
            },
            url=reverse("resource_detail", kwargs={"slug": booking.resource.cooperative.slug,
                                                   "pk": booking.resource_id}),
        )


def _proposal_url(proposal: Proposal) -> str:
    return reverse("proposal_detail", kwargs={"slug": proposal.cooperative.slug,
                                              "pk": proposal.pk})


def proposal_opened(*, proposal: Proposal) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notification_send(
            users=users_of_members(cooperative=proposal.cooperative), kind="proposal.opened",
            title=_("New proposal in %(cooperative)s: %(title)s") % {
                "cooperative": proposal.cooperative.name, "title": proposal.title},
            body=_("Voting closes %(when)s. One member enterprise, one vote.") % {
                "when": date_format(localtime(proposal.closes_at), "j F Y, H.i")},
            url=_proposal_url(proposal),
        )


def proposal_decided(*, proposal: Proposal) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        if proposal.passed_option is not None:
            result = _("Passed: %(option)s.") % {"option": proposal.passed_option}
        else:
            result = _("Not passed.")
        notification_send(
            users=users_of_members(cooperative=proposal.cooperative), kind="proposal.decided",
            title=_("Result: %(title)s") % {"title": proposal.title},
            body=result, url=_proposal_url(proposal),
        )
