import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from enterprises.models import EnterpriseMember, Membership, Sector
from marketplace.models import JointOffer, Pledge, Product
from marketplace.selectors.joint_offers import joint_offer_list
from marketplace.services import joint_offers as services
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    TopCategoryFactory,
    cooperative_member,
    seller,
)
from tests.helpers import ON_POSTGRESQL

pytestmark = pytest.mark.django_db


def offer_fields(**fields) -> dict:
    today = timezone.localdate()
    values = {"title": "Kopi hijau arabika", "category": CategoryFactory(name="Kopi"),
              "grade": "Grade 1", "unit": "kg", "target_quantity": 500,
              "price_per_unit": 85_000, "delivery_from": today + timedelta(days=7),
              "delivery_until": today + timedelta(days=21)}
    return values | fields


def make_offer(cooperative, **fields) -> JointOffer:
    return JointOffer.objects.create(cooperative=cooperative, **offer_fields(**fields))


@pytest.fixture
def cooperative(db):
    return CooperativeFactory(name="Koperasi Kopi Gunung")


@pytest.fixture
def manager(cooperative):
    user, _enterprise = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def member(cooperative):
    return cooperative_member(cooperative)


@pytest.fixture
def offer(cooperative, manager):
    return make_offer(cooperative)


# Creating


def test_a_manager_publishes_a_joint_offer(cooperative, manager):
    joint_offer = services.joint_offer_create(cooperative=cooperative, user=manager,
                                              **offer_fields())
    assert joint_offer.status == JointOffer.Status.COLLECTING
    assert joint_offer.created_by == manager and joint_offer.product is None


def test_a_member_cannot_publish_a_joint_offer(cooperative, member):
    user, _farm = member
    with pytest.raises(PermissionDenied):
        services.joint_offer_create(cooperative=cooperative, user=user, **offer_fields())
    assert not JointOffer.objects.exists()


def test_the_delivery_window_must_be_valid(cooperative, manager):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as backwards:
        services.joint_offer_create(cooperative=cooperative, user=manager, **offer_fields(
            delivery_from=today + timedelta(days=9), delivery_until=today + timedelta(days=2)))
    with pytest.raises(ValidationError) as past:
        services.joint_offer_create(cooperative=cooperative, user=manager, **offer_fields(
            delivery_from=today - timedelta(days=9), delivery_until=today - timedelta(days=2)))
    assert "delivery_until" in backwards.value.message_dict
    assert "delivery_until" in past.value.message_dict


def test_the_category_must_be_a_subcategory(cooperative, manager):
    with pytest.raises(ValidationError) as error:
        services.joint_offer_create(cooperative=cooperative, user=manager,
                                    **offer_fields(category=TopCategoryFactory()))
    assert "category" in error.value.message_dict


# Pledging


def test_a_member_pledges_and_changes_the_pledge(offer, member):
    user, farm = member
    services.pledge_save(joint_offer=offer, enterprise=farm, user=user, quantity=120)
    services.pledge_save(joint_offer=offer, enterprise=farm, user=user, quantity=150)
    pledge = Pledge.objects.get()
    assert (pledge.enterprise, pledge.quantity, pledge.pledged_by) == (farm, 150, user)
    offer.refresh_from_db()
    assert offer.status == JointOffer.Status.COLLECTING


def test_a_non_member_cannot_pledge(offer):
    user, outsider = seller()
    with pytest.raises(PermissionDenied):
        services.pledge_save(joint_offer=offer, enterprise=outsider, user=user, quantity=10)


def test_a_user_cannot_pledge_for_someone_elses_member_enterprise(offer, member):
    _user, farm = member
    other, _own = seller()
    with pytest.raises(PermissionDenied):
        services.pledge_save(joint_offer=offer, enterprise=farm, user=other, quantity=10)


def test_a_member_withdraws_a_pledge(offer, member):
    user, farm = member
    services.pledge_save(joint_offer=offer, enterprise=farm, user=user, quantity=40)
    services.pledge_withdraw(joint_offer=offer, enterprise=farm, user=user)
    assert not Pledge.objects.exists()


def test_reaching_the_target_lists_one_product_sold_by_the_cooperative(
    client, cooperative, manager, offer
):
    second_manager, _shop = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    (user_a, farm_a), (user_b, farm_b) = cooperative_member(cooperative), cooperative_member(
        cooperative)
    services.pledge_save(joint_offer=offer, enterprise=farm_a, user=user_a, quantity=300)
    offer.refresh_from_db()
    assert offer.status == JointOffer.Status.COLLECTING and not Product.objects.exists()

    services.pledge_save(joint_offer=offer, enterprise=farm_b, user=user_b, quantity=230)

    offer.refresh_from_db()
    cooperative.refresh_from_db()
    product = offer.product
    assert offer.status == JointOffer.Status.ORDERABLE
    assert product.enterprise == cooperative.seller
    assert (product.price, product.unit, product.stock, product.min_order) == (85_000, "kg", 530, 1)
    assert product.category == offer.category and "Grade 1" in product.description
    trading = cooperative.seller
    assert trading.name == cooperative.name and trading.regency == cooperative.regency
    assert trading.sector == Sector.FOOD  # the members' sector (the factory's default)
    assert set(EnterpriseMember.objects.filter(enterprise=trading).values_list(
        "user", flat=True)) == {manager.pk, second_manager.pk}
    page = client.get(reverse("product_list"))
    assert product.title in page.content.decode()


def test_a_second_offer_reuses_the_trading_enterprise(cooperative, manager, member):
    user, farm = member
    first, second = make_offer(cooperative, target_quantity=10), make_offer(
        cooperative, title="Kopi sangrai", target_quantity=5)
    services.pledge_save(joint_offer=first, enterprise=farm, user=user, quantity=10)
    services.pledge_save(joint_offer=second, enterprise=farm, user=user, quantity=5)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.product.enterprise == second.product.enterprise
    assert Product.objects.count() == 2


def test_pledges_after_the_offer_is_orderable_are_refused(offer, member, cooperative):
    user, farm = member
    late_user, late_farm = cooperative_member(cooperative)
    services.pledge_save(joint_offer=offer, enterprise=farm, user=user, quantity=500)
    with pytest.raises(ValidationError):
        services.pledge_save(joint_offer=offer, enterprise=late_farm, user=late_user, quantity=5)
    with pytest.raises(ValidationError):
        services.pledge_withdraw(joint_offer=offer, enterprise=farm, user=user)
    assert Pledge.objects.count() == 1


# Revenue shares


def _pledge(offer, enterprise, quantity, delivered=None):
    return Pledge.objects.create(joint_offer=offer, enterprise=enterprise, quantity=quantity,
                                 delivered_quantity=delivered)


def test_shares_add_up_exactly_after_the_fee(cooperative, offer):
    cooperative.joint_offer_fee_percent = 7
    cooperative.save()
    farms = [cooperative_member(cooperative)[1] for _ in range(3)]
    for farm, quantity in zip(farms, [100, 100, 100], strict=True):
        _pledge(offer, farm, quantity)

    shares = services.joint_offer_revenue_shares(joint_offer=offer, revenue=1_000_003)

    fee = services.joint_offer_fee(joint_offer=offer, revenue=1_000_003)
    assert fee == 70_000  # 7% of 1.000.003, rounded down
    assert [amount for _enterprise, amount in shares] == [310_001, 310_001, 310_001]
    assert fee + sum(amount for _enterprise, amount in shares) == 1_000_003


def test_largest_remainders_get_the_left_over_rupiah(cooperative, offer):
    farms = [cooperative_member(cooperative)[1] for _ in range(3)]
    for farm, quantity in zip(farms, [7, 11, 13], strict=True):
        _pledge(offer, farm, quantity)

    shares = services.joint_offer_revenue_shares(joint_offer=offer, revenue=1_000)

    # Fee 50 (5%); 950 split 7:11:13 of 31 is 214.5 / 337.1 / 398.4 -> 214 + 337 + 398 = 949,
    # and the one rupiah left goes to the largest fraction (the first member's .5).
    assert [amount for _enterprise, amount in shares] == [215, 337, 398]
    assert [enterprise for enterprise, _amount in shares] == farms


def test_delivered_quantities_replace_pledges_once_all_are_recorded(cooperative, offer):
    farms = [cooperative_member(cooperative)[1] for _ in range(2)]
    _pledge(offer, farms[0], 100, delivered=50)
    second = _pledge(offer, farms[1], 100)

    assert [a for _e, a in services.joint_offer_revenue_shares(joint_offer=offer, revenue=200)] \
        == [95, 95]
    second.delivered_quantity = 150
    second.save()
    assert [a for _e, a in services.joint_offer_revenue_shares(joint_offer=offer, revenue=200)] \
        == [48, 142]


def test_many_members_with_awkward_numbers_still_add_up(cooperative, offer):
    for index in range(17):
        _pledge(offer, cooperative_member(cooperative)[1], 3 + index * 7)
    for revenue in (1, 99, 12_345_678, 999_999_999):
        shares = services.joint_offer_revenue_shares(joint_offer=offer, revenue=revenue)
        fee = services.joint_offer_fee(joint_offer=offer, revenue=revenue)
        assert fee + sum(amount for _e, amount in shares) == revenue
        assert all(amount >= 0 for _e, amount in shares)


# Pages


def test_the_cooperative_page_lists_joint_offers(client, cooperative, offer):
    assert list(joint_offer_list(cooperative=cooperative)) == [offer]
    page = client.get(cooperative.get_absolute_url())
    assert page.status_code == 200
    assert offer.title in page.content.decode()


def test_members_pledge_through_the_page(client, offer, member):
    user, farm = member
    client.force_login(user)
    page = client.get(offer.get_absolute_url())
    assert page.status_code == 200 and "Pledge of" in page.content.decode()

    response = client.post(reverse("joint_offer_pledge", args=[offer.pk]),
                           {"enterprise": farm.pk, "quantity": 80})
    assert response.status_code == 302
    assert Pledge.objects.get().quantity == 80
    client.post(reverse("joint_offer_withdraw", args=[offer.pk]), {"enterprise": farm.pk})
    assert not Pledge.objects.exists()


def test_outsiders_cannot_pledge_through_the_page(client, stranger, offer):
    response = client.post(reverse("joint_offer_pledge", args=[offer.pk]),
                           {"enterprise": 1, "quantity": 80})
    assert response.status_code == 403
    page = client.get(offer.get_absolute_url())
    assert page.status_code == 200 and "Pledge of" not in page.content.decode()


def test_an_orderable_offer_links_to_its_product_and_shows_shares(client, offer, member):
    user, farm = member
    services.pledge_save(joint_offer=offer, enterprise=farm, user=user, quantity=500)
    offer.refresh_from_db()
    client.force_login(user)
    html = client.get(offer.get_absolute_url()).content.decode()
    assert offer.product.get_absolute_url() in html
    assert "Rp 950.000" in html  # the only member's share of Rp 1.000.000 after the 5% fee
    assert client.get(offer.product.get_absolute_url()).status_code == 200


def test_only_managers_open_the_create_page(client, cooperative, manager, member):
    url = reverse("joint_offer_create") + f"?cooperative={cooperative.slug}"
    client.force_login(member[0])
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200
    fields = offer_fields()
    data = fields | {"category": fields["category"].pk,
                     "delivery_from": fields["delivery_from"].isoformat(),
                     "delivery_until": fields["delivery_until"].isoformat()}
    response = client.post(url, data)
    joint_offer = JointOffer.objects.get()
    assert response.status_code == 302 and response.url == joint_offer.get_absolute_url()


# API


def test_the_api_lists_joint_offers_with_pledges(client, cooperative, offer, member):
    _user, farm = member
    _pledge(offer, farm, 40)
    data = client.get("/api/v1/joint-offers/", {"cooperative": cooperative.slug}).json()
    [row] = data["results"]
    assert (row["id"], row["status"], row["pledged_quantity"]) == (offer.pk, "collecting", 40)
    assert row["pledges"] == [{"enterprise": farm.slug, "quantity": 40,
                               "delivered_quantity": None}]
    assert client.get(f"/api/v1/joint-offers/{offer.pk}/").json()["target_quantity"] == 500


def test_members_pledge_through_the_api(client, offer, member):
    user, farm = member
    client.force_login(user)
    response = client.post(f"/api/v1/joint-offers/{offer.pk}/pledge/",
                           {"enterprise": farm.slug, "quantity": 500},
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "orderable" and response.json()["product"]


def test_the_api_refuses_pledges_from_outsiders(client, stranger, offer):
    _user, farm = seller()
    response = client.post(f"/api/v1/joint-offers/{offer.pk}/pledge/",
                           {"enterprise": farm.slug, "quantity": 5},
                           content_type="application/json")
    assert response.status_code == 403
    client.logout()
    response = client.post(f"/api/v1/joint-offers/{offer.pk}/pledge/",
                           {"enterprise": farm.slug, "quantity": 5},
                           content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Pledge.objects.exists()


# Demo


class _Run:
    def rng(self, name):
        import random

        return random.Random(name)

    def note(self, message):
        self.noted = message


def test_the_demo_seeds_an_orderable_coffee_offer_once():
    from marketplace import demo_joint_offers

    cooperative = CooperativeFactory(slug="koperasi-kopi-sindoro-sumbing")
    CategoryFactory(name="Kopi")
    cooperative_member(cooperative, role=Membership.Role.MANAGER)
    for _index in range(3):
        cooperative_member(cooperative)

    demo_joint_offers.seed(run=_Run())
    demo_joint_offers.seed(run=_Run())

    offer = JointOffer.objects.get()
    assert offer.status == JointOffer.Status.ORDERABLE and offer.product.stock == 500
    assert services.pledged_total(joint_offer=offer) == 500


# Concurrency


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs parallel transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_racing_pledges_create_one_product():
    cooperative = CooperativeFactory()
    cooperative_member(cooperative, role=Membership.Role.MANAGER)
    members = [cooperative_member(cooperative) for _ in range(4)]
    offer = make_offer(cooperative, target_quantity=100)
    barrier = threading.Barrier(len(members))
    errors = []

    def pledge(user, farm):
        try:
            barrier.wait()
            services.pledge_save(joint_offer=offer, enterprise=farm, user=user, quantity=60)
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pledge, args=member) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    offer.refresh_from_db()
    assert offer.status == JointOffer.Status.ORDERABLE
    assert Product.objects.count() == 1 and offer.product.stock == 120
    assert Pledge.objects.count() == 2 and len(errors) == 2


@pytest.fixture(autouse=True)
def _in_english(english):
    """Pages and messages in the source language, for assertions on interface text."""
