"""Programmes import monthly income from CSV: both separators, with or without a byte-order
mark; every bad row reported by number; nothing half-imported; program officers only."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enterprises.models import IncomeRecord
from enterprises.services import income_import
from enterprises.services.income_import import income_import_csv
from tests.factories import (
    EnterpriseFactory,
    IncomeRecordFactory,
    UserFactory,
    program_officer,
    seller,
)

pytestmark = pytest.mark.django_db
IMPORTED = IncomeRecord.Source.IMPORTED


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def officer():
    return program_officer()


@pytest.fixture
def shops():
    return EnterpriseFactory(slug="keripik-sari"), EnterpriseFactory(slug="kopi-sindoro")


def csv_file(text: str, *, bom: bool = False, name: str = "income.csv") -> SimpleUploadedFile:
    data = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile(name, data.encode("utf-8"), content_type="text/csv")


def imported() -> dict[tuple[str, str], int]:
    return {(record.enterprise.slug, f"{record.month:%Y-%m}"): record.amount
            for record in IncomeRecord.objects.filter(source=IMPORTED)
            .select_related("enterprise")}


def problems(text: str, user) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        income_import_csv(file=csv_file(text), user=user)
    return caught.value.messages


GOOD = {("keripik-sari", "2025-01"): 1_500_000, ("keripik-sari", "2025-02"): 1_750_000,
        ("kopi-sindoro", "2025-01"): 12_500_000}


@pytest.mark.parametrize(("text", "bom"), [
    pytest.param("enterprise,month,amount\n"
                 "keripik-sari,2025-01,1500000\n"
                 "keripik-sari,2025-02,\"1.750.000\"\n"
                 "kopi-sindoro,2025-01,12500000\n", False, id="commas"),
    pytest.param("enterprise;month;amount;note\r\n"
                 "keripik-sari;2025-01;1.500.000;panen raya\r\n"
                 "keripik-sari;2025-02;1.750.000;\r\n"
                 "kopi-sindoro;2025-01;Rp 12.500.000;\r\n"
                 ";;;\r\n", True, id="semicolons-bom-note-and-blank-line"),
    pytest.param("Usaha;Bulan;Jumlah\n"
                 "KERIPIK-SARI;2025-01-01;1.500.000,00\n"
                 "keripik-sari;2025-2;1750000\n"
                 "kopi-sindoro;2025-01;12,500,000\n", True, id="indonesian-headers"),
])
def test_a_good_file_is_imported(officer, shops, text, bom):
    result = income_import_csv(file=csv_file(text, bom=bom), user=officer)

    assert (result.created, result.updated, result.rows, result.enterprises) == (3, 0, 3, 2)
    assert (result.first_month, result.last_month) == (date(2025, 1, 1), date(2025, 2, 1))
    assert imported() == GOOD


def test_importing_again_replaces_the_imported_figures_and_leaves_other_sources(officer, shops):
    keripik, _kopi = shops
    income_import_csv(file=csv_file("enterprise,month,amount\nkeripik-sari,2025-01,100\n"),
                      user=officer)
    own = IncomeRecordFactory(enterprise=keripik, month=date(2025, 1, 1), amount=999)

    result = income_import_csv(
        file=csv_file("enterprise,month,amount\nkeripik-sari,2025-01,200\n"
                      "keripik-sari,2025-03,300\n"), user=officer)

    assert (result.created, result.updated) == (1, 1)
    assert imported() == {("keripik-sari", "2025-01"): 200, ("keripik-sari", "2025-03"): 300}
    own.refresh_from_db()
    assert own.amount == 999 and own.source == IncomeRecord.Source.SELF_REPORTED


def test_every_bad_row_is_reported_with_its_row_number_and_nothing_is_written(officer, shops):
    next_month = timezone.localdate().replace(day=1) + timedelta(days=32)
    text = (
        "enterprise,month,amount,note\n"           # row 1
        "keripik-sari,2025-01,1500000,ok\n"        # row 2: fine
        "toko-hantu,2025-01,1000\n"                # row 3: unknown enterprise
        "keripik-sari,2025/02,1000\n"              # row 4: bad month
        "keripik-sari,2025-13,1000\n"              # row 5: no such month
        f"keripik-sari,{next_month:%Y-%m},1000\n"  # row 6: future month
        "keripik-sari,2025-03,-5000\n"             # row 7: negative
        "keripik-sari,2025-04,lima juta\n"         # row 8: not a number
        "keripik-sari,2025-01,2000\n"              # row 9: duplicate of row 2
        "kopi-sindoro,2025-01\n"                   # row 10: missing amount
        ",2025-01,1000\n"                          # row 11: missing enterprise
        "\n"                                       # row 12: blank, skipped
        "kopi-sindoro,2025-02,1,500,000\n"         # row 13: unquoted thousands commas
        "toko-hantu,2025-05,1.5\n"                 # row 14: two problems on one row
    )

    messages = problems(text, officer)

    assert messages == [
        'row 3: no enterprise has the address name "toko-hantu"',
        'row 4: the month "2025/02" is not written as YYYY-MM, e.g. 2025-03',
        'row 5: the month "2025-13" does not exist',
        f"row 6: the month {next_month:%Y-%m} is in the future",
        "row 7: the amount -5000 is negative",
        'row 8: the amount "lima juta" is not a whole number of rupiah',
        "row 9: keripik-sari already has 2025-01 on row 2",
        "row 10: the amount is empty",
        "row 11: the enterprise is empty",
        "row 13: the row has more cells than the header has columns (write amounts without "
        "commas, or in quotes)",
        'row 14: the amount "1.5" is not a whole number of rupiah; no enterprise has the '
        'address name "toko-hantu"',
    ]
    assert not IncomeRecord.objects.exists()


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("enterprise,amount\nkeripik-sari,100\n",
                 ['row 1: the column "month" is missing'], id="missing-column"),
    pytest.param("slug;jumlah\n", ['row 1: the column "month" is missing'],
                 id="missing-column-semicolons"),
    pytest.param("", ["The file is empty. The first row must name the columns: enterprise, "
                      "month, amount."], id="empty"),
    pytest.param("enterprise,month,amount\n\n", ["The file has a header but no rows of income."],
                 id="header-only"),
])
def test_a_file_without_its_columns_or_rows_is_refused(officer, shops, text, expected):
    assert problems(text, officer) == expected
    assert not IncomeRecord.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_clearly(officer, shops):
    file = SimpleUploadedFile("income.csv", "enterprise;month;amount\nkeripik-sari;2025-01;"
                              "1.000\nkeripik-sari;2025-02;5 (catatan: café)\n"
                              .encode("utf-16"), content_type="text/csv")
    with pytest.raises(ValidationError, match="not UTF-8"):
        income_import_csv(file=file, user=officer)


def test_limits_on_size_and_rows(officer, shops, monkeypatch):
    big = csv_file("enterprise,month,amount\n" + "x" * income_import.MAX_BYTES)
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        income_import_csv(file=big, user=officer)
    # The size is checked on what is read too, not only on what the upload says.
    unsized = io.BytesIO(b"enterprise,month,amount\n" + b"x" * income_import.MAX_BYTES)
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        income_import_csv(file=unsized, user=officer)

    monkeypatch.setattr(income_import, "MAX_ROWS", 3)
    rows = "".join(f"keripik-sari,2024-{month:02d},1000\n" for month in range(1, 5))
    with pytest.raises(ValidationError, match="more than 3 rows"):
        income_import_csv(file=csv_file("enterprise,month,amount\n" + rows), user=officer)
    assert not IncomeRecord.objects.exists()


def test_a_write_that_fails_leaves_nothing_behind(officer, shops, monkeypatch):
    """The rows are written in one transaction: a failure halfway undoes the first ones."""
    original = IncomeRecord.objects.bulk_create

    def failing(objs, **kwargs):
        original(objs[:1], **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(IncomeRecord.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        income_import_csv(file=csv_file("enterprise,month,amount\nkeripik-sari,2025-01,1\n"
                                        "kopi-sindoro,2025-01,2\n"), user=officer)
    assert not IncomeRecord.objects.exists()


@pytest.mark.parametrize("who", ["seller", "plain user", "inactive officer"])
def test_only_program_officers_may_import(shops, who):
    user = {"seller": lambda: seller()[0], "plain user": UserFactory,
            "inactive officer": lambda: program_officer(is_active=False)}[who]()
    with pytest.raises(PermissionDenied):
        income_import_csv(file=csv_file("enterprise,month,amount\nkeripik-sari,2025-01,1\n"),
                          user=user)
    assert not IncomeRecord.objects.exists()


def test_staff_may_import(shops):
    staff = UserFactory(is_staff=True)
    result = income_import_csv(file=csv_file("enterprise,month,amount\nkeripik-sari,2025-01,1\n"),
                               user=staff)
    assert result.created == 1


# --- The page --------------------------------------------------------------------------------


URL = "/network/income/import/"  # English unprefixed: see the `english` fixture


def test_the_page_is_at_its_address():
    assert reverse("income_import") == "/network/income/import/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (URL, reverse("income_import_template")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(URL, {"file": csv_file("enterprise,month,amount\n")})
    assert response.status_code == 302
    assert not IncomeRecord.objects.exists()


def test_sellers_get_a_403_and_cannot_post(client, shops):
    user, _own = seller()
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("income_import_template")).status_code == 403
    response = client.post(URL, {"file": csv_file("enterprise,month,amount\n"
                                                  "keripik-sari,2025-01,1\n")})
    assert response.status_code == 403
    assert not IncomeRecord.objects.exists()


def test_the_page_explains_the_columns_and_links_the_template(client, officer):
    client.force_login(officer)
    response = client.get(URL)

    assert response.status_code == 200
    text = response.content.decode()
    for words in ("enterprise", "month", "amount", "YYYY-MM", "1.500.000",
                  reverse("income_import_template")):
        assert words in text
    template = client.get(reverse("income_import_template"))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("text/csv")
    assert "attachment" in template["Content-Disposition"]
    body = template.content.decode("utf-8")
    assert body.startswith("\ufeffenterprise;month;amount;note\r\n")


def test_the_template_itself_imports(client, officer):
    EnterpriseFactory(slug="keripik-sari"), EnterpriseFactory(slug="kopi-sindoro-makmur")
    client.force_login(officer)
    template = client.get(reverse("income_import_template")).content

    response = client.post(URL, {"file": SimpleUploadedFile("t.csv", template)}, follow=True)

    assert response.status_code == 200
    assert len(imported()) == 3


def test_a_good_upload_shows_the_counts(client, officer, shops):
    client.force_login(officer)
    response = client.post(URL, {"file": csv_file(
        "enterprise;month;amount\nkeripik-sari;2025-01;1.500.000\nkopi-sindoro;2025-02;900\n",
        bom=True)}, follow=True)

    assert response.redirect_chain[-1][0].endswith(URL)
    text = response.content.decode()
    assert "Imported 2 rows: 2 new, 0 replaced, for 2 enterprises over 2025-01 – 2025-02." in text
    assert len(imported()) == 2


def test_a_failed_upload_lists_every_row_error_and_imports_nothing(client, officer, shops):
    client.force_login(officer)
    response = client.post(URL, {"file": csv_file(
        "enterprise,month,amount\nkeripik-sari,2025-01,100\ntoko-hantu,2025-01,100\n"
        "keripik-sari,2025-02,-1\n")})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was imported: 2 rows need fixing" in text
    assert "row 3: no enterprise has the address name &quot;toko-hantu&quot;" in text
    assert "row 4: the amount -1 is negative" in text
    assert not IncomeRecord.objects.exists()


def test_a_very_bad_file_shows_the_first_errors_and_how_many_more(client, officer, shops,
                                                                  monkeypatch):
    from enterprises.views import income_import as views

    monkeypatch.setattr(views, "ERRORS_SHOWN", 2)
    client.force_login(officer)
    rows = "".join(f"toko-{n},2025-01,1\n" for n in range(5))
    response = client.post(URL, {"file": csv_file("enterprise,month,amount\n" + rows)})

    text = response.content.decode()
    assert "Nothing was imported: 5 rows need fixing" in text
    assert text.count('no enterprise has the address name') == 2
    assert "and 3 more rows." in text


def test_a_too_large_upload_is_a_form_error(client, officer, shops):
    client.force_login(officer)
    big = csv_file("enterprise,month,amount\n" + "x" * income_import.MAX_BYTES)
    response = client.post(URL, {"file": big})

    assert response.status_code == 200
    assert "larger than 2 MB" in response.content.decode()
    assert not IncomeRecord.objects.exists()


def test_no_file_is_a_form_error(client, officer):
    client.force_login(officer)
    response = client.post(URL, {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
