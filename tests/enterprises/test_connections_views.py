""""Your network" (/dashboard/network/), the dashboard's network panel and the join page
(/join/<code>/): what an enterprise's people see, what everyone else is refused, and that the
pages cost the same number of queries with few or many ties."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.models import CollaborationRequest, Enterprise, IncomeRecord, Invite, Tie
from enterprises.selectors.connections import connection_suggestions, your_network
from enterprises.services.referrals import INVITE_SESSION_KEY, invite_for
from tests.factories import (
    CollaborationRequestFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    EnterpriseSkillFactory,
    IncomeRecordFactory,
    InviteFactory,
    ProvinceFactory,
    RegencyFactory,
    SkillFactory,
    TieFactory,
    UserFactory,
    program_officer,
    seller,
)
from tests.helpers import count_queries, enterprise_form_data

pytestmark = pytest.mark.django_db

Kind = Tie.Kind
Status = CollaborationRequest.Status
DAY = datetime.date(2026, 1, 15)


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def sari(client):
    user, enterprise = seller(name="Keripik Sari", slug="keripik-sari")
    client.force_login(user)
    return user, enterprise


def tie(kind, a, b, **fields):
    """A tie as tie_record stores it (undirected kinds lower id first)."""
    if kind not in Tie.DIRECTED_KINDS and a.pk > b.pk:
        a, b = b, a
    return TieFactory(kind=kind, from_enterprise=a, to_enterprise=b,
                      started_on=fields.pop("started_on", DAY), **fields)


def grow_network(enterprise, size: int) -> None:
    """`size` ties of every kind, requests both ways, a referrer and referred buyers."""
    kinds = [Kind.COLLABORATION, Kind.SUPPLIER, Kind.CUSTOMER, Kind.MENTORING,
             Kind.CO_MEMBERSHIP, Kind.CO_ATTENDANCE]
    for index in range(size):
        other = EnterpriseFactory(regency=RegencyFactory(name=f"Kabupaten {index}"))
        tie(kinds[index % len(kinds)], other if index % 2 else enterprise,
            enterprise if index % 2 else other)
        tie(Kind.REFERRAL, enterprise, EnterpriseFactory())
        TieFactory(kind=Kind.REFERRAL, from_enterprise=enterprise, to_enterprise=None,
                   to_user=UserFactory())
        CollaborationRequestFactory(from_enterprise=EnterpriseFactory(), to_enterprise=enterprise)
        CollaborationRequestFactory(from_enterprise=enterprise, to_enterprise=EnterpriseFactory())
        EnterpriseSkillFactory(enterprise=EnterpriseFactory(regency=enterprise.regency),
                               skill=SkillFactory(name=f"Skill {index}", name_en="",
                                              slug=f"skill-{index}"))
    if not Tie.objects.filter(kind=Kind.REFERRAL, to_enterprise=enterprise).exists():
        tie(Kind.REFERRAL, EnterpriseFactory(), enterprise)


# The page


def test_the_page_shows_ties_by_kind_referrals_requests_and_the_invite(client, sari):
    _user, keripik = sari
    batik = EnterpriseFactory(name="Batik Rina")
    kopi = EnterpriseFactory(name="Kopi Budi")
    tie(Kind.COLLABORATION, keripik, batik)
    tie(Kind.CO_ATTENDANCE, keripik, batik)
    tie(Kind.REFERRAL, kopi, keripik)
    tie(Kind.REFERRAL, keripik, EnterpriseFactory(name="Tempe Ani"))
    TieFactory(kind=Kind.REFERRAL, from_enterprise=keripik, to_enterprise=None,
               to_user=UserFactory())
    tie(Kind.SUPPLIER, EnterpriseFactory(name="Old Supplier"), keripik, ended_on=DAY)
    CollaborationRequestFactory(from_enterprise=EnterpriseFactory(name="Madu Hutan"),
                                to_enterprise=keripik, note="Kami kemas madu mereka")
    CollaborationRequestFactory(from_enterprise=keripik,
                                to_enterprise=EnterpriseFactory(name="Tenun Dewi"))

    response = client.get("/dashboard/network/keripik-sari/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Batik Rina" in html and "Kopi Budi" in html and "Tempe Ani" in html
    assert "Old Supplier" not in html  # ended
    assert "Madu Hutan says you work together" in html and "Kami kemas madu mereka" in html
    assert "Tenun Dewi" in html
    assert "1 person signed up through your link" in html
    network = response.context["network"]
    assert network["degree"] == 3  # Batik Rina once, whatever the kinds
    assert network["referred_by"].from_enterprise == kopi
    assert [group["kind"] for group in network["ties_by_kind"]] == [
        Kind.COLLABORATION, Kind.REFERRAL, Kind.CO_ATTENDANCE]
    invite = Invite.objects.get(enterprise=keripik, is_active=True)  # made on the first visit
    assert f"http://testserver/join/{invite.code}/" in html
    assert response.context["invite_url"] == f"http://testserver/join/{invite.code}/"


def test_the_invite_link_has_no_language_prefix_on_english_pages(client, sari, settings):
    settings.LANGUAGE_CODE = "id"
    _user, keripik = sari
    invite = invite_for(enterprise=keripik, user=_user)

    response = client.get("/en/dashboard/network/keripik-sari/")

    assert response.context["invite_url"] == f"http://testserver/join/{invite.code}/"


@pytest.mark.parametrize("who", ["stranger", "officer", "staff"])
def test_other_people_get_a_404(client, who):
    _user, enterprise = seller(slug="keripik-sari")
    IncomeRecordFactory(enterprise=enterprise, amount=7_777_000)
    user = {"stranger": lambda: seller()[0], "officer": program_officer,
            "staff": lambda: UserFactory(is_staff=True)}[who]()
    client.force_login(user)

    for url in ("/dashboard/network/keripik-sari/", "/dashboard/network/keripik-sari/income/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "7.777.000" not in response.content.decode()
    assert not Invite.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    seller(slug="keripik-sari")

    for url in ("/dashboard/network/", "/dashboard/network/keripik-sari/",
                "/dashboard/network/keripik-sari/income/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_index_goes_to_the_users_enterprise(client, sari):
    response = client.get("/dashboard/network/")
    assert response["Location"] == "/dashboard/network/keripik-sari/"

    client.force_login(UserFactory())
    assert client.get("/dashboard/network/")["Location"] == "/dashboard/"


def test_searching_for_a_referrer_lists_others_by_name(client, sari):
    user, keripik = sari
    EnterpriseFactory(name="Kopi Budi Temanggung")
    EnterpriseFactory(name="Kopi Lain", is_active=False)
    EnterpriseMemberFactory(enterprise=EnterpriseFactory(name="Kopi Saya"), user=user)

    response = client.get("/dashboard/network/keripik-sari/", {"q": "kopi"})

    names = [candidate.name for candidate in response.context["referrer_candidates"]]
    assert names == ["Kopi Budi Temanggung"]  # not inactive, not one of her own


def test_searching_for_a_partner(client, sari):
    EnterpriseFactory(name="Batik Rina", slug="batik-rina")

    response = client.get("/dashboard/network/keripik-sari/", {"partner": "batik-rina"})

    assert [e.slug for e in response.context["partner_candidates"]] == ["batik-rina"]
    assert 'action="/dashboard/network/keripik-sari/collaborations/new/"' in (
        response.content.decode())


def test_the_page_costs_the_same_queries_with_few_or_many_ties(client, sari):
    _user, keripik = sari
    _other_user, other = seller(slug="other", regency=keripik.regency)
    grow_network(other, 1)
    client.force_login(_other_user)
    few = count_queries(client, "/dashboard/network/other/")

    grow_network(keripik, 12)
    client.force_login(_user)
    many = count_queries(client, "/dashboard/network/keripik-sari/")

    assert many == few


# The dashboard panel


def test_the_dashboard_panel(client, sari):
    user, keripik = sari
    tie(Kind.REFERRAL, EnterpriseFactory(name="Kopi Budi"), keripik)
    tie(Kind.COLLABORATION, keripik, EnterpriseFactory())
    request = CollaborationRequestFactory(from_enterprise=EnterpriseFactory(name="Madu Hutan"),
                                          to_enterprise=keripik)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    IncomeRecordFactory(enterprise=keripik, month=last_month, amount=2_500_000)

    response = client.get("/dashboard/")

    html = response.content.decode()
    invite = Invite.objects.get(enterprise=keripik)
    assert 'id="network"' in html
    assert f"http://testserver/join/{invite.code}/" in html
    assert "Kopi Budi" in html and "Madu Hutan says you work together" in html
    assert f'action="/dashboard/network/collaborations/{request.pk}/confirm/"' in html
    panel = response.context["network_panels"][0]
    assert panel["degree"] == 2 and panel["referrer"].name == "Kopi Budi"
    form = panel["income_form"]
    assert form["month"].value() == last_month
    assert f'value="{last_month:%Y-%m}"' in html and 'type="month"' in html
    assert form["amount"].value() == 2_500_000
    assert 'href="/dashboard/network/keripik-sari/"' in html


def test_the_dashboard_costs_the_same_queries_with_few_or_many_ties(client):
    few_user, few = seller()
    grow_network(few, 1)
    client.force_login(few_user)
    few_count = count_queries(client, "/dashboard/")

    many_user, many = seller()
    grow_network(many, 12)
    second = EnterpriseFactory()
    EnterpriseMemberFactory(enterprise=second, user=many_user)
    grow_network(second, 5)
    client.force_login(many_user)
    many_count = count_queries(client, "/dashboard/")

    assert many_count == few_count
    assert Invite.objects.filter(enterprise__in=[many, second]).count() == 2


def test_a_user_without_an_enterprise_has_no_panel(client):
    client.force_login(UserFactory())

    response = client.get("/dashboard/")

    assert response.status_code == 200 and 'id="network"' not in response.content.decode()


# POST endpoints: denials


def _posts(keripik, request_in, request_out):
    slug = keripik.slug
    return [
        (f"/dashboard/network/{slug}/invite/renew/", {}),
        (f"/dashboard/network/{slug}/referred-by/", {"referrer": "kopi-budi"}),
        (f"/dashboard/network/{slug}/collaborations/new/", {"enterprise": "kopi-budi"}),
        (f"/dashboard/network/collaborations/{request_in.pk}/confirm/", {}),
        (f"/dashboard/network/collaborations/{request_in.pk}/decline/", {}),
        (f"/dashboard/network/collaborations/{request_out.pk}/withdraw/", {}),
        (f"/dashboard/network/{slug}/income/report/",
         {f"income-{keripik.pk}-month": "2026-01", f"income-{keripik.pk}-amount": "100"}),
    ]


def _state():
    return (
        list(Tie.objects.values_list("pk", "kind", "ended_on")),
        list(CollaborationRequest.objects.values_list("pk", "status").order_by("pk")),
        list(Invite.objects.values_list("pk", "code", "is_active").order_by("pk")),
        list(IncomeRecord.objects.values_list("pk", "amount")),
    )


@pytest.mark.parametrize("who", ["anonymous", "stranger", "officer"])
def test_every_post_is_refused_to_others_and_changes_nothing(client, who):
    owner, keripik = seller(slug="keripik-sari")
    EnterpriseFactory(slug="kopi-budi")
    invite_for(enterprise=keripik, user=owner)
    request_in = CollaborationRequestFactory(to_enterprise=keripik)
    request_out = CollaborationRequestFactory(from_enterprise=keripik)
    if who == "stranger":
        client.force_login(seller()[0])
    elif who == "officer":
        client.force_login(program_officer())
    before = _state()

    for url, data in _posts(keripik, request_in, request_out):
        response = client.post(url, data)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404, url

    assert _state() == before


def test_the_asked_side_cannot_withdraw_and_the_asker_cannot_confirm(client, sari):
    _user, keripik = sari
    request_out = CollaborationRequestFactory(from_enterprise=keripik)
    request_in = CollaborationRequestFactory(to_enterprise=keripik)

    assert client.post(f"/dashboard/network/collaborations/{request_out.pk}/confirm/"
                       ).status_code == 404
    assert client.post(f"/dashboard/network/collaborations/{request_out.pk}/decline/"
                       ).status_code == 404
    assert client.post(f"/dashboard/network/collaborations/{request_in.pk}/withdraw/"
                       ).status_code == 404
    assert set(CollaborationRequest.objects.values_list("status", flat=True)) == {Status.PENDING}


def test_posts_only(client, sari):
    _user, keripik = sari
    request_in = CollaborationRequestFactory(to_enterprise=keripik)

    for url, _data in _posts(keripik, request_in, request_in):
        assert client.get(url).status_code == 405, url


@pytest.mark.parametrize("answered", [Status.CONFIRMED, Status.DECLINED, Status.WITHDRAWN])
def test_a_request_already_answered(client, sari, answered):
    _user, keripik = sari
    request_in = CollaborationRequestFactory(to_enterprise=keripik, status=answered)
    request_out = CollaborationRequestFactory(from_enterprise=keripik, status=answered)

    for url in (f"/dashboard/network/collaborations/{request_in.pk}/confirm/",
                f"/dashboard/network/collaborations/{request_in.pk}/decline/",
                f"/dashboard/network/collaborations/{request_out.pk}/withdraw/"):
        response = client.post(url, follow=True)
        assert response.status_code == 200
        assert "no longer waiting for an answer" in response.content.decode()

    assert set(CollaborationRequest.objects.values_list("status", flat=True)) == {answered}
    assert not Tie.objects.exists()


# POST endpoints: success


def test_confirming_from_the_dashboard_comes_back_to_it(client, sari):
    _user, keripik = sari
    request = CollaborationRequestFactory(to_enterprise=keripik,
                                          from_enterprise=EnterpriseFactory(name="Madu Hutan"))

    response = client.post(f"/dashboard/network/collaborations/{request.pk}/confirm/",
                           {"next": "/dashboard/#network"})

    assert response["Location"] == "/dashboard/#network"
    assert Tie.objects.get().kind == Kind.COLLABORATION
    # Confirmed again (a double tap): refused, still one tie.
    response = client.post(f"/dashboard/network/collaborations/{request.pk}/confirm/",
                           follow=True)
    assert "no longer waiting" in response.content.decode()
    assert Tie.objects.count() == 1


def test_next_must_stay_on_the_site(client, sari):
    _user, keripik = sari

    response = client.post("/dashboard/network/keripik-sari/invite/renew/",
                           {"next": "https://evil.example/"})

    assert response["Location"] == "/dashboard/network/keripik-sari/#invite"


def test_declining_and_withdrawing(client, sari):
    _user, keripik = sari
    request_in = CollaborationRequestFactory(to_enterprise=keripik)
    request_out = CollaborationRequestFactory(from_enterprise=keripik)

    client.post(f"/dashboard/network/collaborations/{request_in.pk}/decline/")
    client.post(f"/dashboard/network/collaborations/{request_out.pk}/withdraw/")

    request_in.refresh_from_db()
    request_out.refresh_from_db()
    assert (request_in.status, request_out.status) == (Status.DECLINED, Status.WITHDRAWN)
    assert not Tie.objects.exists()


def test_asking_to_collaborate_by_name(client, sari):
    _user, _keripik = sari
    batik = EnterpriseFactory(name="Batik Rina")

    response = client.post("/dashboard/network/keripik-sari/collaborations/new/",
                           {"enterprise": "batik rina", "note": "Tas batik"}, follow=True)

    assert "Sent. Batik Rina is asked to confirm" in response.content.decode()
    request = CollaborationRequest.objects.get()
    assert (request.to_enterprise, request.note) == (batik, "Tas batik")

    response = client.post("/dashboard/network/keripik-sari/collaborations/new/",
                           {"enterprise": "batik-rina-nowhere"}, follow=True)
    assert "No enterprise called batik-rina-nowhere" in response.content.decode()
    assert CollaborationRequest.objects.count() == 1


def test_saying_who_referred_us(client, sari):
    _user, keripik = sari
    kopi = EnterpriseFactory(name="Kopi Budi", slug="kopi-budi")

    response = client.post("/dashboard/network/keripik-sari/referred-by/",
                           {"referrer": "kopi-budi"}, follow=True)

    assert "Kopi Budi is recorded as having referred Keripik Sari" in response.content.decode()
    assert Tie.objects.get(kind=Kind.REFERRAL).from_enterprise == kopi
    # Said again, or another one: refused with a reason, still one referrer.
    EnterpriseFactory(slug="tenun-dewi")
    response = client.post("/dashboard/network/keripik-sari/referred-by/",
                           {"referrer": "tenun-dewi"}, follow=True)
    assert "already referred by Kopi Budi" in response.content.decode()
    assert Tie.objects.filter(to_enterprise=keripik).count() == 1
    response = client.post("/dashboard/network/keripik-sari/referred-by/",
                           {"referrer": "nobody"}, follow=True)
    assert "not on Guyub" in response.content.decode()


def test_renewing_the_invite_link(client, sari):
    user, keripik = sari
    old = invite_for(enterprise=keripik, user=user)

    client.post("/dashboard/network/keripik-sari/invite/renew/")

    new = Invite.objects.get(enterprise=keripik, is_active=True)
    assert new.code != old.code
    assert client.get(f"/join/{old.code}/").status_code == 404
    assert client.get(f"/join/{new.code}/").status_code == 200


# The join page


def test_the_join_page_shows_who_invites_and_keeps_the_code(client):
    inviter = EnterpriseFactory(name="Batik Rina", village="Desa Wukirsari")
    invite = InviteFactory(enterprise=inviter)

    response = client.get(f"/join/{invite.code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Batik Rina invites you to Guyub" in html and "Desa Wukirsari" in html
    assert 'href="/accounts/signup/"' in html
    assert f"/accounts/login/?next=/join/{invite.code}/" in html
    assert client.session[INVITE_SESSION_KEY] == invite.code


def test_the_join_page_accepts_an_upper_case_code(client):
    InviteFactory(code="abcdefgh23")

    assert client.get("/join/ABCDEFGH23/").status_code == 200


@pytest.mark.parametrize("case", ["unknown", "inactive", "enterprise_inactive", "too_long"])
def test_a_link_that_does_not_work_is_a_friendly_404(client, case):
    invite = InviteFactory(code="abcdefgh23")
    if case == "inactive":
        invite.is_active = False
        invite.save()
    elif case == "enterprise_inactive":
        Enterprise.objects.filter(pk=invite.enterprise_id).update(is_active=False)
    code = {"unknown": "zzzzzzzz99", "too_long": "a" * 40}.get(case, invite.code)

    response = client.get(f"/join/{code}/")

    assert response.status_code == 404
    assert "This invite link does not work" in response.content.decode()
    assert INVITE_SESSION_KEY not in client.session


def test_signing_up_through_the_join_page_then_starting_an_enterprise(client):
    inviter = EnterpriseFactory(name="Batik Rina")
    invite = InviteFactory(enterprise=inviter)
    client.get(f"/join/{invite.code}/")

    response = client.post("/accounts/signup/", {
        "first_name": "Ani", "username": "ani", "email": "ani@example.com",
        "password1": "sandi-rahasia-123", "password2": "sandi-rahasia-123",
    })
    assert response.status_code == 302, response.content
    ani = Tie.objects.get(kind=Kind.REFERRAL, to_user__username="ani")
    assert ani.from_enterprise == inviter and ani.evidence == f"invite:{invite.pk}"
    assert INVITE_SESSION_KEY not in client.session

    regency = RegencyFactory(parent=ProvinceFactory())
    response = client.post("/dashboard/enterprises/new/", enterprise_form_data(
        regency, name="Tempe Ani"))
    assert response.status_code == 302
    started = Enterprise.objects.get(name="Tempe Ani")
    assert Tie.objects.get(kind=Kind.REFERRAL, to_enterprise=started).from_enterprise == inviter


def test_signing_up_without_a_link_records_no_referral(client):
    client.post("/accounts/signup/", {
        "first_name": "Ani", "username": "ani", "email": "ani@example.com",
        "password1": "sandi-rahasia-123", "password2": "sandi-rahasia-123",
    })

    assert not Tie.objects.exists()


def test_a_logged_in_enterprise_confirms_the_referral_on_the_join_page(client, sari):
    _user, keripik = sari
    inviter = EnterpriseFactory(name="Batik Rina")
    invite = InviteFactory(enterprise=inviter)

    page = client.get(f"/join/{invite.code}/").content.decode()
    assert "Yes, Batik Rina referred us" in page
    response = client.post(f"/join/{invite.code}/", {"enterprise": "keripik-sari"})

    assert response["Location"] == "/dashboard/network/keripik-sari/"
    assert Tie.objects.get(kind=Kind.REFERRAL, to_enterprise=keripik).from_enterprise == inviter
    # Now it has a referrer: the page no longer offers it, and a second post changes nothing.
    assert "referred us" not in client.get(f"/join/{invite.code}/").content.decode()
    client.post(f"/join/{invite.code}/", {"enterprise": "keripik-sari"})
    assert Tie.objects.filter(to_enterprise=keripik).count() == 1


def test_the_join_page_refuses_someone_elses_enterprise(client, sari):
    invite = InviteFactory()
    _other_user, other = seller(slug="not-hers")

    client.post(f"/join/{invite.code}/", {"enterprise": "not-hers"})

    assert not Tie.objects.exists()


def test_the_inviters_own_people_see_their_own_link(client, sari):
    user, keripik = sari
    invite = invite_for(enterprise=keripik, user=user)

    response = client.get(f"/join/{invite.code}/")

    assert "This is your own enterprise's invite link" in response.content.decode()
    client.post(f"/join/{invite.code}/", {"enterprise": "keripik-sari"})
    assert not Tie.objects.exists()


def test_posting_the_join_page_anonymously_asks_to_log_in(client):
    invite = InviteFactory()

    response = client.post(f"/join/{invite.code}/", {"enterprise": "x"})

    assert "/accounts/login/" in response["Location"]
    assert not Tie.objects.exists()


# Suggestions


def test_friends_of_friends_ranked_by_common_ties():
    me = EnterpriseFactory()
    budi, rina = EnterpriseFactory(name="Kopi Budi"), EnterpriseFactory(name="Batik Rina")
    both = EnterpriseFactory(name="Knows Both", regency=RegencyFactory(name="Kota Jauh",
                                                                       parent=ProvinceFactory(
                                                                           name="Bali")))
    one = EnterpriseFactory(name="Knows One", regency=both.regency, province=both.province)
    idle = EnterpriseFactory(name="Inactive", is_active=False)
    tie(Kind.COLLABORATION, me, budi)
    tie(Kind.MENTORING, rina, me)
    tie(Kind.CO_ATTENDANCE, budi, both)
    tie(Kind.CO_MEMBERSHIP, both, budi)  # two kinds, still one common tie
    tie(Kind.SUPPLIER, rina, both)
    tie(Kind.CUSTOMER, one, rina)
    tie(Kind.COLLABORATION, idle, budi)
    tie(Kind.COLLABORATION, budi, rina)  # both already tied to me

    suggestions = connection_suggestions(enterprise=me)

    friends = [item for item in suggestions if item["source"] == "friends"]
    assert [item["enterprise"].name for item in friends] == ["Knows Both", "Knows One"]
    assert friends[0]["common"] == 2
    assert friends[0]["reason"] == "Knows 2 of your connections: Batik Rina, Kopi Budi"
    assert friends[1]["reason"] == "Knows Batik Rina, one of your connections"


def test_complementary_enterprises_nearby():
    regency = RegencyFactory(name="Kabupaten Banyumas")
    sewing = SkillFactory(name="Menjahit", slug="menjahit")
    packing = SkillFactory(name="Desain kemasan", name_en="Packaging design",
                           slug="desain-kemasan")
    me = EnterpriseFactory(regency=regency)
    EnterpriseSkillFactory(enterprise=me, skill=sewing)
    same_place = EnterpriseFactory(name="Kemasan Desa", regency=regency)
    EnterpriseSkillFactory(enterprise=same_place, skill=packing)
    same_skill = EnterpriseFactory(name="Jahit Juga", regency=regency)
    EnterpriseSkillFactory(enterprise=same_skill, skill=sewing)
    EnterpriseFactory(name="Kopi Tetangga", regency=regency, sector="coffee")
    province = RegencyFactory(name="Kabupaten Cilacap", parent=regency.parent)
    EnterpriseFactory(name="Batik Cilacap", regency=province, sector="batik")
    far = RegencyFactory(name="Kota Denpasar", parent=ProvinceFactory(name="Bali"))
    EnterpriseFactory(name="Far Away", regency=far, sector="batik")
    tied = EnterpriseFactory(name="Already Tied", regency=regency, sector="batik")
    tie(Kind.COLLABORATION, me, tied)
    EnterpriseFactory(name="Closed", regency=regency, sector="batik", is_active=False)
    asked = EnterpriseFactory(name="Asked", regency=regency, sector="batik")
    CollaborationRequestFactory(from_enterprise=me, to_enterprise=asked)
    own_user = UserFactory()
    EnterpriseMemberFactory(enterprise=me, user=own_user)
    EnterpriseMemberFactory(enterprise=EnterpriseFactory(name="Mine Too", regency=regency,
                                                         sector="batik"), user=own_user)

    suggestions = connection_suggestions(enterprise=me)

    names = [item["enterprise"].name for item in suggestions]
    assert names == ["Kemasan Desa", "Kopi Tetangga", "Batik Cilacap"]
    reasons = {item["enterprise"].name: item["reason"] for item in suggestions}
    assert reasons["Kemasan Desa"] == "Offers Packaging design, which you do not, in your regency"
    assert reasons["Batik Cilacap"] == (
        "Works in batik and woven cloth, in Kabupaten Cilacap")


def test_suggestions_cost_the_same_queries_with_few_or_many_ties(django_assert_num_queries):
    few = EnterpriseFactory()
    grow_network(few, 1)
    friend = Tie.objects.filter(from_enterprise=few).exclude(to_enterprise=None).first()
    tie(Kind.CO_ATTENDANCE, friend.to_enterprise, EnterpriseFactory())

    with CaptureQueriesContext(connection) as queries:
        connection_suggestions(enterprise=few)
        your_network(enterprise=few)
    many = EnterpriseFactory()
    grow_network(many, 15)
    for index in range(15):
        friend = Tie.objects.filter(from_enterprise=many).exclude(to_enterprise=None)[index]
        tie(Kind.CO_ATTENDANCE, friend.to_enterprise, EnterpriseFactory())

    with django_assert_num_queries(len(queries)):
        suggestions = connection_suggestions(enterprise=many)
        your_network(enterprise=many)
    assert len(suggestions) == 6
