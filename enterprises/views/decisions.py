"""Proposal pages under /cooperatives/<slug>/proposals/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from enterprises.forms_decisions import ProposalForm, VoteForm
from enterprises.models import Cooperative, Proposal
from enterprises.selectors import decisions as selectors
from enterprises.selectors.cooperatives import member_enterprises_for_user, user_is_member
from enterprises.services import decisions as services


def _cooperative(slug) -> Cooperative:
    return get_object_or_404(Cooperative, slug=slug, is_active=True)


def _proposal(cooperative, pk) -> Proposal:
    """The proposal, its result worked out if voting time is over and no worker has yet."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("raised_by", "passed_option"),
        cooperative=cooperative, pk=pk,
    )
    if selectors.proposal_is_due(proposal=proposal):
        services.proposal_close(proposal=proposal)
        proposal.refresh_from_db()
    return proposal


@require_safe
def proposal_list(request, slug):
    cooperative = _cooperative(slug)
    services.proposal_close_due(cooperative=cooperative)
    proposals = list(selectors.proposal_list(cooperative=cooperative))
    return render(request, "enterprises/proposal_list.html", {
        "cooperative": cooperative,
        "open_proposals": [p for p in proposals if p.status == Proposal.Status.OPEN],
        "decided_proposals": [p for p in proposals if p.status == Proposal.Status.CLOSED],
        "is_member": user_is_member(user=request.user, cooperative=cooperative),
        "now": timezone.now(),
    })


@require_safe
def proposal_detail(request, slug, pk):
    cooperative = _cooperative(slug)
    proposal = _proposal(cooperative, pk)
    voter_queryset = selectors.voter_enterprises_for_user(user=request.user, proposal=proposal)
    voters = list(voter_queryset)
    voting = selectors.proposal_is_voting(proposal=proposal)
    current = selectors.vote_for(proposal=proposal, enterprise=voters[0]) if voters else None
    is_member = user_is_member(user=request.user, cooperative=cooperative)
    decided = proposal.status == Proposal.Status.CLOSED
    form = None
    if voting and voters:
        form = VoteForm(proposal=proposal, enterprises=voter_queryset, current=current)
    return render(request, "enterprises/proposal_detail.html", {
        "cooperative": cooperative,
        "proposal": proposal,
        "options": [selectors.option_label(option) for option in proposal.options.all()],
        "results": selectors.proposal_results(proposal=proposal)
        if decided or is_member else None,
        "decided": decided,
        "voting": voting,
        "upcoming": proposal.status == Proposal.Status.OPEN
        and timezone.now() < proposal.opens_at,
        "is_member": is_member,
        "form": form,
        "current": current,
        "voter": voters[0] if len(voters) == 1 else None,
    })


@login_required
def proposal_create(request, slug):
    cooperative = _cooperative(slug)
    enterprises = member_enterprises_for_user(user=request.user, cooperative=cooperative)
    if not enterprises.exists():
        raise PermissionDenied(_("Only members of the cooperative can raise a proposal."))
    form = ProposalForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                cooperative=cooperative, enterprise=data["enterprise"], user=request.user,
                title=data["title"], body=data["body"], options=data["options"],
                opens_at=data["opens_at"], closes_at=data["closes_at"],
                quorum_percent=data["quorum_percent"],
                pass_threshold_percent=data["pass_threshold_percent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your proposal is up. Members can vote while it is open."))
            return redirect("proposal_detail", slug=cooperative.slug, pk=proposal.pk)
    return render(request, "enterprises/proposal_form.html", {
        "cooperative": cooperative, "form": form,
    })


@require_POST
@login_required
def proposal_vote(request, slug, pk):
    cooperative = _cooperative(slug)
    proposal = get_object_or_404(Proposal, cooperative=cooperative, pk=pk)
    voters = selectors.voter_enterprises_for_user(user=request.user, proposal=proposal)
    if not voters.exists():
        raise PermissionDenied(
            _("Only enterprises that were members when voting opened can vote.")
        )
    form = VoteForm(request.POST, proposal=proposal, enterprises=voters)
    if not form.is_valid():
        messages.error(request, _("Choose one option, then send your vote."))
        return redirect("proposal_detail", slug=cooperative.slug, pk=proposal.pk)
    try:
        services.vote_cast(
            proposal=proposal, enterprise=form.cleaned_data["enterprise"], user=request.user,
            option=form.cleaned_data["option"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Your vote is recorded. You can change it until voting closes.")
        )
    return redirect("proposal_detail", slug=cooperative.slug, pk=proposal.pk)
