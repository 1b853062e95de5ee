"""Mentoring pages: the public list and its filters, asking, and the dashboard's actions. Every
write is refused to people who do not run the enterprise concerned, and changes nothing."""

import pytest
from django.urls import reverse

from enterprises.models import Tie
from knowledge.models import MentoringOffer, MentoringRequest
from knowledge.services import mentoring as services
from tests.factories import (
    EnterpriseFactory,
    ImageFactory,
    MentoringOfferFactory,
    RegencyFactory,
    SkillFactory,
    seller,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

Status = MentoringRequest.Status


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def rina():
    user, workshop = seller(name="Batik Rina")
    offer = MentoringOfferFactory(mentor=workshop, skill=SkillFactory(name="Fotografi produk",
                                                                      name_en="Photography"),
                                  description="Foto produk dengan cahaya jendela.")
    return user, workshop, offer


@pytest.fixture
def sari():
    return seller(name="Keripik Sari")


def asked(offer, mentee, by):
    return services.mentoring_request_send(offer=offer, mentee=mentee, by=by,
                                           message="Saya ingin belajar.")


# The list


def test_the_list_shows_active_offers_with_the_mentor_and_an_ask_button(client, rina):
    _user, workshop, offer = rina
    MentoringOfferFactory(skill=SkillFactory(name="Pembukuan"), is_active=False,
                          mentor=EnterpriseFactory(name="Paused Offer"))
    MentoringOfferFactory(skill=SkillFactory(name="Menjahit"),
                          mentor=EnterpriseFactory(name="Closed Shop", is_active=False))

    response = client.get("/mentoring/")

    content = response.content.decode()
    assert list(response.context["page"].object_list) == [offer]
    assert "Photography" in content and "Batik Rina" in content
    assert "Kabupaten Banyumas, Jawa Tengah" in content
    assert f'href="/mentoring/{offer.pk}/request/"' in content
    assert "Ask for mentoring" in content
    assert "Paused Offer" not in content and "Closed Shop" not in content


def test_the_list_filters_by_skill_and_regency(client):
    photo, books = SkillFactory(name="Fotografi"), SkillFactory(name="Pembukuan")
    temanggung = RegencyFactory(name="Kabupaten Temanggung")
    near = MentoringOfferFactory(skill=photo)
    far = MentoringOfferFactory(skill=photo, mentor=EnterpriseFactory(regency=temanggung))
    other = MentoringOfferFactory(skill=books, mentor=EnterpriseFactory(regency=temanggung))

    def shown(query):
        return set(client.get("/mentoring/" + query).context["page"].object_list)

    assert shown("") == {near, far, other}
    assert shown("?skill=fotografi") == {near, far}
    assert shown("?regency=kabupaten-temanggung") == {far, other}
    assert shown("?skill=fotografi&regency=kabupaten-temanggung") == {far}
    assert shown("?q=pembukuan") == {other}


def test_the_list_hides_the_ask_button_on_ones_own_offers(client, rina):
    user, _workshop, offer = rina
    client.force_login(user)

    content = client.get("/mentoring/").content.decode()

    assert f'href="/mentoring/{offer.pk}/request/"' not in content
    assert f'href="/dashboard/mentoring/offers/{offer.pk}/edit/"' in content


def test_the_list_is_paginated_by_20(client):
    for _ in range(21):
        MentoringOfferFactory()
    response = client.get("/mentoring/")
    assert len(response.context["page"].object_list) == 20
    assert response.context["page"].paginator.num_pages == 2


def _offers_with_logos(count):
    for _ in range(count):
        MentoringOfferFactory(mentor=EnterpriseFactory(logo=ImageFactory()))


@pytest.mark.parametrize("query", ["", "?skill=menjahit&regency=kabupaten-banyumas"])
def test_the_list_costs_the_same_queries_for_3_or_20_offers(client, stranger, query):
    _offers_with_logos(3)
    few = count_queries(client, "/mentoring/" + query)

    _offers_with_logos(17)
    many = count_queries(client, "/mentoring/" + query)

    assert len(client.get("/mentoring/" + query).context["page"].object_list) == 20
    assert few == many


# Asking


def test_asking_sends_a_request_and_shows_it_on_the_dashboard(client, rina, sari):
    _rina_user, _workshop, offer = rina
    sari_user, chips = sari
    client.force_login(sari_user)
    url = f"/mentoring/{offer.pk}/request/"

    page = client.get(url)
    assert page.status_code == 200
    assert "Asking as <strong>Keripik Sari</strong>" in page.content.decode()

    response = client.post(url, {"mentee": chips.pk, "message": "Foto saya gelap."})

    assert response.status_code == 302 and response.url == "/dashboard/mentoring/"
    request = MentoringRequest.objects.get()
    assert (request.mentee, request.requested_by, request.message) == (chips, sari_user,
                                                                       "Foto saya gelap.")
    dashboard = client.get("/dashboard/mentoring/").content.decode()
    assert "Photography with Batik Rina" in dashboard
    assert f'action="/dashboard/mentoring/requests/{request.pk}/withdraw/"' in dashboard


def test_asking_needs_a_login(client, rina):
    _user, _workshop, offer = rina
    url = f"/mentoring/{offer.pk}/request/"

    assert client.get(url).url.startswith("/accounts/login/")
    assert client.post(url, {"message": "Halo"}).url.startswith("/accounts/login/")
    assert not MentoringRequest.objects.exists()


def test_one_cannot_ask_as_someone_elses_enterprise(client, rina, sari):
    _rina_user, _workshop, offer = rina
    _sari_user, chips = sari
    someone, own = seller()
    EnterpriseFactory()  # a second choice makes the form show a select
    client.force_login(someone)

    response = client.post(f"/mentoring/{offer.pk}/request/",
                           {"mentee": chips.pk, "message": "Saya Sari."})

    assert response.status_code == 200
    assert response.context["form"].errors["mentee"] == [
        "Choose one of your enterprises that has not asked this mentor yet."]
    assert not MentoringRequest.objects.exists()


def test_asking_twice_is_refused_and_the_first_request_is_shown(client, rina, sari):
    _rina_user, _workshop, offer = rina
    sari_user, chips = sari
    second = seller(name="Keripik Kedua")[1]
    second.memberships.create(user=sari_user)
    asked(offer, chips, sari_user)
    client.force_login(sari_user)
    url = f"/mentoring/{offer.pk}/request/"

    response = client.post(url, {"mentee": chips.pk, "message": "Lagi."})

    assert response.status_code == 200
    assert response.context["form"].errors["mentee"]
    assert list(response.context["form"].fields["mentee"].queryset) == [second]
    assert "You asked as Keripik Sari on" in response.content.decode()
    assert MentoringRequest.objects.count() == 1

    # With no enterprise left to ask for, there is no form, and a post changes nothing.
    second.memberships.all().delete()
    response = client.post(url, {"mentee": chips.pk, "message": "Lagi."})
    assert 'name="message"' not in response.content.decode()
    assert MentoringRequest.objects.count() == 1


def test_the_mentor_and_a_paused_offer_get_no_form(client, rina, sari):
    rina_user, _workshop, offer = rina
    sari_user, chips = sari
    url = f"/mentoring/{offer.pk}/request/"

    client.force_login(rina_user)
    response = client.get(url)
    assert "This is your own offer." in response.content.decode()
    client.post(url, {"mentee": _workshop.pk, "message": "Saya sendiri."})

    offer.is_active = False
    offer.save()
    client.force_login(sari_user)
    response = client.get(url)
    assert "is not taking mentoring requests at the moment" in response.content.decode()
    assert 'name="message"' not in response.content.decode()
    client.post(url, {"mentee": chips.pk, "message": "Tolong."})

    assert not MentoringRequest.objects.exists()


def test_someone_without_an_enterprise_is_invited_to_create_one(client, rina):
    from tests.factories import UserFactory

    _user, _workshop, offer = rina
    client.force_login(UserFactory())

    content = client.get(f"/mentoring/{offer.pk}/request/").content.decode()

    assert "Mentoring is between enterprises" in content
    assert 'href="/dashboard/enterprises/new/"' in content


# Offers on the dashboard


def test_a_mentor_creates_and_edits_an_offer(client, rina):
    user, workshop, offer = rina
    client.force_login(user)
    skill = SkillFactory(name="Jualan online", name_en="Selling online")

    response = client.post("/dashboard/mentoring/offers/new/",
                           {"skill": skill.pk, "description": "WhatsApp dan marketplace.",
                            "is_active": "on"})
    assert response.status_code == 302
    created = MentoringOffer.objects.get(skill=skill)
    assert (created.mentor, created.is_active) == (workshop, True)

    response = client.post(f"/dashboard/mentoring/offers/{offer.pk}/edit/",
                           {"skill": offer.skill.pk, "description": "Baru."})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.description, offer.is_active) == ("Baru.", False)

    response = client.post("/dashboard/mentoring/offers/new/", {"skill": skill.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["skill"] == [
        "You already offer mentoring in Selling online. Edit that offer instead."]


def test_a_user_with_several_enterprises_chooses_the_mentor_among_their_own(client, rina):
    user, workshop, _offer = rina
    second = EnterpriseFactory(name="Batik Kedua")
    second.memberships.create(user=user)
    not_mine = EnterpriseFactory()
    client.force_login(user)
    skill = SkillFactory(name="Pewarnaan alam")

    response = client.post("/dashboard/mentoring/offers/new/",
                           {"mentor": not_mine.pk, "skill": skill.pk, "is_active": "on"})
    assert response.status_code == 200 and "mentor" in response.context["form"].errors

    client.post("/dashboard/mentoring/offers/new/",
                {"mentor": second.pk, "skill": skill.pk, "is_active": "on"})
    assert MentoringOffer.objects.get(skill=skill).mentor == second


def test_strangers_cannot_edit_or_pause_an_offer(client, stranger, rina):
    _user, _workshop, offer = rina
    edit = f"/dashboard/mentoring/offers/{offer.pk}/edit/"

    assert client.get(edit).status_code == 404
    assert client.post(edit, {"skill": offer.skill.pk, "description": "Hacked"}).status_code == 404
    assert client.post(f"/dashboard/mentoring/offers/{offer.pk}/toggle/").status_code == 404

    offer.refresh_from_db()
    assert (offer.description, offer.is_active) == ("Foto produk dengan cahaya jendela.", True)


def test_the_mentor_pauses_and_resumes_from_the_dashboard(client, rina):
    user, _workshop, offer = rina
    client.force_login(user)
    toggle = f"/dashboard/mentoring/offers/{offer.pk}/toggle/"

    assert client.get(toggle).status_code == 405
    client.post(toggle)
    offer.refresh_from_db()
    assert not offer.is_active
    assert offer not in client.get("/mentoring/").context["page"].object_list
    client.post(toggle)
    offer.refresh_from_db()
    assert offer.is_active


# Answering and withdrawing


def test_the_mentor_accepts_from_the_dashboard_and_the_tie_is_recorded(client, rina, sari):
    rina_user, workshop, offer = rina
    sari_user, chips = sari
    request = asked(offer, chips, sari_user)
    client.force_login(rina_user)
    decide = f"/dashboard/mentoring/requests/{request.pk}/decide/"

    dashboard = client.get("/dashboard/mentoring/").content.decode()
    assert f'action="{decide}"' in dashboard and "Keripik Sari" in dashboard

    assert client.get(decide).status_code == 405
    response = client.post(decide, {"decision": "accept", "response": "Sabtu pagi."})

    assert response.status_code == 302 and response.url == "/dashboard/mentoring/"
    request.refresh_from_db()
    assert (request.status, request.response) == (Status.ACCEPTED, "Sabtu pagi.")
    tie = Tie.objects.get(kind=Tie.Kind.MENTORING)
    assert (tie.from_enterprise, tie.to_enterprise) == (workshop, chips)
    dashboard = client.get("/dashboard/mentoring/").content.decode()
    assert "You mentor Keripik Sari in Photography" in dashboard
    client.force_login(sari_user)
    assert "Batik Rina mentors you in Photography" in client.get(
        "/dashboard/mentoring/").content.decode()

    # Answering again is a message, not a second tie.
    client.force_login(rina_user)
    response = client.post(decide, {"decision": "decline"}, follow=True)
    assert "no longer waiting for an answer" in response.content.decode()
    assert Tie.objects.count() == 1


def test_declining_from_the_dashboard_records_no_tie(client, rina, sari):
    rina_user, _workshop, offer = rina
    sari_user, chips = sari
    request = asked(offer, chips, sari_user)
    client.force_login(rina_user)

    client.post(f"/dashboard/mentoring/requests/{request.pk}/decide/",
                {"decision": "decline", "response": "Maaf, penuh."})

    request.refresh_from_db()
    assert request.status == Status.DECLINED
    assert not Tie.objects.exists()
    client.force_login(sari_user)
    assert "Maaf, penuh." in client.get("/dashboard/mentoring/").content.decode()


def test_a_decision_must_be_accept_or_decline(client, rina, sari):
    rina_user, _workshop, offer = rina
    sari_user, chips = sari
    request = asked(offer, chips, sari_user)
    client.force_login(rina_user)

    client.post(f"/dashboard/mentoring/requests/{request.pk}/decide/", {"decision": "maybe"})

    assert MentoringRequest.objects.get(pk=request.pk).status == Status.REQUESTED


def test_strangers_and_the_mentee_cannot_answer(client, rina, sari):
    _rina_user, _workshop, offer = rina
    sari_user, chips = sari
    request = asked(offer, chips, sari_user)
    decide = f"/dashboard/mentoring/requests/{request.pk}/decide/"

    for user in (seller()[0], sari_user):
        client.force_login(user)
        assert client.post(decide, {"decision": "accept"}).status_code == 404
    client.logout()
    assert client.post(decide, {"decision": "accept"}).url.startswith("/accounts/login/")

    assert MentoringRequest.objects.get(pk=request.pk).status == Status.REQUESTED
    assert not Tie.objects.exists()


def test_only_the_mentee_withdraws(client, rina, sari):
    rina_user, _workshop, offer = rina
    sari_user, chips = sari
    request = asked(offer, chips, sari_user)
    withdraw = f"/dashboard/mentoring/requests/{request.pk}/withdraw/"

    for user in (seller()[0], rina_user):
        client.force_login(user)
        assert client.post(withdraw).status_code == 404
    assert MentoringRequest.objects.get(pk=request.pk).status == Status.REQUESTED

    client.force_login(sari_user)
    assert client.get(withdraw).status_code == 405
    client.post(withdraw)
    assert MentoringRequest.objects.get(pk=request.pk).status == Status.WITHDRAWN


def test_the_dashboard_needs_a_login_and_invites_those_without_an_enterprise(client):
    from tests.factories import UserFactory

    assert client.get("/dashboard/mentoring/").url.startswith("/accounts/login/")
    client.force_login(UserFactory())
    content = client.get("/dashboard/mentoring/").content.decode()
    assert "Mentoring is between enterprises" in content


def test_the_dashboard_costs_the_same_queries_for_few_or_many_requests(client, rina):
    rina_user, workshop, offer = rina
    client.force_login(rina_user)

    def add(count, skill_name):
        extra = MentoringOfferFactory(mentor=workshop, skill=SkillFactory(name=skill_name))
        for number in range(count):
            user, mentee = seller()
            asked(offer, mentee, user)
            decided = asked(extra, mentee, user)
            services.mentoring_request_decide(request=decided, by=rina_user,
                                              accept=number % 2 == 0)
            # What Rina asked others for.
            mentor_user, other_mentor = seller()
            other_offer = MentoringOfferFactory(mentor=other_mentor,
                                                skill=SkillFactory(name=f"{skill_name} {number}"))
            asked(other_offer, workshop, rina_user)

    add(2, "Satu")
    few = count_queries(client, "/dashboard/mentoring/")
    add(12, "Dua")
    many = count_queries(client, "/dashboard/mentoring/")

    assert few == many


def test_urls_have_the_contracted_names():
    assert reverse("mentoring_list") == "/mentoring/"
    assert reverse("mentoring_request", args=[3]) == "/mentoring/3/request/"
    assert reverse("mentoring_dashboard") == "/dashboard/mentoring/"
    assert reverse("mentoring_offer_create") == "/dashboard/mentoring/offers/new/"
    assert reverse("mentoring_offer_edit", args=[3]) == "/dashboard/mentoring/offers/3/edit/"
    assert reverse("mentoring_request_decide", args=[3]) == (
        "/dashboard/mentoring/requests/3/decide/")
    assert reverse("mentoring_request_withdraw", args=[3]) == (
        "/dashboard/mentoring/requests/3/withdraw/")
