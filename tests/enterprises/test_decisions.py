"""Proposals and votes: options, who may vote and when, how results are decided, the pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from enterprises.models import Membership, Proposal, Vote
from enterprises.selectors.decisions import proposal_list, proposal_results
from enterprises.services.decisions import (
    close_due_proposals,
    proposal_close,
    proposal_create,
    vote_cast,
)
from tests.factories import CooperativeFactory, MembershipFactory, seller

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=30)


def _member(cooperative, *, joined_ago=LONG_AGO, **fields):
    user, enterprise = seller()
    MembershipFactory(
        cooperative=cooperative, enterprise=enterprise,
        joined_at=timezone.now() - joined_ago, **fields,
    )
    return user, enterprise


def _members(cooperative, count):
    return [_member(cooperative) for _ in range(count)]


def _proposal(cooperative, raiser, *, options=None, quorum=50, threshold=50,
              opens_in=timedelta(hours=-1), closes_in=timedelta(days=7), **fields):
    user, enterprise = raiser
    now = timezone.now()
    return proposal_create(
        cooperative=cooperative, enterprise=enterprise, user=user,
        title=fields.get("title", "Buy a second coffee huller"),
        body="The old one breaks every harvest.", options=options,
        opens_at=now + opens_in, closes_at=now + closes_in,
        quorum_percent=quorum, pass_threshold_percent=threshold,
    )


def _option(proposal, label):
    return proposal.options.get(label=label)


def _vote(proposal, member, label):
    user, enterprise = member
    return vote_cast(proposal=proposal, enterprise=enterprise, user=user,
                     option=_option(proposal, label))


def _end_voting(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    proposal.refresh_from_db()


def _decide(proposal, ballots):
    """Cast votes given as [(member, label)], end voting and close; returns the proposal."""
    for member, label in ballots:
        _vote(proposal, member, label)
    _end_voting(proposal)
    return proposal_close(proposal=proposal)


@pytest.fixture
def cooperative():
    return CooperativeFactory()


# Raising a proposal

def test_default_options_are_yes_no_abstain(cooperative):
    proposal = _proposal(cooperative, _member(cooperative))
    options = list(proposal.options.values_list("label", "is_abstain"))
    assert options == [("Yes", False), ("No", False), ("Abstain", True)]
    assert proposal.status == Proposal.Status.OPEN


def test_several_options_get_abstain_added(cooperative):
    proposal = _proposal(cooperative, _member(cooperative), options=[" Truck ", "Huller", "Dryer"])
    labels = list(proposal.options.values_list("label", flat=True))
    assert labels == ["Truck", "Huller", "Dryer", "Abstain"]
    assert proposal.options.filter(is_abstain=True).count() == 1


@pytest.mark.parametrize("options", [
    ["Only one"], [f"Option {n}" for n in range(11)], ["Truck", "truck"], ["Truck", "Abstain"],
])
def test_bad_option_lists_are_refused(cooperative, options):
    with pytest.raises(ValidationError) as error:
        _proposal(cooperative, _member(cooperative), options=options)
    assert "options" in error.value.message_dict
    assert not Proposal.objects.exists()


def test_voting_must_close_after_it_opens(cooperative):
    with pytest.raises(ValidationError):
        _proposal(cooperative, _member(cooperative), opens_in=timedelta(days=2),
                  closes_in=timedelta(days=1))


def test_non_member_cannot_raise_a_proposal(cooperative):
    with pytest.raises(PermissionDenied):
        _proposal(cooperative, seller())


def test_member_must_run_the_enterprise_raising_it(cooperative):
    user, _own = _member(cooperative)
    _other_user, other_enterprise = _member(cooperative)
    with pytest.raises(PermissionDenied):
        _proposal(cooperative, (user, other_enterprise))


def test_proposal_list_is_newest_first(cooperative):
    raiser = _member(cooperative)
    older = _proposal(cooperative, raiser, opens_in=timedelta(days=-3))
    newer = _proposal(cooperative, raiser, opens_in=timedelta(hours=-1))
    elsewhere = CooperativeFactory()
    _proposal(elsewhere, _member(elsewhere))
    assert list(proposal_list(cooperative=cooperative)) == [newer, older]


# Voting

def test_vote_and_change_vote(cooperative):
    member = _member(cooperative)
    proposal = _proposal(cooperative, member)
    _vote(proposal, member, "Yes")
    _vote(proposal, member, "No")
    vote = Vote.objects.get(proposal=proposal)
    assert vote.option.label == "No"
    assert vote.enterprise == member[1]
    assert vote.cast_by == member[0]


def test_one_vote_per_member_enterprise(cooperative):
    member = _member(cooperative)
    proposal = _proposal(cooperative, member)
    _vote(proposal, member, "Yes")
    with pytest.raises(IntegrityError):
        Vote.objects.create(proposal=proposal, enterprise=member[1],
                            option=_option(proposal, "No"))


def test_non_member_cannot_vote(cooperative):
    proposal = _proposal(cooperative, _member(cooperative))
    with pytest.raises(PermissionDenied):
        _vote(proposal, seller(), "Yes")
    assert not Vote.objects.exists()


def test_user_must_run_the_voting_enterprise(cooperative):
    proposal = _proposal(cooperative, _member(cooperative))
    user, _own = _member(cooperative)
    _other, other_enterprise = _member(cooperative)
    with pytest.raises(PermissionDenied):
        _vote(proposal, (user, other_enterprise), "Yes")


def test_member_who_joined_after_voting_opened_cannot_vote(cooperative):
    proposal = _proposal(cooperative, _member(cooperative))
    newcomer = _member(cooperative, joined_ago=timedelta(minutes=5))
    with pytest.raises(PermissionDenied):
        _vote(proposal, newcomer, "Yes")


def test_member_who_left_cannot_vote(cooperative):
    proposal = _proposal(cooperative, _member(cooperative))
    leaver = _member(cooperative, status=Membership.Status.LEFT, left_at=timezone.now())
    with pytest.raises(PermissionDenied):
        _vote(proposal, leaver, "Yes")


def test_vote_before_voting_opens_is_refused(cooperative):
    member = _member(cooperative)
    proposal = _proposal(cooperative, member, opens_in=timedelta(hours=1))
    # Members then already hold a vote, it just is not time yet.
    with pytest.raises(ValidationError, match="not opened"):
        _vote(proposal, member, "Yes")


def test_vote_after_voting_closes_is_refused(cooperative):
    member = _member(cooperative)
    proposal = _proposal(cooperative, member)
    _end_voting(proposal)
    with pytest.raises(ValidationError, match="closed"):
        _vote(proposal, member, "Yes")
    proposal_close(proposal=proposal)
    with pytest.raises(ValidationError, match="closed"):
        _vote(proposal, member, "Yes")
    assert not Vote.objects.exists()


def test_option_of_another_proposal_is_refused(cooperative):
    member = _member(cooperative)
    proposal = _proposal(cooperative, member)
    other = _proposal(cooperative, member)
    with pytest.raises(ValidationError):
        vote_cast(proposal=proposal, enterprise=member[1], user=member[0],
                  option=_option(other, "Yes"))


# Closing and results

def test_close_before_voting_ends_is_refused(cooperative):
    proposal = _proposal(cooperative, _member(cooperative))
    with pytest.raises(ValidationError):
        proposal_close(proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN


def test_quorum_not_met_means_not_passed(cooperative):
    members = _members(cooperative, 10)
    proposal = _proposal(cooperative, members[0], quorum=50)
    proposal = _decide(proposal, [(m, "Yes") for m in members[:4]])
    results = proposal_results(proposal=proposal)
    assert proposal.status == Proposal.Status.CLOSED
    assert proposal.eligible_count == 10
    assert proposal.passed_option is None
    assert (results.votes_cast, results.turnout, results.quorum_met) == (4, 40.0, False)
    assert results.reason == "no_quorum"


def test_quorum_met_exactly_passes(cooperative):
    members = _members(cooperative, 10)
    proposal = _proposal(cooperative, members[0], quorum=50)
    proposal = _decide(proposal, [(m, "Yes") for m in members[:5]])
    assert proposal.passed_option.label == "Yes"
    assert proposal_results(proposal=proposal).quorum_needed == 5


@pytest.mark.parametrize(("yes", "passed"), [(6, False), (7, True)])
def test_threshold_must_be_strictly_exceeded(cooperative, yes, passed):
    members = _members(cooperative, 10)
    proposal = _proposal(cooperative, members[0], quorum=50, threshold=60)
    ballots = [(m, "Yes") for m in members[:yes]] + [(m, "No") for m in members[yes:]]
    proposal = _decide(proposal, ballots)
    assert (proposal.passed_option is not None) is passed
    if not passed:
        assert proposal_results(proposal=proposal).reason == "below_threshold"


def test_tie_between_leading_options_fails(cooperative):
    members = _members(cooperative, 10)
    proposal = _proposal(cooperative, members[0], options=["Truck", "Huller", "Dryer"],
                         threshold=30)
    ballots = ([(m, "Truck") for m in members[:4]] + [(m, "Huller") for m in members[4:8]]
               + [(m, "Dryer") for m in members[8:]])
    proposal = _decide(proposal, ballots)
    results = proposal_results(proposal=proposal)
    assert proposal.passed_option is None
    assert results.tie and results.reason == "tie"


def test_abstentions_count_for_quorum_not_threshold(cooperative):
    members = _members(cooperative, 10)
    proposal = _proposal(cooperative, members[0], quorum=50, threshold=60)
    ballots = ([(m, "Yes") for m in members[:2]] + [(members[2], "No")]
               + [(m, "Abstain") for m in members[3:6]])
    proposal = _decide(proposal, ballots)
    results = proposal_results(proposal=proposal)
    # 6 of 10 voted: quorum met; Yes has 2 of 3 votes for an option (66.7%) > 60%.
    assert (results.votes_cast, results.decisive_votes, results.abstentions) == (6, 3, 3)
    assert results.quorum_met
    assert results.leader.share == 66.7
    assert proposal.passed_option.label == "Yes"


def test_only_abstentions_do_not_pass(cooperative):
    members = _members(cooperative, 2)
    proposal = _decide(_proposal(cooperative, members[0]),
                       [(m, "Abstain") for m in members])
    assert proposal.passed_option is None
    assert proposal_results(proposal=proposal).reason == "only_abstentions"


def test_vote_of_member_who_left_during_voting_no_longer_counts(cooperative):
    members = _members(cooperative, 4)
    proposal = _proposal(cooperative, members[0], quorum=50)
    for member in members[:2]:
        _vote(proposal, member, "Yes")
    Membership.objects.filter(enterprise=members[1][1]).update(
        status=Membership.Status.LEFT, left_at=timezone.now() - timedelta(minutes=2)
    )
    proposal = _decide(proposal, [])  # voting ends a minute ago, after the member left
    results = proposal_results(proposal=proposal)
    assert (proposal.eligible_count, results.votes_cast) == (3, 1)
    assert proposal.passed_option is None  # 1 of 3 is short of the 50% quorum


def test_results_after_close_do_not_change_when_members_join(cooperative):
    members = _members(cooperative, 2)
    proposal = _decide(_proposal(cooperative, members[0]), [(m, "Yes") for m in members])
    _member(cooperative, joined_ago=LONG_AGO * 2)
    assert proposal_results(proposal=proposal).eligible == 2


def test_results_query_count_is_constant(cooperative):
    def queries_for(voters):
        members = _members(cooperative, voters)
        proposal = _proposal(cooperative, members[0], options=["A", "B", "C", "D"])
        for member in members:
            _vote(proposal, member, "A")
        with CaptureQueriesContext(connection) as captured:
            results = proposal_results(proposal=proposal)
        assert results.votes_cast == voters
        return len(captured)

    assert queries_for(2) == queries_for(15) == 2


def test_close_due_proposals_task_closes_only_due_ones(cooperative):
    members = _members(cooperative, 2)
    due = _proposal(cooperative, members[0])
    running = _proposal(cooperative, members[0])
    _vote(due, members[1], "Yes")
    _end_voting(due)
    result = close_due_proposals.enqueue()
    assert result.return_value == 1
    due.refresh_from_db()
    running.refresh_from_db()
    assert due.status == Proposal.Status.CLOSED
    assert running.status == Proposal.Status.OPEN


# Pages

def _url(name, proposal=None, *, cooperative=None, language="id"):
    """Unprefixed URLs are the Indonesian pages; "/en/..." the English ones."""
    kwargs = {"slug": (cooperative or proposal.cooperative).slug}
    if proposal is not None:
        kwargs["pk"] = proposal.pk
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def _detail_url(proposal, language="id"):
    return _url("proposal_detail", proposal, language=language)


def _vote_url(proposal, language="id"):
    return _url("proposal_vote", proposal, language=language)


def test_list_page_shows_open_and_decided(client, cooperative):
    members = _members(cooperative, 2)
    _proposal(cooperative, members[0], title="Open question")
    decided = _proposal(cooperative, members[0], title="Settled question")
    _decide(decided, [(m, "Yes") for m in members])
    response = client.get(_url("proposal_list", cooperative=cooperative))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Open question" in content and "Settled question" in content
    assert content.index("Open question") < content.index("Settled question")


def test_member_sees_vote_form_with_current_vote_selected(client, cooperative):
    member = _member(cooperative)
    proposal = _proposal(cooperative, member)
    _vote(proposal, member, "No")
    client.force_login(member[0])
    response = client.get(_detail_url(proposal), headers={"accept-language": "en"})
    content = response.content.decode()
    assert response.status_code == 200
    no_option = _option(proposal, "No")
    assert f'value="{no_option.pk}"' in content
    checked = content.split(f'value="{no_option.pk}"', 1)[1].split(">", 1)[0]
    assert "checked" in checked
    assert 'class="vote-bar' in content  # members see the counts while voting runs


def test_stranger_sees_no_form_and_no_counts_while_open(client, cooperative, stranger):
    proposal = _proposal(cooperative, _member(cooperative))
    content = client.get(_detail_url(proposal)).content.decode()
    assert _vote_url(proposal) not in content
    assert 'class="vote-bar' not in content


def test_decided_results_are_shown_to_everyone(client, cooperative):
    members = _members(cooperative, 3)
    proposal = _decide(_proposal(cooperative, members[0]), [(m, "Yes") for m in members])
    response = client.get(_detail_url(proposal, "en"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "vote-bar--passed" in content
    assert "Turnout 3 of 3 members (100%)" in content


def test_detail_page_closes_a_due_proposal(client, cooperative):
    proposal = _proposal(cooperative, _member(cooperative))
    _end_voting(proposal)
    assert client.get(_detail_url(proposal)).status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CLOSED


def test_post_vote_records_and_changes_the_vote(client, cooperative):
    member = _member(cooperative)
    proposal = _proposal(cooperative, member)
    client.force_login(member[0])
    for label in ("Yes", "No"):
        response = client.post(_vote_url(proposal), {
            "enterprise": member[1].pk, "option": _option(proposal, label).pk,
        })
        assert response.status_code == 302
        assert response.url == _detail_url(proposal)
        assert Vote.objects.get(proposal=proposal).option.label == label
    assert Vote.objects.count() == 1


def test_post_vote_by_stranger_is_forbidden(client, cooperative, stranger):
    proposal = _proposal(cooperative, _member(cooperative))
    response = client.post(_vote_url(proposal), {"option": _option(proposal, "Yes").pk})
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_post_vote_for_someone_elses_enterprise_is_refused(client, cooperative):
    member = _member(cooperative)
    _other_user, other_enterprise = _member(cooperative)
    proposal = _proposal(cooperative, member)
    client.force_login(member[0])
    client.post(_vote_url(proposal), {
        "enterprise": other_enterprise.pk, "option": _option(proposal, "Yes").pk,
    })
    assert not Vote.objects.filter(enterprise=other_enterprise).exists()


def test_post_vote_after_close_shows_a_message(client, cooperative):
    member = _member(cooperative)
    proposal = _proposal(cooperative, member)
    _end_voting(proposal)
    client.force_login(member[0])
    response = client.post(_vote_url(proposal, "en"), {
        "enterprise": member[1].pk, "option": _option(proposal, "Yes").pk,
    }, follow=True)
    assert "Voting has closed." in response.content.decode()
    assert not Vote.objects.exists()


def test_create_page_is_for_members_only(client, cooperative, stranger):
    url = _url("proposal_create", cooperative=cooperative)
    assert client.get(url).status_code == 403


def test_member_raises_a_proposal_through_the_form(client, cooperative):
    member = _member(cooperative)
    client.force_login(member[0])
    url = _url("proposal_create", cooperative=cooperative)
    assert client.get(url).status_code == 200
    now = timezone.localtime()
    response = client.post(url, {
        "enterprise": member[1].pk, "title": "Share the pickup", "body": "Weekly market run.",
        "options": "Monday\nThursday\n", "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "quorum_percent": 50, "pass_threshold_percent": 50,
    })
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == _detail_url(proposal)
    assert list(proposal.options.values_list("label", flat=True)) == [
        "Monday", "Thursday", "Abstain",
    ]
    assert proposal.raised_by == member[1]


def test_create_form_reports_bad_dates(client, cooperative):
    member = _member(cooperative)
    client.force_login(member[0])
    now = timezone.localtime()
    response = client.post(_url("proposal_create", cooperative=cooperative), {
        "enterprise": member[1].pk, "title": "Backwards", "body": "x",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "quorum_percent": 50, "pass_threshold_percent": 50,
    })
    assert response.status_code == 200
    assert "closes_at" in response.context["form"].errors
    assert not Proposal.objects.exists()


@pytest.fixture(autouse=True)
def _in_english(english):
    """These tests read the interface's English source text."""
