"""Bank details on the enterprise form: where buyers paying by bank transfer send the money."""

import pytest

from enterprises import services
from enterprises.models import Enterprise
from tests.factories import RegencyFactory, UserFactory, seller
from tests.helpers import enterprise_fields, enterprise_form_data

pytestmark = pytest.mark.django_db

ALL_OR_NONE = ("To take bank transfers, fill in the bank, the account number and the account "
               "holder; or leave all three empty.")


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


def _bank(**overrides):
    return {"bank_name": "BRI", "bank_account_number": "0123-01-012345-50-1",
            "bank_account_name": "Sari Wulandari", **overrides}


def _edit_url(enterprise):
    return f"/dashboard/enterprises/{enterprise.slug}/edit/"


def test_the_form_has_a_bank_transfer_section(client):
    user, enterprise = seller()
    client.force_login(user)

    content = client.get(_edit_url(enterprise)).content.decode()

    assert "Payments by bank transfer" in content
    for name in ("bank_name", "bank_account_number", "bank_account_name"):
        assert f'name="{name}"' in content
    assert 'value="0123456789012"' in content  # the factory's account, shown for editing


def test_a_new_enterprise_takes_bank_transfers(client):
    client.force_login(UserFactory())
    regency = RegencyFactory()

    response = client.post("/dashboard/enterprises/new/",
                           {**enterprise_form_data(regency), **_bank()})

    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name="Keripik Sari")
    assert (enterprise.bank_name, enterprise.bank_account_number,
            enterprise.bank_account_name) == ("BRI", "012301012345501", "Sari Wulandari")
    assert enterprise.accepts_bank_transfer


def test_a_seller_changes_and_removes_their_bank_account(client):
    user, enterprise = seller()
    client.force_login(user)
    data = enterprise_form_data(enterprise.regency)

    response = client.post(_edit_url(enterprise), {**data, **_bank(
        bank_name="Bank Mandiri", bank_account_number="1380 0123 4567 8")})
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.bank_name, enterprise.bank_account_number) == ("Bank Mandiri",
                                                                      "1380012345678")

    response = client.post(_edit_url(enterprise), {**data, **_bank(
        bank_name="", bank_account_number="", bank_account_name="")})
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert not enterprise.accepts_bank_transfer
    assert enterprise.bank_account_number == ""


@pytest.mark.parametrize("missing", ["bank_name", "bank_account_number", "bank_account_name"])
def test_bank_details_are_all_or_none(client, missing):
    user, enterprise = seller(bank_name="", bank_account_number="", bank_account_name="")
    client.force_login(user)

    response = client.post(_edit_url(enterprise), {
        **enterprise_form_data(enterprise.regency, people="7"), **_bank(**{missing: ""})})

    assert response.status_code == 200
    assert response.context["form"].errors[missing] == [ALL_OR_NONE]
    assert ALL_OR_NONE in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.people != 7 and enterprise.bank_name == ""  # nothing half-written


@pytest.mark.parametrize("number, message", [
    ("BRI-0123", "Digits only, as in the bank book."),
    ("12 34", "Digits only, as in the bank book."),  # the model wants 5 to 30 digits
    ("1" * 41, "Ensure this value has at most 40 characters (it has 41)."),
])
def test_a_bad_account_number_is_refused(client, number, message):
    user, enterprise = seller()
    client.force_login(user)

    response = client.post(_edit_url(enterprise), {
        **enterprise_form_data(enterprise.regency), **_bank(bank_account_number=number)})

    assert response.status_code == 200
    assert message in response.context["form"].errors["bank_account_number"][0]
    enterprise.refresh_from_db()
    assert enterprise.bank_account_number == "0123456789012"


def test_a_stranger_cannot_change_the_bank_account(client, stranger):
    _owner, enterprise = seller()

    response = client.post(_edit_url(enterprise), {
        **enterprise_form_data(enterprise.regency), **_bank(bank_account_number="999999999")})

    assert response.status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.bank_account_number == "0123456789012"


def test_anonymous_cannot_change_the_bank_account(client):
    _owner, enterprise = seller()

    response = client.post(_edit_url(enterprise), {
        **enterprise_form_data(enterprise.regency), **_bank(bank_account_number="999999999")})

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.bank_account_number == "0123456789012"


def test_the_services_save_the_bank_details():
    user = UserFactory()
    regency = RegencyFactory()
    enterprise = services.enterprise_create(user=user, **enterprise_fields(regency))
    assert not enterprise.accepts_bank_transfer

    services.enterprise_update(enterprise=enterprise, user=user, **enterprise_fields(regency),
                               bank_name="BNI", bank_account_number="0987654321",
                               bank_account_name="Keripik Sari")

    enterprise.refresh_from_db()
    assert (enterprise.bank_name, enterprise.bank_account_number,
            enterprise.bank_account_name) == ("BNI", "0987654321", "Keripik Sari")
