"""Ties: one row per real tie, however many times something makes it."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from enterprises.models import Tie
from enterprises.services.ties import tie_record, ties_record_between
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 10)
MAR = datetime.date(2026, 3, 5)


def test_an_undirected_tie_is_one_row_whichever_end_records_it():
    a, b = EnterpriseFactory(), EnterpriseFactory()

    first = tie_record(kind=Tie.Kind.CO_ATTENDANCE, from_enterprise=b, to_enterprise=a,
                       started_on=MAR, evidence="event:1")
    again = tie_record(kind=Tie.Kind.CO_ATTENDANCE, from_enterprise=a, to_enterprise=b,
                       started_on=JAN, evidence="event:2")

    assert Tie.objects.count() == 1
    assert again.pk == first.pk
    assert (again.from_enterprise_id, again.to_enterprise_id) == (a.pk, b.pk)  # lower id first
    assert again.started_on == JAN  # the earliest evidence sets the start
    assert again.evidence == "event:1"  # what first made it


def test_a_directed_tie_keeps_its_direction_and_each_direction_is_its_own_tie():
    mentor, mentee = EnterpriseFactory(), EnterpriseFactory()

    forward = tie_record(kind=Tie.Kind.MENTORING, from_enterprise=mentee, to_enterprise=mentor,
                         started_on=JAN)
    backward = tie_record(kind=Tie.Kind.MENTORING, from_enterprise=mentor, to_enterprise=mentee,
                          started_on=JAN)

    assert forward.pk != backward.pk
    assert (forward.from_enterprise_id, forward.to_enterprise_id) == (mentee.pk, mentor.pk)


def test_kinds_are_separate_ties_between_the_same_pair():
    a, b = EnterpriseFactory(), EnterpriseFactory()

    tie_record(kind=Tie.Kind.CO_ATTENDANCE, from_enterprise=a, to_enterprise=b, started_on=JAN)
    tie_record(kind=Tie.Kind.CO_MEMBERSHIP, from_enterprise=a, to_enterprise=b, started_on=JAN)

    assert Tie.objects.filter(from_enterprise=a, to_enterprise=b).count() == 2


def test_an_ended_tie_made_again_is_open_again():
    a, b = EnterpriseFactory(), EnterpriseFactory()
    tie = tie_record(kind=Tie.Kind.COLLABORATION, from_enterprise=a, to_enterprise=b,
                     started_on=JAN)
    Tie.objects.filter(pk=tie.pk).update(ended_on=MAR)

    again = tie_record(kind=Tie.Kind.COLLABORATION, from_enterprise=a, to_enterprise=b,
                       started_on=MAR)

    assert again.pk == tie.pk and again.ended_on is None and again.started_on == JAN


def test_no_tie_to_oneself():
    a = EnterpriseFactory()

    assert tie_record(kind=Tie.Kind.CO_ATTENDANCE, from_enterprise=a, to_enterprise=a,
                      started_on=JAN) is None
    assert not Tie.objects.exists()


def test_a_tie_to_a_buyer_it_brought_in():
    a, buyer = EnterpriseFactory(), UserFactory()

    tie = tie_record(kind=Tie.Kind.REFERRAL, from_enterprise=a, to_user=buyer, started_on=JAN)
    again = tie_record(kind=Tie.Kind.REFERRAL, from_enterprise=a, to_user=buyer, started_on=MAR)

    assert again.pk == tie.pk and tie.to_enterprise is None


@pytest.mark.parametrize("fields", [
    pytest.param({"to_enterprise": None, "to_user": None}, id="no-other-end"),
    pytest.param({"reversed": True}, id="undirected-higher-id-first"),
    pytest.param({"ended_on": datetime.date(2025, 1, 1)}, id="ends-before-start"),
])
def test_the_database_refuses_malformed_ties(fields):
    a, b = sorted([EnterpriseFactory(), EnterpriseFactory()], key=lambda e: e.pk)
    row = {"kind": Tie.Kind.CO_ATTENDANCE, "origin": Tie.Origin.AUTOMATIC,
           "from_enterprise": a, "to_enterprise": b, "started_on": JAN}
    if fields.pop("reversed", False):
        row.update(from_enterprise=b, to_enterprise=a)
    row.update(fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        Tie.objects.create(**row)


# --- Every pair among many enterprises at once ------------------------------------------------


def pairs(kind=Tie.Kind.CO_ATTENDANCE) -> dict[tuple[int, int], Tie]:
    return {(tie.from_enterprise_id, tie.to_enterprise_id): tie
            for tie in Tie.objects.filter(kind=kind)}


def test_ties_between_many_are_one_per_pair_lower_id_first():
    a, b, c = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()

    count = ties_record_between(kind=Tie.Kind.CO_ATTENDANCE, enterprises=[c, a, b, a],
                                started_on=MAR, evidence="event:1")
    again = ties_record_between(kind=Tie.Kind.CO_ATTENDANCE, enterprises=[b, c, a],
                                started_on=MAR, evidence="event:2")

    assert count == again == 3
    assert set(pairs()) == {(a.pk, b.pk), (a.pk, c.pk), (b.pk, c.pk)}
    assert {tie.evidence for tie in pairs().values()} == {"event:1"}
    assert {tie.origin for tie in pairs().values()} == {Tie.Origin.AUTOMATIC}
    assert {tie.started_on for tie in pairs().values()} == {MAR}


def test_ties_between_keep_the_earliest_start_and_reopen_ended_ties():
    a, b, c = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    early = tie_record(kind=Tie.Kind.CO_ATTENDANCE, from_enterprise=a, to_enterprise=b,
                       started_on=JAN)
    late = tie_record(kind=Tie.Kind.CO_ATTENDANCE, from_enterprise=a, to_enterprise=c,
                      started_on=datetime.date(2026, 6, 1))
    ended = tie_record(kind=Tie.Kind.CO_ATTENDANCE, from_enterprise=b, to_enterprise=c,
                       started_on=JAN)
    Tie.objects.filter(pk=ended.pk).update(ended_on=datetime.date(2026, 2, 1))
    other_kind = tie_record(kind=Tie.Kind.COLLABORATION, from_enterprise=a, to_enterprise=b,
                            started_on=datetime.date(2026, 6, 1))

    ties_record_between(kind=Tie.Kind.CO_ATTENDANCE, enterprises=[a, b, c], started_on=MAR)

    found = pairs()
    assert len(found) == 3
    assert found[(a.pk, b.pk)].started_on == JAN  # already earlier: kept
    assert found[(a.pk, c.pk)].started_on == MAR  # moved back
    assert (found[(b.pk, c.pk)].started_on, found[(b.pk, c.pk)].ended_on) == (JAN, None)
    assert {found[(a.pk, b.pk)].pk, found[(a.pk, c.pk)].pk} == {early.pk, late.pk}
    other_kind.refresh_from_db()
    assert other_kind.started_on == datetime.date(2026, 6, 1)  # another kind is untouched


def test_ties_between_fewer_than_two_make_none_and_directed_kinds_are_refused():
    a = EnterpriseFactory()

    assert ties_record_between(kind=Tie.Kind.CO_ATTENDANCE, enterprises=[a, a],
                               started_on=MAR) == 0
    assert not Tie.objects.exists()
    with pytest.raises(ValueError):
        ties_record_between(kind=Tie.Kind.MENTORING, enterprises=[a, EnterpriseFactory()],
                            started_on=MAR)


def test_ties_between_cost_the_same_queries_for_4_and_40_enterprises():
    few = [EnterpriseFactory() for _ in range(4)]
    many = [EnterpriseFactory() for _ in range(40)]
    tie_record(kind=Tie.Kind.CO_ATTENDANCE, from_enterprise=many[0], to_enterprise=many[1],
               started_on=MAR)

    with CaptureQueriesContext(connection) as small:
        ties_record_between(kind=Tie.Kind.CO_ATTENDANCE, enterprises=few, started_on=JAN)
    with CaptureQueriesContext(connection) as large:
        assert ties_record_between(kind=Tie.Kind.CO_ATTENDANCE, enterprises=many,
                                   started_on=JAN) == 40 * 39 // 2

    assert len(large) == len(small)
    assert Tie.objects.filter(kind=Tie.Kind.CO_ATTENDANCE).count() == 6 + 780
