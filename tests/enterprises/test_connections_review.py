"""Review of "Your network", the join page, referrals and collaboration requests (issue 6):
odd input never answers 500, `next` only leads to a path on the site, collaboration requests
cannot be used to spam an enterprise's people, referral chains cannot loop."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import Notification
from enterprises.forms_connections import month_last
from enterprises.models import CollaborationRequest, Tie
from enterprises.selectors.connections import invite_active
from enterprises.services.collaborations import (
    ASK_AGAIN_AFTER_DECLINE,
    SAME_PAIR_REQUESTS,
    collaboration_decline,
    collaboration_request,
    collaboration_withdraw,
)
from enterprises.services.referrals import referred_by_set
from tests.factories import (
    CollaborationRequestFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    InviteFactory,
    TieFactory,
    seller,
)

pytestmark = pytest.mark.django_db

Status = CollaborationRequest.Status

ODD = ["", " ", "x" * 5000, "é漢字🙂", "a\x00b", "-1", "0", "1.5", "9" * 30, "0001-01", "9999-12",
       "2025-13", "1e9", "null", "[]", "<script>alert(1)</script>", "'; drop table x; --"]


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def sari(client):
    user, enterprise = seller(name="Keripik Sari", slug="keripik-sari")
    client.force_login(user)
    return user, enterprise


def _posts(enterprise, request_in, request_out) -> list[str]:
    base = f"/dashboard/network/{enterprise.slug}"
    return [f"{base}/invite/renew/", f"{base}/referred-by/", f"{base}/collaborations/new/",
            f"{base}/income/report/",
            f"/dashboard/network/collaborations/{request_in.pk}/confirm/",
            f"/dashboard/network/collaborations/{request_in.pk}/decline/",
            f"/dashboard/network/collaborations/{request_out.pk}/withdraw/"]


# --- `next` ------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["-1", "dashboard", "logout", "é漢字🙂", "1e9", "null",
                                    "income/", "a\x00b", "x" * 3000])
def test_a_next_that_is_not_a_path_on_the_site_goes_back_to_the_network_page(client, sari,
                                                                              target):
    """redirect() read a bare word as a URL name: a 500 for most, another page for some."""
    client.raise_request_exception = False
    _user, keripik = sari
    request_in = CollaborationRequestFactory(to_enterprise=keripik)
    request_out = CollaborationRequestFactory(from_enterprise=keripik)

    income = {f"income-{keripik.pk}-month": f"{month_last():%Y-%m}",
              f"income-{keripik.pk}-amount": "1.500.000"}
    for url in _posts(keripik, request_in, request_out):
        response = client.post(url, {"next": target, **income})
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/dashboard/network/keripik-sari/"), url


def test_a_next_on_the_site_is_still_followed(client, sari):
    response = client.post("/dashboard/network/keripik-sari/invite/renew/",
                           {"next": "/dashboard/#network"})
    assert response["Location"] == "/dashboard/#network"


# --- Odd input ---------------------------------------------------------------------------------


def test_odd_input_to_every_post_and_search_is_never_a_server_error(client, sari):
    client.raise_request_exception = False
    _user, keripik = sari
    request_in = CollaborationRequestFactory(to_enterprise=keripik)
    request_out = CollaborationRequestFactory(from_enterprise=keripik)
    fields = ["referrer", "enterprise", "note", f"income-{keripik.pk}-month",
              f"income-{keripik.pk}-amount"]
    failures = []
    for value in ODD:
        for url in _posts(keripik, request_in, request_out):
            response = client.post(url, {name: value for name in fields})
            if response.status_code >= 500:
                failures.append((url, value))
        for key in ("q", "partner"):
            response = client.get("/dashboard/network/keripik-sari/", {key: value})
            if response.status_code >= 500:
                failures.append((key, value))
    assert not failures


@pytest.mark.parametrize("code", ["a\x00b", "\x00", "ajak%00"])
def test_a_join_code_with_nul_is_the_friendly_404_without_a_query(client, code):
    """PostgreSQL refuses NUL in a query: it was a 500 there."""
    InviteFactory(code="ajak000001")
    client.raise_request_exception = False
    with CaptureQueriesContext(connection) as queries:
        assert invite_active(code=code.replace("%00", "\x00")) is None
    assert len(queries) == 0

    response = client.get(f"/join/{code.replace(chr(0), '%00')}/")
    assert response.status_code == 404
    assert client.post(f"/join/{code.replace(chr(0), '%00')}/").status_code in (302, 404)


# --- Collaboration spam ------------------------------------------------------------------------


@pytest.fixture
def pair():
    return seller(name="Keripik Sari"), seller(name="Batik Rina")


def test_after_a_no_the_same_enterprise_cannot_be_asked_again_for_a_while(pair):
    (sari, keripik), (rina, batik) = pair
    request = collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)
    collaboration_decline(request=request, user=rina)

    with pytest.raises(ValidationError) as refused:
        collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)
    assert refused.value.code == "declined_recently"
    assert "30 days" in refused.value.messages[0]
    assert CollaborationRequest.objects.count() == 1

    # The other side may still ask.
    theirs = collaboration_request(from_enterprise=batik, to_enterprise=keripik, user=rina)
    assert theirs.status == Status.PENDING
    collaboration_withdraw(request=theirs, user=rina)

    # Once the wait is over, asking works again.
    CollaborationRequest.objects.filter(pk=request.pk).update(
        answered_at=timezone.now() - ASK_AGAIN_AFTER_DECLINE - datetime.timedelta(minutes=1))
    assert collaboration_request(from_enterprise=keripik, to_enterprise=batik,
                                 user=sari).status == Status.PENDING


def test_asking_and_taking_back_cannot_be_repeated_without_end(pair,
                                                               django_capture_on_commit_callbacks):
    (sari, keripik), (_rina, batik) = pair
    with django_capture_on_commit_callbacks(execute=True):
        for _round in range(SAME_PAIR_REQUESTS):
            request = collaboration_request(from_enterprise=keripik, to_enterprise=batik,
                                            user=sari)
            collaboration_withdraw(request=request, user=sari)
        with pytest.raises(ValidationError) as refused:
            collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)

    assert refused.value.code == "asked_often"
    assert Notification.objects.filter(kind="collaboration_request").count() == SAME_PAIR_REQUESTS


def test_one_enterprise_sends_a_limited_number_of_requests_a_day(client, sari, settings):
    settings.COLLABORATION_REQUESTS_PER_DAY = 3
    user, keripik = sari
    others = [EnterpriseFactory(name=f"Usaha {number}") for number in range(4)]
    for other in others[:3]:
        collaboration_request(from_enterprise=keripik, to_enterprise=other, user=user)

    response = client.post("/dashboard/network/keripik-sari/collaborations/new/",
                           {"enterprise": others[3].slug}, follow=True)

    assert "3 requests today" in response.content.decode()
    assert not CollaborationRequest.objects.filter(to_enterprise=others[3]).exists()


def test_the_daily_limit_counts_a_persons_requests_from_all_their_enterprises(pair, settings):
    settings.COLLABORATION_REQUESTS_PER_DAY = 2
    (sari, keripik), _rina = pair
    second = EnterpriseMemberFactory(user=sari).enterprise
    collaboration_request(from_enterprise=keripik, to_enterprise=EnterpriseFactory(), user=sari)
    collaboration_request(from_enterprise=second, to_enterprise=EnterpriseFactory(), user=sari)

    with pytest.raises(ValidationError) as refused:
        collaboration_request(from_enterprise=second, to_enterprise=EnterpriseFactory(),
                              user=sari)
    assert refused.value.code == "rate_limited"


def test_confirming_someone_who_asked_is_never_limited(pair, settings):
    settings.COLLABORATION_REQUESTS_PER_DAY = 1
    (sari, keripik), (rina, batik) = pair
    collaboration_request(from_enterprise=keripik, to_enterprise=EnterpriseFactory(), user=sari)
    collaboration_request(from_enterprise=batik, to_enterprise=keripik, user=rina)

    answered = collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)

    assert answered.status == Status.CONFIRMED
    assert Tie.objects.filter(kind=Tie.Kind.COLLABORATION).count() == 1


def test_closed_accounts_are_not_notified(pair, django_capture_on_commit_callbacks):
    (sari, keripik), (rina, batik) = pair
    gone = EnterpriseMemberFactory(enterprise=batik).user
    gone.is_active = False
    gone.save()

    with django_capture_on_commit_callbacks(execute=True):
        request = collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)

    assert set(Notification.objects.values_list("user", flat=True)) == {rina.pk}

    sari.is_active = False
    sari.save()
    colleague = EnterpriseMemberFactory(enterprise=keripik).user
    with django_capture_on_commit_callbacks(execute=True):
        collaboration_decline(request=request, user=rina)
    told = Notification.objects.filter(kind="collaboration_declined")
    assert set(told.values_list("user", flat=True)) == {colleague.pk}


def test_an_inactive_asking_enterprise_is_named_in_the_refusal(pair):
    (sari, keripik), (_rina, batik) = pair
    keripik.is_active = False
    keripik.save()

    with pytest.raises(ValidationError) as refused:
        collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)
    assert "Keripik Sari is not active" in refused.value.messages[0]


# --- Referral chains ---------------------------------------------------------------------------


def test_a_referral_chain_cannot_close_into_a_loop():
    (ana, first), (_budi, second), (_citra, third) = seller(), seller(), seller()
    TieFactory(kind=Tie.Kind.REFERRAL, from_enterprise=first, to_enterprise=second)
    TieFactory(kind=Tie.Kind.REFERRAL, from_enterprise=second, to_enterprise=third)

    # first referred second, second referred third: third cannot have referred first.
    with pytest.raises(ValidationError) as refused:
        referred_by_set(enterprise=first, referrer=third, user=ana)
    assert refused.value.code == "cycle"
    assert not Tie.objects.filter(to_enterprise=first).exists()

    # An unrelated referrer is fine.
    outsider = EnterpriseFactory()
    tie = referred_by_set(enterprise=first, referrer=outsider, user=ana)
    assert tie.from_enterprise == outsider
