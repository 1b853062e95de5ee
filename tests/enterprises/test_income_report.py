"""Self-reported income: the monthly form on the dashboard and the income page. Kept apart from
marketplace sales, replaced when a month is reported again, and seen by the enterprise's own
people only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enterprises.models import IncomeRecord
from enterprises.services.income import income_add, income_report
from tests.factories import IncomeRecordFactory, UserFactory, program_officer, seller

pytestmark = pytest.mark.django_db

Source = IncomeRecord.Source


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


def months_ago(count: int) -> datetime.date:
    month = timezone.localdate().replace(day=1)
    total = month.year * 12 + month.month - 1 - count
    return datetime.date(total // 12, total % 12 + 1, 1)


# The service


def test_reporting_a_month_stores_the_self_reported_figure_apart_from_sales():
    user, enterprise = seller()
    month = months_ago(1)
    income_add(enterprise=enterprise, month=month, amount=300_000)

    record = income_report(enterprise=enterprise, month=month.replace(day=17), amount=1_500_000,
                           user=user)

    assert (record.month, record.source, record.amount) == (month, Source.SELF_REPORTED,
                                                            1_500_000)
    assert IncomeRecord.objects.get(source=Source.MARKETPLACE).amount == 300_000


def test_reporting_a_month_again_replaces_the_figure():
    user, enterprise = seller()
    month = months_ago(2)
    first = income_report(enterprise=enterprise, month=month, amount=1_000_000, user=user)

    again = income_report(enterprise=enterprise, month=month, amount=900_000, user=user)

    assert again.pk == first.pk and again.amount == 900_000
    assert IncomeRecord.objects.count() == 1


def test_this_month_zero_and_the_oldest_allowed_month_are_fine():
    user, enterprise = seller()

    income_report(enterprise=enterprise, month=months_ago(0), amount=0, user=user)
    income_report(enterprise=enterprise, month=months_ago(36), amount=10**12, user=user)

    assert IncomeRecord.objects.count() == 2


@pytest.mark.parametrize(("month", "amount", "field", "message"), [
    (-1, 100, "month", "has not happened yet"),
    (37, 100, "month", "last 36 months"),
    (1, -1, "amount", "below zero"),
    (1, 10**12 + 1, "amount", "too large"),
    (1, 1.5, "amount", "whole rupiah"),
    (1, "100", "amount", "whole rupiah"),
    (1, True, "amount", "whole rupiah"),
])
def test_bad_months_and_amounts_are_refused_with_a_reason(month, amount, field, message):
    user, enterprise = seller()
    day = months_ago(0) + datetime.timedelta(days=40) if month == -1 else months_ago(month)

    with pytest.raises(ValidationError) as error:
        income_report(enterprise=enterprise, month=day, amount=amount, user=user)

    assert message in " ".join(error.value.message_dict[field])
    assert not IncomeRecord.objects.exists()


def test_only_the_enterprises_people_report_its_income():
    _user, enterprise = seller()

    for user in (seller()[0], program_officer(), UserFactory(is_staff=True)):
        with pytest.raises(PermissionDenied):
            income_report(enterprise=enterprise, month=months_ago(1), amount=1, user=user)

    assert not IncomeRecord.objects.exists()


# The form and the page


@pytest.fixture
def sari(client):
    user, enterprise = seller(name="Keripik Sari", slug="keripik-sari")
    client.force_login(user)
    return user, enterprise


def post(client, enterprise, month: str, amount: str, **extra):
    prefix = f"income-{enterprise.pk}"
    return client.post(f"/dashboard/network/{enterprise.slug}/income/report/",
                       {f"{prefix}-month": month, f"{prefix}-amount": amount, **extra})


def test_the_dashboard_form_saves_and_comes_back(client, sari):
    _user, keripik = sari
    month = months_ago(1)

    response = post(client, keripik, f"{month:%Y-%m}", "Rp 1.500.000", next="/dashboard/#network")

    assert response.status_code == 302 and response["Location"] == "/dashboard/#network"
    record = IncomeRecord.objects.get()
    assert (record.month, record.amount, record.source) == (month, 1_500_000,
                                                            Source.SELF_REPORTED)
    assert "Saved" in client.get("/dashboard/").content.decode()


@pytest.mark.parametrize(("month", "amount", "message"), [
    ("", "1000", "This field is required"),
    ("maret", "1000", "Choose a month"),
    ("2026-13", "1000", "Choose a month"),
    ("FUTURE", "1000", "has not happened yet"),
    ("OLD", "1000", "last 36 months"),
    ("LAST", "", "This field is required"),
    ("LAST", "seribu", "whole rupiah"),
    ("LAST", "-5", "greater than or equal to 0"),
    ("LAST", "1000000000001", "less than or equal to"),
])
def test_bad_input_shows_the_income_page_with_the_errors(client, sari, month, amount, message):
    _user, keripik = sari
    month = {"FUTURE": f"{months_ago(-1):%Y-%m}", "OLD": f"{months_ago(40):%Y-%m}",
             "LAST": f"{months_ago(1):%Y-%m}"}.get(month, month)

    response = post(client, keripik, month, amount)

    assert response.status_code == 200
    assert response.templates[0].name == "enterprises/connections/income_history.html"
    assert message in response.content.decode()
    assert not IncomeRecord.objects.exists()


def test_the_income_page_shows_months_by_source(client, sari):
    _user, keripik = sari
    IncomeRecordFactory(enterprise=keripik, month=months_ago(1), source=Source.MARKETPLACE,
                        amount=250_000)
    IncomeRecordFactory(enterprise=keripik, month=months_ago(1), source=Source.SELF_REPORTED,
                        amount=1_500_000)
    IncomeRecordFactory(enterprise=keripik, month=months_ago(3), source=Source.IMPORTED,
                        amount=700_000)
    IncomeRecordFactory(enterprise=keripik, month=months_ago(13), amount=9_999_000)  # too old

    response = client.get("/dashboard/network/keripik-sari/income/")

    html = response.content.decode()
    history = response.context["history"]
    assert len(history["rows"]) == 12
    assert history["rows"][1]["by_source"] == {
        Source.MARKETPLACE: 250_000, Source.SELF_REPORTED: 1_500_000, Source.IMPORTED: None}
    assert history["rows"][1]["total"] == 1_750_000
    assert history["totals"]["total"] == 2_450_000
    assert "Rp 1.750.000" in html and "Rp 2.450.000" in html and "9.999.000" not in html
    # The form is there, with last month and its reported figure.
    assert f'value="{months_ago(1):%Y-%m}"' in html and 'value="1500000"' in html


def test_the_income_page_and_form_are_only_for_the_enterprises_people(client):
    _owner, keripik = seller(slug="keripik-sari")
    IncomeRecordFactory(enterprise=keripik, amount=4_321_000)

    for user in (seller()[0], program_officer(), UserFactory(is_staff=True)):
        client.force_login(user)
        assert client.get("/dashboard/network/keripik-sari/income/").status_code == 404
        assert post(client, keripik, f"{months_ago(1):%Y-%m}", "5").status_code == 404
    client.logout()
    assert post(client, keripik, f"{months_ago(1):%Y-%m}", "5").status_code == 302

    assert list(IncomeRecord.objects.values_list("amount", flat=True)) == [4_321_000]


def test_the_income_page_costs_the_same_queries_whatever_the_records(client, sari):
    from tests.helpers import count_queries

    _user, keripik = sari
    few = count_queries(client, "/dashboard/network/keripik-sari/income/")
    for back in range(12):
        for source in Source.values:
            IncomeRecordFactory(enterprise=keripik, month=months_ago(back), source=source)

    assert count_queries(client, "/dashboard/network/keripik-sari/income/") == few
