"""Mentoring services: who may offer, ask, answer and withdraw; the tie an accepted request
records (once, from the mentor to the mentee); and the people who are told."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from cms.models import Notification
from enterprises.models import Tie
from knowledge.models import MentoringOffer, MentoringRequest
from knowledge.services import mentoring as services
from tests.factories import (
    EnterpriseMemberFactory,
    MentoringOfferFactory,
    SkillFactory,
    UserFactory,
    seller,
)

pytestmark = pytest.mark.django_db

Status = MentoringRequest.Status


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def rina():
    """Mbak Rina, who runs a batik workshop, and her photography offer."""
    user, workshop = seller(name="Batik Rina")
    offer = MentoringOfferFactory(mentor=workshop, skill=SkillFactory(name="Fotografi produk",
                                                                      name_en="Photography"))
    return user, workshop, offer


@pytest.fixture
def sari():
    """Ibu Sari and her chips enterprise, who wants to learn."""
    return seller(name="Keripik Sari")


def ask(offer, mentee, by, message="Saya ingin belajar foto produk."):
    return services.mentoring_request_send(offer=offer, mentee=mentee, by=by, message=message)


def mentoring_ties():
    return Tie.objects.filter(kind=Tie.Kind.MENTORING)


# Offers


def test_a_mentor_offers_a_skill_and_edits_and_pauses_it(rina):
    user, workshop, _offer = rina
    skill = SkillFactory(name="Jualan online", name_en="Selling online")

    offer = services.mentoring_offer_save(by=user, mentor=workshop, skill=skill,
                                          description="  Marketplace dan WhatsApp.  ")
    assert (offer.mentor, offer.skill, offer.description, offer.is_active) == (
        workshop, skill, "Marketplace dan WhatsApp.", True)

    services.mentoring_offer_save(by=user, mentor=workshop, skill=skill, description="Baru.",
                                  is_active=False, offer=offer)
    offer.refresh_from_db()
    assert (offer.description, offer.is_active) == ("Baru.", False)


def test_strangers_cannot_offer_or_edit_for_an_enterprise(rina):
    _user, workshop, offer = rina
    skill = SkillFactory(name="Pembukuan", name_en="Bookkeeping")
    stranger, own = seller()

    for user in (stranger, UserFactory(), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.mentoring_offer_save(by=user, mentor=workshop, skill=skill)
        with pytest.raises(PermissionDenied):
            services.mentoring_offer_save(by=user, mentor=workshop, skill=offer.skill,
                                          description="Diubah.", is_active=False, offer=offer)
    # Running another enterprise does not let one move its offer there.
    with pytest.raises(PermissionDenied):
        services.mentoring_offer_save(by=stranger, mentor=own, skill=skill, offer=offer)

    assert MentoringOffer.objects.count() == 1
    offer.refresh_from_db()
    assert (offer.mentor, offer.skill.name, offer.is_active) == (workshop, "Fotografi produk",
                                                                 True)


def test_a_skill_is_offered_once_per_mentor(rina):
    user, workshop, offer = rina
    other = services.mentoring_offer_save(by=user, mentor=workshop,
                                          skill=SkillFactory(name="Pembukuan"))

    with pytest.raises(ValidationError) as error:
        services.mentoring_offer_save(by=user, mentor=workshop, skill=offer.skill)
    assert "You already offer mentoring in Photography" in error.value.message_dict["skill"][0]
    with pytest.raises(ValidationError):
        services.mentoring_offer_save(by=user, mentor=workshop, skill=offer.skill, offer=other)

    assert MentoringOffer.objects.filter(mentor=workshop).count() == 2
    other.refresh_from_db()
    assert other.skill.name == "Pembukuan"
    # Another mentor may offer the same skill.
    colleague, their_workshop = seller()
    services.mentoring_offer_save(by=colleague, mentor=their_workshop, skill=offer.skill)


# Asking


def test_an_enterprise_asks_and_the_mentors_people_are_told(
        rina, sari, django_capture_on_commit_callbacks):
    rina_user, workshop, offer = rina
    partner = EnterpriseMemberFactory(enterprise=workshop).user
    sari_user, chips = sari

    with django_capture_on_commit_callbacks(execute=True):
        request = ask(offer, chips, sari_user, message="  Foto keripik selalu gelap.  ")

    assert (request.offer, request.mentee, request.requested_by, request.status) == (
        offer, chips, sari_user, Status.REQUESTED)
    assert request.message == "Foto keripik selalu gelap."
    told = Notification.objects.filter(kind="mentoring_request")
    assert {n.user for n in told} == {rina_user, partner}
    assert "Keripik Sari" in told.first().title
    assert told.first().url == "/dashboard/mentoring/#received"
    assert not Notification.objects.filter(user=sari_user).exists()


def test_only_the_people_of_the_mentee_may_ask_for_it(rina, sari):
    _rina_user, _workshop, offer = rina
    _sari_user, chips = sari

    for user in (seller()[0], UserFactory(), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            ask(offer, chips, user)
    assert not MentoringRequest.objects.exists()
    assert not Notification.objects.exists()


def test_a_mentor_cannot_mentor_themselves(rina):
    rina_user, workshop, offer = rina

    with pytest.raises(ValidationError) as error:
        ask(offer, workshop, rina_user)
    assert error.value.messages == ["An enterprise cannot mentor itself."]

    # Nor a second enterprise run by the same person: both ends would be one person.
    second = EnterpriseMemberFactory(user=rina_user).enterprise
    with pytest.raises(ValidationError):
        ask(offer, second, rina_user)
    assert not MentoringRequest.objects.exists()


def test_a_paused_offer_refuses_requests(rina, sari):
    _rina_user, workshop, offer = rina
    sari_user, chips = sari
    offer.is_active = False
    offer.save()

    with pytest.raises(ValidationError) as error:
        ask(offer, chips, sari_user)
    assert error.value.messages == ["This mentor is not taking requests at the moment."]

    offer.is_active = True
    offer.save()
    workshop.is_active = False
    workshop.save()
    with pytest.raises(ValidationError):
        ask(offer, chips, sari_user)
    assert not MentoringRequest.objects.exists()


def test_one_open_request_per_offer_and_mentee(rina, sari):
    rina_user, _workshop, offer = rina
    sari_user, chips = sari
    first = ask(offer, chips, sari_user)

    with pytest.raises(ValidationError) as error:
        ask(offer, chips, sari_user, message="Lagi.")
    assert error.value.messages[0].startswith("You already asked this mentor as Keripik Sari.")

    # Still refused once accepted; asking again is possible after a decline or a withdrawal.
    services.mentoring_request_decide(request=first, by=rina_user, accept=True)
    with pytest.raises(ValidationError):
        ask(offer, chips, sari_user)
    assert MentoringRequest.objects.count() == 1

    other_offer = MentoringOfferFactory(mentor=offer.mentor, skill=SkillFactory(name="Pembukuan"))
    declined = ask(other_offer, chips, sari_user)
    services.mentoring_request_decide(request=declined, by=rina_user, accept=False)
    again = ask(other_offer, chips, sari_user)
    services.mentoring_request_withdraw(request=again, by=sari_user)
    ask(other_offer, chips, sari_user)
    assert other_offer.requests.count() == 3


def test_a_request_needs_a_message(rina, sari):
    _rina_user, _workshop, offer = rina
    sari_user, chips = sari

    with pytest.raises(ValidationError) as error:
        ask(offer, chips, sari_user, message="   ")
    assert error.value.message_dict == {
        "message": ["Tell the mentor what you would like to learn."]}
    with pytest.raises(ValidationError):
        ask(offer, chips, sari_user, message="x" * 2001)
    assert not MentoringRequest.objects.exists()


# Answering


def test_accepting_records_one_tie_from_the_mentor_to_the_mentee(
        rina, sari, django_capture_on_commit_callbacks):
    rina_user, workshop, offer = rina
    sari_user, chips = sari
    request = ask(offer, chips, sari_user)
    # 20:30 UTC on 1 March is already 2 March in Jakarta.
    accepted_at = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)

    with mock.patch("django.utils.timezone.now", return_value=accepted_at), \
            django_capture_on_commit_callbacks(execute=True):
        decided = services.mentoring_request_decide(request=request, by=rina_user, accept=True,
                                                    response="  Datang hari Sabtu.  ")

    assert (decided.status, decided.response, decided.decided_at) == (
        Status.ACCEPTED, "Datang hari Sabtu.", accepted_at)
    tie = mentoring_ties().get()
    assert (tie.from_enterprise, tie.to_enterprise, tie.to_user) == (workshop, chips, None)
    assert (tie.origin, tie.evidence) == (Tie.Origin.EXPLICIT, f"mentoring:{request.pk}")
    assert tie.started_on == datetime.date(2026, 3, 2)
    told = Notification.objects.get(kind="mentoring_accepted")
    assert told.user == sari_user
    assert "Batik Rina" in told.title
    assert told.body == "Datang hari Sabtu."

    # A second answer changes nothing.
    for accept in (True, False):
        with pytest.raises(ValidationError):
            services.mentoring_request_decide(request=request, by=rina_user, accept=accept)
    assert mentoring_ties().count() == 1
    assert MentoringRequest.objects.get(pk=request.pk).status == Status.ACCEPTED


def test_a_second_accepted_mentoring_keeps_one_tie(rina, sari):
    rina_user, workshop, offer = rina
    sari_user, chips = sari
    services.mentoring_request_decide(request=ask(offer, chips, sari_user), by=rina_user,
                                      accept=True)
    other = MentoringOfferFactory(mentor=workshop, skill=SkillFactory(name="Jualan online"))
    services.mentoring_request_decide(request=ask(other, chips, sari_user), by=rina_user,
                                      accept=True)

    assert mentoring_ties().count() == 1


def test_declining_records_no_tie_and_tells_the_requester(
        rina, sari, django_capture_on_commit_callbacks):
    rina_user, _workshop, offer = rina
    sari_user, chips = sari
    request = ask(offer, chips, sari_user)

    with django_capture_on_commit_callbacks(execute=True):
        services.mentoring_request_decide(request=request, by=rina_user, accept=False,
                                          response="Penuh bulan ini.")

    request.refresh_from_db()
    assert (request.status, request.response) == (Status.DECLINED, "Penuh bulan ini.")
    assert request.decided_at is not None
    assert not Tie.objects.exists()
    told = Notification.objects.get(kind="mentoring_declined")
    assert told.user == sari_user


def test_only_the_mentors_people_may_answer(rina, sari):
    _rina_user, _workshop, offer = rina
    sari_user, chips = sari
    request = ask(offer, chips, sari_user)

    for user in (sari_user, seller()[0], UserFactory(), AnonymousUser()):
        for accept in (True, False):
            with pytest.raises(PermissionDenied):
                services.mentoring_request_decide(request=request, by=user, accept=accept)
    request.refresh_from_db()
    assert (request.status, request.decided_at) == (Status.REQUESTED, None)
    assert not Tie.objects.exists()
    assert not Notification.objects.filter(kind__startswith="mentoring_").exclude(
        kind="mentoring_request").exists()


# Withdrawing


def test_the_mentee_withdraws_a_waiting_request(rina, sari):
    rina_user, _workshop, offer = rina
    sari_user, chips = sari
    request = ask(offer, chips, sari_user)

    for user in (rina_user, seller()[0], AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.mentoring_request_withdraw(request=request, by=user)
    assert MentoringRequest.objects.get(pk=request.pk).status == Status.REQUESTED

    services.mentoring_request_withdraw(request=request, by=sari_user)
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    # Withdrawn cannot be answered, nor withdrawn again.
    with pytest.raises(ValidationError):
        services.mentoring_request_decide(request=request, by=rina_user, accept=True)
    with pytest.raises(ValidationError):
        services.mentoring_request_withdraw(request=request, by=sari_user)
    assert not Tie.objects.exists()


def test_an_accepted_request_cannot_be_withdrawn(rina, sari):
    rina_user, _workshop, offer = rina
    sari_user, chips = sari
    request = ask(offer, chips, sari_user)
    services.mentoring_request_decide(request=request, by=rina_user, accept=True)

    with pytest.raises(ValidationError):
        services.mentoring_request_withdraw(request=request, by=sari_user)
    assert MentoringRequest.objects.get(pk=request.pk).status == Status.ACCEPTED
