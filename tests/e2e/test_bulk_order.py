from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import BulkOrder
from tests.factories import CooperativeFactory, cooperative_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_logs_in_and_commits_to_a_bulk_order(phone):
    cooperative = CooperativeFactory(name="Koperasi Kopi Sindoro")
    member, farm = cooperative_member(cooperative)
    order = BulkOrder.objects.create(
        cooperative=cooperative, title="Pupuk NPK 50 kg", supplier_name="Agen Parakan",
        unit="kg", package_size=50, price_per_unit=2600, min_packages=1,
        deadline=timezone.now() + timedelta(days=3),
    )

    phone.goto(f"/accounts/login/?next=/bulk-orders/{order.pk}/")
    phone.locator("[name=username]").fill(member.username)
    phone.locator("[name=password]").fill("sandi-rahasia-123")
    phone.locator("main form [type=submit]").click()
    phone.wait_for_url(f"**/bulk-orders/{order.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Pupuk NPK")

    phone.locator("[name=quantity]").fill("40")
    phone.locator("[name=tolerance]").fill("10")
    phone.locator(f"form[action$='/bulk-orders/{order.pk}/commit/'] [type=submit]").click()

    phone.wait_for_url(f"**/bulk-orders/{order.pk}/")
    expect(phone.locator("[name=quantity]")).to_have_value("40")
    commitment = order.commitments.get()
    assert (commitment.enterprise, commitment.quantity, commitment.tolerance) == (farm, 40, 10)
