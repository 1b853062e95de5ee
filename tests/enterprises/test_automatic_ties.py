"""Ties Guyub records from activity: a purchase for an enterprise makes a supplier tie, joining
a cooperative makes co-membership ties with its members, leaving ends them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.models import Membership, Tie
from enterprises.services import cooperatives as services
from enterprises.services.ties import ties_end_between, ties_record_pairs
from marketplace.models import OrderPart
from marketplace.services import orders as order_services
from tests.factories import (
    DELIVERY,
    CooperativeFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    cart_with,
    cooperative_member,
    seller,
)

pytestmark = pytest.mark.django_db
Status = OrderPart.Status
CO = Tie.Kind.CO_MEMBERSHIP


# --- Purchases -----------------------------------------------------------------------------------


def buy_and_complete(*, buyer, seller_user, product, buyer_enterprise=None) -> str:
    """A cash order for pickup placed and taken through to completed by its seller."""
    order = order_services.order_place(
        buyer=buyer, cart=cart_with((product, 1), user=buyer), payment_method="cash",
        delivery=dict(DELIVERY), parts={product.enterprise_id: {"fulfilment": "pickup"}},
        buyer_enterprise=buyer_enterprise,
    )
    part = order.parts.get()
    for status in (Status.CONFIRMED, Status.READY, Status.COMPLETED):
        part = order_services.order_part_advance(part=part, user=seller_user, to_status=status)
    return order.number


def test_buying_for_an_enterprise_makes_one_supplier_tie_from_the_seller():
    seller_user, supplier = seller()
    product = ProductFactory(enterprise=supplier, stock=10)
    buyer, own = seller()

    number = buy_and_complete(buyer=buyer, seller_user=seller_user, product=product,
                              buyer_enterprise=own)
    assert not Tie.objects.exclude(kind=Tie.Kind.SUPPLIER).exists()
    tie = Tie.objects.get()
    # A second purchase keeps the one tie.
    buy_and_complete(buyer=buyer, seller_user=seller_user, product=product,
                     buyer_enterprise=own)

    assert Tie.objects.get().pk == tie.pk
    assert (tie.kind, tie.origin) == (Tie.Kind.SUPPLIER, Tie.Origin.AUTOMATIC)
    assert (tie.from_enterprise, tie.to_enterprise, tie.to_user) == (supplier, own, None)
    assert tie.started_on == timezone.localdate() and tie.ended_on is None
    assert tie.evidence == f"order:{number}"


def test_a_personal_purchase_makes_no_tie():
    seller_user, supplier = seller()
    product = ProductFactory(enterprise=supplier, stock=10)
    buyer, _own = seller()  # runs an enterprise, but buys for herself

    buy_and_complete(buyer=buyer, seller_user=seller_user, product=product)

    assert not Tie.objects.exists()


def test_an_order_not_yet_completed_makes_no_tie():
    seller_user, supplier = seller()
    product = ProductFactory(enterprise=supplier, stock=10)
    buyer, own = seller()
    order_services.order_place(
        buyer=buyer, cart=cart_with((product, 1), user=buyer), payment_method="cash",
        delivery=dict(DELIVERY), buyer_enterprise=own,
    )
    assert not Tie.objects.exists()


def test_paying_a_bulk_order_allocation_ties_the_cooperative_seller_to_the_member():
    from marketplace.models import BulkOrder, Commitment

    cooperative = CooperativeFactory()
    manager, _ = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    member, enterprise = cooperative_member(cooperative)
    bulk_order = BulkOrder.objects.create(
        cooperative=cooperative, title="Pupuk NPK", unit="kg", package_size=50,
        price_per_unit=9000, deadline=timezone.now() - datetime.timedelta(hours=1),
        status=BulkOrder.Status.CLOSED, packages_ordered=1, supplier_name="Toko Tani",
    )
    commitment = Commitment.objects.create(bulk_order=bulk_order, enterprise=enterprise,
                                           quantity=50, allocated=50)
    order = order_services.order_place_for_commitment(
        buyer=member, commitment=commitment, payment_method="cash", delivery=DELIVERY)
    part = order.parts.get()
    for status in (Status.CONFIRMED, Status.READY, Status.COMPLETED):
        part = order_services.order_part_advance(part=part, user=manager, to_status=status)

    cooperative.refresh_from_db()
    tie = Tie.objects.get(kind=Tie.Kind.SUPPLIER)
    assert (tie.from_enterprise, tie.to_enterprise) == (cooperative.seller, enterprise)
    assert tie.evidence == f"order:{order.number}"


# --- Cooperatives --------------------------------------------------------------------------------


def co_ties(*, open_only: bool = False) -> set[frozenset[int]]:
    ties = Tie.objects.filter(kind=CO)
    if open_only:
        ties = ties.filter(ended_on__isnull=True)
    return {frozenset((tie.from_enterprise_id, tie.to_enterprise_id)) for tie in ties}


def join(cooperative, *, manager_user):
    """A new enterprise applies and a manager accepts: returns (user, enterprise)."""
    user, enterprise = seller()
    membership = services.membership_apply(cooperative=cooperative, enterprise=enterprise,
                                           user=user)
    services.membership_accept(membership=membership, user=manager_user)
    return user, enterprise


def cooperative_with(members: int):
    cooperative = CooperativeFactory()
    manager_user, manager = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    others = [MembershipFactory(cooperative=cooperative).enterprise for _ in range(members - 1)]
    return cooperative, manager_user, [manager, *others]


def test_joining_ties_the_new_member_to_every_active_member_from_the_join_date():
    cooperative, manager_user, members = cooperative_with(3)
    MembershipFactory(cooperative=cooperative, status=Membership.Status.LEFT,
                      left_at=timezone.now())  # a former member: no tie
    MembershipFactory(cooperative=cooperative, status=Membership.Status.APPLIED,
                      joined_at=None)  # not yet a member: no tie

    _user, newcomer = join(cooperative, manager_user=manager_user)

    assert co_ties() == {frozenset((newcomer.pk, member.pk)) for member in members}
    for tie in Tie.objects.filter(kind=CO):
        assert tie.started_on == timezone.localdate() and tie.origin == Tie.Origin.AUTOMATIC
        assert tie.evidence == f"cooperative:{cooperative.pk}"
        assert tie.from_enterprise_id < tie.to_enterprise_id


def test_an_accepted_invitation_ties_too():
    cooperative, manager_user, members = cooperative_with(2)
    user, invited = seller()
    membership = services.membership_invite(cooperative=cooperative, enterprise=invited,
                                            user=manager_user)
    assert not co_ties()
    services.membership_accept(membership=membership, user=user)

    assert co_ties() == {frozenset((invited.pk, member.pk)) for member in members}


def test_a_founder_alone_has_no_co_membership_ties(regency):
    user, enterprise = seller()
    services.cooperative_create(user=user, enterprise=enterprise, name="Koperasi Baru",
                                description="Baru.", regency=regency)
    assert not Tie.objects.exists()


@pytest.fixture
def regency():
    from tests.factories import RegencyFactory

    return RegencyFactory()


def accept_queries(members: int) -> int:
    cooperative, manager_user, _members = cooperative_with(members)
    user, enterprise = seller()
    membership = services.membership_apply(cooperative=cooperative, enterprise=enterprise,
                                           user=user)
    with CaptureQueriesContext(connection) as queries:
        services.membership_accept(membership=membership, user=manager_user)
    assert len(co_ties()) >= members
    return len(queries)


def test_joining_a_large_cooperative_takes_as_many_queries_as_a_small_one():
    assert accept_queries(2) == accept_queries(25)


def test_leaving_ends_the_co_membership_ties_with_its_members():
    cooperative, manager_user, members = cooperative_with(3)
    user, leaver = join(cooperative, manager_user=manager_user)
    _user, stays = join(cooperative, manager_user=manager_user)
    membership = Membership.objects.get(enterprise=leaver, status=Membership.Status.ACTIVE)

    services.membership_leave(membership=membership, user=user)

    ended = Tie.objects.filter(kind=CO, ended_on__isnull=False)
    assert {frozenset((t.from_enterprise_id, t.to_enterprise_id)) for t in ended} == {
        frozenset((leaver.pk, other.pk)) for other in [*members, stays]}
    assert {tie.ended_on for tie in ended} == {timezone.localdate()}
    # The ties among those who stay are untouched.
    assert co_ties(open_only=True) == {
        frozenset((a.pk, b.pk)) for a in [*members, stays] for b in [stays] if a != b}


def test_leaving_keeps_ties_with_members_of_another_shared_cooperative():
    first, first_manager, first_members = cooperative_with(2)
    second, second_manager, _second_members = cooperative_with(1)
    user, leaver = join(first, manager_user=first_manager)
    # One of first's members is also in second with the leaver.
    shared = first_members[1]
    membership = services.membership_apply(cooperative=second, enterprise=leaver, user=user)
    services.membership_accept(membership=membership, user=second_manager)
    MembershipFactory(cooperative=second, enterprise=shared)

    services.membership_leave(
        membership=Membership.objects.get(cooperative=first, enterprise=leaver,
                                          status=Membership.Status.ACTIVE), user=user)

    open_with_leaver = {pair for pair in co_ties(open_only=True) if leaver.pk in pair}
    assert frozenset((leaver.pk, shared.pk)) in open_with_leaver
    assert frozenset((leaver.pk, first_members[0].pk)) not in open_with_leaver


def test_rejoining_reopens_the_ties():
    cooperative, manager_user, members = cooperative_with(2)
    user, leaver = join(cooperative, manager_user=manager_user)
    services.membership_leave(
        membership=Membership.objects.get(enterprise=leaver, status=Membership.Status.ACTIVE),
        user=user)
    assert not any(leaver.pk in pair for pair in co_ties(open_only=True))

    services.membership_accept(
        membership=services.membership_apply(cooperative=cooperative, enterprise=leaver,
                                             user=user),
        user=manager_user)

    assert Tie.objects.filter(kind=CO).count() == len(members)  # the same rows, open again
    assert {pair for pair in co_ties(open_only=True) if leaver.pk in pair} == {
        frozenset((leaver.pk, member.pk)) for member in members}


# --- The tie services on their own -------------------------------------------------------------


def test_ties_record_pairs_makes_one_undirected_tie_per_other_and_keeps_the_earliest_start():
    a, b, c = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    jan, mar = datetime.date(2026, 1, 5), datetime.date(2026, 3, 5)

    assert ties_record_pairs(kind=CO, enterprise=b, others=[a, c, b, c.pk],
                             started_on=mar) == 2
    ties_end_between(kind=CO, enterprise=b, others=[a], ended_on=datetime.date(2026, 4, 1))
    ties_record_pairs(kind=CO, enterprise=b, others=[a], started_on=jan)

    ties = {(t.from_enterprise_id, t.to_enterprise_id): t for t in Tie.objects.filter(kind=CO)}
    low_ab, high_ab = sorted((a.pk, b.pk))
    assert set(ties) == {(low_ab, high_ab), tuple(sorted((b.pk, c.pk)))}
    assert ties[(low_ab, high_ab)].started_on == jan
    assert ties[(low_ab, high_ab)].ended_on is None
    with pytest.raises(ValueError):
        ties_record_pairs(kind=Tie.Kind.SUPPLIER, enterprise=a, others=[b], started_on=jan)


def test_ties_end_between_never_ends_a_tie_before_it_started():
    a, b = EnterpriseFactory(), EnterpriseFactory()
    start = datetime.date(2026, 5, 1)
    ties_record_pairs(kind=CO, enterprise=a, others=[b], started_on=start)

    assert ties_end_between(kind=CO, enterprise=b, others=[a],
                            ended_on=datetime.date(2026, 4, 1)) == 1
    assert Tie.objects.get().ended_on == start
    assert ties_end_between(kind=CO, enterprise=b, others=[a], ended_on=start) == 0
