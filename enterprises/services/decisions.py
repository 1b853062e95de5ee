"""Proposals and votes: one member enterprise, one vote, changeable until voting closes.

Who may vote is defined in enterprises.selectors.decisions (members whose membership had begun
when voting opened and has not ended since)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from enterprises import notifications
from enterprises.models import Cooperative, Enterprise, Proposal, ProposalOption, Vote
from enterprises.selectors.cooperatives import member_enterprises_for_user
from enterprises.selectors.decisions import (
    eligible_count,
    enterprise_may_vote,
    proposal_results,
)

# Stored in English and translated when shown (selectors.decisions.option_label).
YES, NO, ABSTAIN = gettext_noop("Yes"), gettext_noop("No"), gettext_noop("Abstain")
MIN_OPTIONS, MAX_OPTIONS = 2, 10


def _clean_options(options: list[str] | None) -> list[str]:
    if not options:
        return [YES, NO]
    labels = [label.strip() for label in options if label and label.strip()]
    if len({label.casefold() for label in labels}) != len(labels):
        raise ValidationError({"options": _("Each option must be different.")})
    if not MIN_OPTIONS <= len(labels) <= MAX_OPTIONS:
        raise ValidationError({"options": _("Give between 2 and 10 options.")})
    if any(label.casefold() == ABSTAIN.casefold() for label in labels):
        raise ValidationError({"options": _("Abstain is added for you; leave it out.")})
    return labels


@transaction.atomic
def proposal_create(
    *,
    cooperative: Cooperative,
    enterprise: Enterprise,
    user,
    title: str,
    body: str,
    options: list[str] | None,
    opens_at: datetime,
    closes_at: datetime,
    quorum_percent: int,
    pass_threshold_percent: int,
) -> Proposal:
    """Any active member raises a proposal for `enterprise`, which `user` must run."""
    if not member_enterprises_for_user(user=user, cooperative=cooperative).filter(
        pk=enterprise.pk
    ).exists():
        raise PermissionDenied(_("Only members of the cooperative can raise a proposal."))
    labels = _clean_options(options)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("Voting must close after it opens.")})
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("Voting must close in the future.")})
    proposal = Proposal(
        cooperative=cooperative, raised_by=enterprise, title=title, body=body,
        opens_at=opens_at, closes_at=closes_at, quorum_percent=quorum_percent,
        pass_threshold_percent=pass_threshold_percent, status=Proposal.Status.OPEN,
    )
    proposal.full_clean()
    proposal.save()
    ProposalOption.objects.bulk_create(
        [ProposalOption(proposal=proposal, label=label, position=i) for i, label in
         enumerate(labels)]
        + [ProposalOption(proposal=proposal, label=ABSTAIN, is_abstain=True,
                          position=len(labels))]
    )
    transaction.on_commit(lambda: _schedule_close(closes_at=closes_at))
    notifications.proposal_opened(proposal=proposal)
    return proposal


def _schedule_close(*, closes_at: datetime) -> None:
    """Queue the close for when voting ends, where the task backend can wait (the database
    queue); elsewhere the pages close due proposals when they are looked at."""
    if close_due_proposals.get_backend().supports_defer:
        close_due_proposals.using(run_after=closes_at).enqueue()


@transaction.atomic
def vote_cast(*, proposal: Proposal, enterprise: Enterprise, user, option: ProposalOption) -> Vote:
    """Record or change `enterprise`'s vote. The proposal row is locked so a vote and the close
    are ordered: a vote either lands before the count or is refused."""
    if not enterprise.memberships.filter(user=user).exists():
        raise PermissionDenied(_("You can only vote for an enterprise you run."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not enterprise_may_vote(proposal=proposal, enterprise=enterprise):
        raise PermissionDenied(
            _("Only enterprises that were members when voting opened can vote.")
        )
    if option.proposal_id != proposal.pk:
        raise ValidationError(_("Choose one of this proposal's options."))
    now = timezone.now()
    if proposal.status != Proposal.Status.OPEN or now >= proposal.closes_at:
        raise ValidationError(_("Voting has closed."))
    if now < proposal.opens_at:
        raise ValidationError(_("Voting has not opened yet."))
    vote, _created = Vote.objects.update_or_create(
        proposal=proposal, enterprise=enterprise,
        defaults={"option": option, "cast_by": user},
    )
    return vote


@transaction.atomic
def proposal_close(*, proposal: Proposal) -> Proposal:
    """Count the votes once voting time is over and keep the result: the number of eligible
    members (the votes themselves are kept) and the option that passed, if any."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status == Proposal.Status.CLOSED:
        return proposal
    if timezone.now() < proposal.closes_at:
        raise ValidationError(_("Voting is still open."))
    proposal.eligible_count = eligible_count(proposal=proposal, at=proposal.closes_at)
    proposal.status = Proposal.Status.CLOSED
    results = proposal_results(proposal=proposal)
    proposal.passed_option = results.leader.option if results.passed else None
    proposal.save(update_fields=["eligible_count", "passed_option", "status"])
    notifications.proposal_decided(proposal=proposal)
    return proposal


def proposal_close_due(*, cooperative: Cooperative | None = None) -> int:
    """Close every proposal whose voting time is over; returns how many were closed."""
    due = Proposal.objects.filter(status=Proposal.Status.OPEN, closes_at__lte=timezone.now())
    if cooperative is not None:
        due = due.filter(cooperative=cooperative)
    closed = 0
    for proposal in due.only("pk"):
        proposal_close(proposal=proposal)
        closed += 1
    return closed


@task
def close_due_proposals() -> int:
    return proposal_close_due()
