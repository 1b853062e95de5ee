import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Membership
from marketplace.models import BulkOrder, Commitment
from marketplace.selectors.bulk_orders import bulk_order_list, bulk_order_progress
from marketplace.services import bulk_orders as services
from marketplace.tasks import close_due_bulk_orders
from tests.factories import CooperativeFactory, ProductFactory, cooperative_member, seller
from tests.helpers import ON_POSTGRESQL


def make_order(cooperative, **fields) -> BulkOrder:
    values = {"title": "Pupuk organik", "supplier_name": "Toko Tani Makmur", "unit": "kg",
              "package_size": 50, "price_per_unit": 3000, "min_packages": 1,
              "deadline": timezone.now() + timedelta(days=3)}
    return BulkOrder.objects.create(cooperative=cooperative, **(values | fields))


@pytest.fixture
def cooperative(db):
    return CooperativeFactory()


@pytest.fixture
def manager(cooperative):
    user, _enterprise = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def member(cooperative):
    return cooperative_member(cooperative)


@pytest.fixture
def order(cooperative):
    return make_order(cooperative)


# Services


def test_manager_creates_a_bulk_order(cooperative, manager):
    product = ProductFactory()
    bulk_order = services.bulk_order_create(
        cooperative=cooperative, user=manager, supplier_product=product, title="Gula aren",
        unit="kg", package_size=25, price_per_unit=12000, min_packages=2,
        deadline=timezone.now() + timedelta(days=2),
    )
    assert bulk_order.status == BulkOrder.Status.OPEN
    assert bulk_order.created_by == manager
    assert bulk_order.supplier_product == product


def test_member_cannot_create_a_bulk_order(cooperative, member):
    user, _enterprise = member
    with pytest.raises(PermissionDenied):
        services.bulk_order_create(
            cooperative=cooperative, user=user, supplier_name="Toko", title="Pupuk",
            package_size=50, price_per_unit=1, deadline=timezone.now() + timedelta(days=1),
        )


@pytest.mark.parametrize("fields, field", [
    ({"deadline": timezone.now() - timedelta(minutes=1), "supplier_name": "Toko"}, "deadline"),
    ({"deadline": timezone.now() + timedelta(days=1), "supplier_name": ""}, "supplier_name"),
])
def test_bulk_order_create_validates(cooperative, manager, fields, field):
    with pytest.raises(ValidationError) as error:
        services.bulk_order_create(cooperative=cooperative, user=manager, title="Pupuk",
                                   package_size=50, price_per_unit=1, **fields)
    assert field in error.value.message_dict


def test_product_and_outside_supplier_together_are_refused(cooperative, manager):
    with pytest.raises(ValidationError):
        services.bulk_order_create(
            cooperative=cooperative, user=manager, supplier_product=ProductFactory(),
            supplier_name="Toko", title="Pupuk", package_size=50, price_per_unit=1,
            deadline=timezone.now() + timedelta(days=1),
        )


def test_member_commits_and_changes_the_commitment(order, member):
    user, enterprise = member
    services.commitment_save(bulk_order=order, enterprise=enterprise, user=user, quantity=20)
    services.commitment_save(bulk_order=order, enterprise=enterprise, user=user, quantity=30,
                             tolerance=5)
    commitment = Commitment.objects.get(bulk_order=order)
    assert (commitment.quantity, commitment.tolerance) == (30, 5)


def test_non_member_cannot_commit(order):
    user, enterprise = seller()
    with pytest.raises(PermissionDenied):
        services.commitment_save(bulk_order=order, enterprise=enterprise, user=user, quantity=5)
    assert not Commitment.objects.exists()


def test_member_cannot_commit_for_an_enterprise_they_do_not_run(order, cooperative, member):
    user, _own = member
    _other_user, other_enterprise = cooperative_member(cooperative)
    with pytest.raises(PermissionDenied):
        services.commitment_save(bulk_order=order, enterprise=other_enterprise, user=user,
                                 quantity=5)


def test_former_member_cannot_commit(order, member):
    user, enterprise = member
    Membership.objects.filter(enterprise=enterprise).update(status=Membership.Status.LEFT,
                                                            left_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.commitment_save(bulk_order=order, enterprise=enterprise, user=user, quantity=5)


def test_commitment_after_the_deadline_is_refused(cooperative, member):
    user, enterprise = member
    order = make_order(cooperative, deadline=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="has closed"):
        services.commitment_save(bulk_order=order, enterprise=enterprise, user=user, quantity=5)


def test_commitment_after_close_is_refused(order, member, manager):
    user, enterprise = member
    services.bulk_order_close(bulk_order=order, closed_by=manager)
    with pytest.raises(ValidationError, match="has closed"):
        services.commitment_save(bulk_order=order, enterprise=enterprise, user=user, quantity=5)
    with pytest.raises(ValidationError, match="has closed"):
        services.commitment_withdraw(bulk_order=order, enterprise=enterprise, user=user)


def test_withdraw_removes_the_commitment(order, member):
    user, enterprise = member
    services.commitment_save(bulk_order=order, enterprise=enterprise, user=user, quantity=5)
    services.commitment_withdraw(bulk_order=order, enterprise=enterprise, user=user)
    assert not Commitment.objects.exists()


def commit(order, cooperative, quantity, tolerance=0):
    user, enterprise = cooperative_member(cooperative)
    return services.commitment_save(bulk_order=order, enterprise=enterprise, user=user,
                                    quantity=quantity, tolerance=tolerance)


def test_close_writes_allocations(order, cooperative, manager):
    first = commit(order, cooperative, 40, 10)
    second = commit(order, cooperative, 30)
    third = commit(order, cooperative, 25, 20)
    closed = services.bulk_order_close(bulk_order=order, closed_by=manager)
    assert closed.status == BulkOrder.Status.CLOSED
    assert closed.packages_ordered == 2
    assert closed.closed_at is not None
    allocated = {c.pk: c.allocated for c in Commitment.objects.all()}
    assert allocated == {first.pk: 45, second.pk: 30, third.pk: 25}
    assert Commitment.objects.get(pk=first.pk).amount_owed == 45 * 3000


def test_member_cannot_close(order, member):
    user, _enterprise = member
    with pytest.raises(PermissionDenied):
        services.bulk_order_close(bulk_order=order, closed_by=user)
    order.refresh_from_db()
    assert order.status == BulkOrder.Status.OPEN


def test_closing_twice_is_refused(order, manager):
    services.bulk_order_close(bulk_order=order, closed_by=manager)
    with pytest.raises(ValidationError):
        services.bulk_order_close(bulk_order=order, closed_by=manager)


def test_below_minimum_cancels_with_reason(cooperative, manager):
    order = make_order(cooperative, min_packages=3)
    commitment = commit(order, cooperative, 70)
    closed = services.bulk_order_close(bulk_order=order, closed_by=manager)
    assert closed.status == BulkOrder.Status.CANCELLED
    assert closed.packages_ordered == 0
    assert "at least 3" in closed.cancel_reason
    commitment.refresh_from_db()
    assert commitment.allocated == 0


def test_mark_sent_by_manager_only(order, cooperative, manager, member):
    commit(order, cooperative, 50)
    with pytest.raises(ValidationError):
        services.bulk_order_mark_sent(bulk_order=order, user=manager)  # still open
    services.bulk_order_close(bulk_order=order, closed_by=manager)
    with pytest.raises(PermissionDenied):
        services.bulk_order_mark_sent(bulk_order=order, user=member[0])
    sent = services.bulk_order_mark_sent(bulk_order=order, user=manager)
    assert sent.sent_to_supplier_at is not None


def test_task_closes_only_due_orders(cooperative):
    due = make_order(cooperative, deadline=timezone.now() - timedelta(minutes=5))
    commit_time = due.deadline - timedelta(hours=1)
    Commitment.objects.create(bulk_order=due, enterprise=seller()[1], quantity=50)
    Commitment.objects.filter(bulk_order=due).update(created_at=commit_time)
    later = make_order(cooperative)
    result = close_due_bulk_orders.enqueue()
    assert result.return_value == [due.pk]
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == BulkOrder.Status.CLOSED and due.packages_ordered == 1
    assert later.status == BulkOrder.Status.OPEN
    assert close_due_bulk_orders.call() == []


def test_list_and_progress_selectors(cooperative):
    closed = make_order(cooperative, status=BulkOrder.Status.CLOSED, closed_at=timezone.now())
    late = make_order(cooperative, deadline=timezone.now() + timedelta(days=9))
    soon = make_order(cooperative, deadline=timezone.now() + timedelta(days=1))
    make_order(CooperativeFactory())
    assert list(bulk_order_list(cooperative=cooperative)) == [soon, late, closed]
    commit(soon, cooperative, 60, 10)
    commit(soon, cooperative, 25)
    progress = bulk_order_progress(bulk_order=soon)
    assert (progress.total_quantity, progress.full_packages, progress.toward_next) == (85, 1, 35)
    assert progress.needed_for_next == 15 and progress.packages == 1
    listed = bulk_order_list(cooperative=cooperative).get(pk=soon.pk)
    assert (listed.commitment_count, listed.total_quantity) == (2, 85)


# Pages


def test_detail_page_for_visitor_member_and_manager(client, order, cooperative, member, manager):
    url = reverse("bulk_order_detail", kwargs={"pk": order.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert "Pupuk organik" in response.text and "Rp 3.000" in response.text
    assert reverse("bulk_order_commit", kwargs={"pk": order.pk}) not in response.text

    client.force_login(member[0])
    response = client.get(url)
    assert reverse("bulk_order_commit", kwargs={"pk": order.pk}) in response.text
    assert reverse("bulk_order_close", kwargs={"pk": order.pk}) not in response.text

    client.force_login(manager)
    response = client.get(url)
    assert reverse("bulk_order_close", kwargs={"pk": order.pk}) in response.text


def test_member_commits_through_the_page(client, order, member):
    user, enterprise = member
    client.force_login(user)
    url = reverse("bulk_order_commit", kwargs={"pk": order.pk})
    response = client.post(url, {"enterprise": enterprise.pk, "quantity": 30, "tolerance": 5},
                           follow=True)
    assert "Your commitment is saved" in response.text
    assert "You committed 30 kg, accepting up to 5 kg more." in response.text
    commitment = Commitment.objects.get()
    assert (commitment.quantity, commitment.tolerance, commitment.committed_by) == (30, 5, user)

    response = client.post(url, {"enterprise": enterprise.pk, "quantity": 0}, follow=True)
    assert Commitment.objects.get().quantity == 30
    assert response.redirect_chain

    response = client.post(reverse("bulk_order_withdraw", kwargs={"pk": order.pk}),
                           {"enterprise": enterprise.pk}, follow=True)
    assert "withdrawn" in response.text
    assert not Commitment.objects.exists()


def test_non_member_post_is_forbidden(client, order):
    user, enterprise = seller()
    client.force_login(user)
    response = client.post(reverse("bulk_order_commit", kwargs={"pk": order.pk}),
                           {"enterprise": enterprise.pk, "quantity": 5})
    assert response.status_code == 403
    assert not Commitment.objects.exists()


def test_commit_after_close_shows_the_message(client, order, member, manager):
    user, enterprise = member
    services.bulk_order_close(bulk_order=order, closed_by=manager)
    client.force_login(user)
    response = client.post(reverse("bulk_order_commit", kwargs={"pk": order.pk}),
                           {"enterprise": enterprise.pk, "quantity": 5}, follow=True)
    assert "This bulk order has closed." in response.text
    assert not Commitment.objects.exists()


def test_manager_closes_and_members_see_allocation(client, order, cooperative, member,
                                                   manager):
    user, enterprise = member
    services.commitment_save(bulk_order=order, enterprise=enterprise, user=user, quantity=40,
                             tolerance=10)
    commit(order, cooperative, 50)  # 90 firm + 10 tolerance: two sacks of 50
    client.force_login(user)
    assert client.post(reverse("bulk_order_close", kwargs={"pk": order.pk})).status_code == 403

    client.force_login(manager)
    response = client.post(reverse("bulk_order_close", kwargs={"pk": order.pk}), follow=True)
    assert "closed and allocated" in response.text
    assert "Rp 150.000" in response.text  # the manager's table: 50 kg × Rp 3.000

    client.force_login(user)
    response = client.get(reverse("bulk_order_detail", kwargs={"pk": order.pk}))
    assert "allocated 50 kg, owes Rp 150.000" in response.text

    client.force_login(manager)
    response = client.post(reverse("bulk_order_mark_sent", kwargs={"pk": order.pk}),
                           follow=True)
    assert "Recorded as sent" in response.text


def test_cancelled_order_shows_the_reason_to_members(client, cooperative, member, manager):
    user, enterprise = member
    order = make_order(cooperative, min_packages=2)
    services.commitment_save(bulk_order=order, enterprise=enterprise, user=user, quantity=10)
    services.bulk_order_close(bulk_order=order, closed_by=manager)
    client.force_login(user)
    response = client.get(reverse("bulk_order_detail", kwargs={"pk": order.pk}))
    assert "This bulk order was cancelled." in response.text
    assert "at least 2 were needed" in response.text


def test_create_page_for_managers_only(client, cooperative, manager, member):
    url = f"{reverse('bulk_order_create')}?cooperative={cooperative.slug}"
    client.force_login(member[0])
    assert client.get(url).status_code == 403

    client.force_login(manager)
    assert client.get(url).status_code == 200
    deadline = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    product = ProductFactory()
    response = client.post(url, {
        "title": "Bibit kopi", "product_link": f"https://guyub.id/products/{product.slug}/",
        "supplier_name": "", "unit": "kg", "package_size": 10, "price_per_unit": 5000,
        "min_packages": 2, "deadline": deadline,
    })
    bulk_order = BulkOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == bulk_order.get_absolute_url()
    assert bulk_order.supplier_product == product and bulk_order.cooperative == cooperative

    response = client.post(url, {
        "title": "Bibit", "product_link": "", "supplier_name": "", "unit": "kg",
        "package_size": 10, "price_per_unit": 5000, "min_packages": 1, "deadline": deadline,
    })
    assert response.status_code == 200
    assert "Name the supplier" in response.text
    assert BulkOrder.objects.count() == 1


# Concurrency (PostgreSQL): commitments racing the close


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL row locks and parallel "
                                              "transactions; CI runs it on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_commitments_racing_the_close_are_counted_or_refused():
    cooperative = CooperativeFactory()
    manager, _ = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    order = make_order(cooperative, package_size=10)
    for _ in range(2):  # enough for the order to close rather than be cancelled
        commit(order, cooperative, 7, 3)
    members = [cooperative_member(cooperative) for _ in range(12)]
    start = threading.Barrier(len(members) + 1)
    outcomes = {}

    def committer(user, enterprise):
        try:
            start.wait()
            services.commitment_save(bulk_order=order, enterprise=enterprise, user=user,
                                     quantity=7, tolerance=3)
            outcomes[enterprise.pk] = "saved"
        except ValidationError as error:
            outcomes[enterprise.pk] = " ".join(error.messages)
        finally:
            connection.close()

    def closer():
        try:
            start.wait()
            services.bulk_order_close(bulk_order=order, closed_by=manager)
        finally:
            connection.close()

    threads = [threading.Thread(target=committer, args=member) for member in members]
    threads.append(threading.Thread(target=closer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    order.refresh_from_db()
    assert order.status == BulkOrder.Status.CLOSED
    assert len(outcomes) == len(members)
    saved = {pk for pk, outcome in outcomes.items() if outcome == "saved"}
    refused = set(outcomes) - saved
    assert all(outcomes[pk] == "This bulk order has closed." for pk in refused)
    commitments = list(Commitment.objects.filter(bulk_order=order))
    assert len(commitments) == len(saved) + 2
    assert saved <= {c.enterprise_id for c in commitments}
    assert all(c.allocated is not None for c in commitments)
    assert sum(c.allocated for c in commitments) == order.packages_ordered * 10


@pytest.fixture(autouse=True)
def _in_english(english):
    """These tests read the interface's English source text."""
