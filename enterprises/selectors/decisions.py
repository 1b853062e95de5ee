"""Reads for proposals and votes: who may vote, and the results.

Who may vote (eligibility): an enterprise whose membership had begun when voting opened
(joined_at <= opens_at) and has not ended by the moment in question (left_at null or later).
While voting runs that moment is now; once voting has closed it is closes_at, so the results of a
decided proposal never change. Members who join after voting opened wait for the next proposal;
members who leave lose their vote, and a vote they cast no longer counts.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from enterprises.models import Cooperative, Enterprise, Membership, Proposal, ProposalOption, Vote


def proposal_list(*, cooperative: Cooperative) -> QuerySet[Proposal]:
    """The cooperative's proposals, newest first (open and decided)."""
    return cooperative.proposals.select_related("raised_by", "passed_option").order_by(
        "-opens_at", "-pk"
    )


def proposal_is_voting(*, proposal: Proposal, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return proposal.status == Proposal.Status.OPEN and proposal.opens_at <= now < proposal.closes_at


def proposal_is_due(*, proposal: Proposal, now: datetime | None = None) -> bool:
    """Voting time is over but the result has not been worked out yet."""
    now = now or timezone.now()
    return proposal.status == Proposal.Status.OPEN and now >= proposal.closes_at


def _eligibility_moment(proposal: Proposal) -> datetime:
    return min(timezone.now(), proposal.closes_at)


def eligible_memberships(*, proposal: Proposal, at: datetime | None = None) -> QuerySet[Membership]:
    """Memberships that give a vote on `proposal` (see the module docstring)."""
    at = at or _eligibility_moment(proposal)
    return Membership.objects.filter(
        cooperative_id=proposal.cooperative_id,
        joined_at__isnull=False,
        joined_at__lte=proposal.opens_at,
    ).filter(Q(left_at__isnull=True) | Q(left_at__gt=at))


def eligible_enterprise_ids(*, proposal: Proposal, at: datetime | None = None):
    return eligible_memberships(proposal=proposal, at=at).values("enterprise_id")


def eligible_count(*, proposal: Proposal, at: datetime | None = None) -> int:
    return eligible_memberships(proposal=proposal, at=at).values("enterprise_id").distinct().count()


def enterprise_may_vote(*, proposal: Proposal, enterprise: Enterprise) -> bool:
    return eligible_memberships(proposal=proposal).filter(enterprise=enterprise).exists()


def voter_enterprises_for_user(*, user, proposal: Proposal) -> QuerySet[Enterprise]:
    """The user's enterprises that hold a vote on `proposal` (usually one, often none)."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(
        memberships__user=user, pk__in=eligible_enterprise_ids(proposal=proposal)
    ).distinct().order_by("name")


def vote_for(*, proposal: Proposal, enterprise: Enterprise) -> Vote | None:
    return proposal.votes.filter(enterprise=enterprise).select_related("option").first()


def option_label(option: ProposalOption) -> str:
    """Default labels ("Yes", "No", "Abstain") are stored in English and shown translated;
    members' own labels pass through unchanged."""
    return gettext(option.label)


@dataclass(frozen=True)
class OptionResult:
    option: ProposalOption
    label: str
    votes: int
    # Share of the votes cast for an option, abstentions left out: what the threshold is about.
    share: float | None

    @property
    def is_abstain(self) -> bool:
        return self.option.is_abstain


@dataclass(frozen=True)
class ProposalResults:
    options: list[OptionResult]
    votes_cast: int
    decisive_votes: int
    abstentions: int
    eligible: int
    turnout: float
    quorum_percent: int
    pass_threshold_percent: int
    quorum_met: bool
    leader: OptionResult | None
    tie: bool
    passed: bool

    @property
    def quorum_needed(self) -> int:
        """The fewest votes that meet the quorum."""
        return -(-self.quorum_percent * self.eligible // 100)

    @property
    def reason(self) -> str:
        """Why the proposal passes or fails, for the plain-words statement."""
        if self.passed:
            return "passed"
        if not self.quorum_met:
            return "no_quorum"
        if self.decisive_votes == 0:
            return "only_abstentions"
        if self.tie:
            return "tie"
        return "below_threshold"


def proposal_results(*, proposal: Proposal) -> ProposalResults:
    """Counts per option (one query), turnout against the eligible members (one more query,
    none once decided: the count is stored at close), quorum and pass, by the rules stated on the
    proposal page: quorum when votes * 100 >= quorum% * eligible; pass when the leading option,
    abstentions left out, has strictly more than the threshold and no other option ties it."""
    counted = Q(votes__enterprise_id__in=eligible_enterprise_ids(proposal=proposal))
    options = list(
        ProposalOption.objects.filter(proposal=proposal)
        .annotate(vote_count=Count("votes", filter=counted))
        .order_by("position", "pk")
    )
    if proposal.status == Proposal.Status.CLOSED and proposal.eligible_count is not None:
        eligible = proposal.eligible_count
    else:
        eligible = eligible_count(proposal=proposal)

    votes_cast = sum(option.vote_count for option in options)
    decisive = sum(option.vote_count for option in options if not option.is_abstain)
    rows = [
        OptionResult(
            option=option, label=option_label(option), votes=option.vote_count,
            share=None if option.is_abstain else _percent(option.vote_count, decisive),
        )
        for option in options
    ]
    ranked = sorted((row for row in rows if not row.is_abstain), key=lambda r: -r.votes)
    leader = ranked[0] if ranked and ranked[0].votes > 0 else None
    tie = leader is not None and len(ranked) > 1 and ranked[1].votes == leader.votes
    quorum_met = eligible > 0 and votes_cast * 100 >= proposal.quorum_percent * eligible
    passed = (
        quorum_met and leader is not None and not tie
        and leader.votes * 100 > proposal.pass_threshold_percent * decisive
    )
    return ProposalResults(
        options=rows, votes_cast=votes_cast, decisive_votes=decisive,
        abstentions=votes_cast - decisive, eligible=eligible,
        turnout=_percent(votes_cast, eligible),
        quorum_percent=proposal.quorum_percent,
        pass_threshold_percent=proposal.pass_threshold_percent,
        quorum_met=quorum_met, leader=leader, tie=tie, passed=passed,
    )


def _percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0
