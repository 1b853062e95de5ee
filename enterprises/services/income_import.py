"""CSV import of monthly income for programmes that already collect it (issue 6).

A file has one row per enterprise and month: `enterprise` (its slug, the last part of its address
on Guyub), `month` (YYYY-MM) and `amount` (whole rupiah, "1.500.000" or "1500000"); other columns
(notes) are ignored. Comma or semicolon separated (Indonesian spreadsheets save with semicolons),
UTF-8 with or without a byte-order mark. Every row is checked first and every problem reported
as "row N: ..." (the header is row 1, as in the spreadsheet); nothing is written unless every row
is good, and then all rows are written in one transaction, as source "imported", replacing what
an earlier import said for the same enterprise and month."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, IncomeRecord
from enterprises.selectors import user_is_program_officer

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 50_000
MAX_AMOUNT = 10**12  # Rp 1 trillion a month: anything above is a typing slip
FIRST_MONTH = date(2000, 1, 1)
BATCH = 900  # ids per IN (...) query, under SQLite's smallest variable limit
# Column names people write, in English and Indonesian.
COLUMNS = {
    "enterprise": ("enterprise", "usaha", "slug"),
    "month": ("month", "bulan"),
    "amount": ("amount", "jumlah", "pendapatan", "income"),
}
MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
# Digits with dots or commas between thousands, optionally ",00" or ".00" for the sen.
AMOUNT = re.compile(r"^(\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+)(?:[.,]0{1,2})?$")


@dataclass(frozen=True)
class IncomeImportResult:
    created: int
    updated: int
    enterprises: int
    first_month: date | None
    last_month: date | None

    @property
    def rows(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class _Row:
    number: int
    slug: str
    month: date
    amount: int


class _Problems:
    """Messages by row number, reported in row order, one line per row."""

    def __init__(self):
        self.by_row: dict[int, list[str]] = {}

    def add(self, number: int, message: str) -> None:
        self.by_row.setdefault(number, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_row)

    def messages(self) -> list[str]:
        return [_("row %(number)s: %(message)s") % {"number": number,
                                                     "message": "; ".join(messages)}
                for number, messages in sorted(self.by_row.items())]


def _text(file) -> str:
    file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 2 MB. Split it into smaller files and import each."),
            code="too_large")
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. In your spreadsheet, save it as \"CSV UTF-8\"."),
            code="encoding") from None


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _columns(header: list[str]) -> tuple[dict[str, int], _Problems]:
    """Where each needed column is, and what is missing."""
    names = [name.strip().lower() for name in header]
    found, problems = {}, _Problems()
    for column, aliases in COLUMNS.items():
        index = next((i for i, name in enumerate(names) if name in aliases), None)
        if index is None:
            problems.add(1, _("the column \"%(column)s\" is missing") % {"column": column})
        else:
            found[column] = index
    return found, problems


def _parse_month(value: str, *, this_month: date) -> tuple[date | None, str]:
    match = MONTH.match(value)
    if match is None:
        return None, _("the month \"%(value)s\" is not written as YYYY-MM, e.g. 2025-03") % {
            "value": value}
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return None, _("the month \"%(value)s\" does not exist") % {"value": value}
    first = date(year, month, 1)
    if first > this_month:
        return None, _("the month %(value)s is in the future") % {"value": value}
    if first < FIRST_MONTH:
        return None, _("the month %(value)s is before 2000") % {"value": value}
    return first, ""


def _parse_amount(value: str) -> tuple[int | None, str]:
    text = value.replace(" ", "").replace("\u00a0", "")
    if text[:2].lower() == "rp":
        text = text[2:]
    if text.startswith("-") and AMOUNT.match(text[1:]):
        return None, _("the amount %(value)s is negative") % {"value": value}
    match = AMOUNT.match(text)
    if match is None:
        return None, _("the amount \"%(value)s\" is not a whole number of rupiah") % {
            "value": value}
    amount = int(re.sub(r"[.,]", "", match[1]))
    if amount > MAX_AMOUNT:
        return None, _("the amount %(value)s is too large") % {"value": value}
    return amount, ""


def _read_rows(text: str) -> tuple[list[_Row], _Problems]:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        header = []
    if not any(cell.strip() for cell in header):
        raise ValidationError(_("The file is empty. The first row must name the columns: "
                                "enterprise, month, amount."), code="empty")
    columns, problems = _columns(header)
    if problems:
        raise ValidationError(problems.messages(), code="columns")
    this_month = timezone.localdate().replace(day=1)
    rows, seen = [], {}
    data_rows = 0
    try:
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank lines spreadsheets leave at the end
            data_rows += 1
            if data_rows > MAX_ROWS:
                raise ValidationError(
                    _("The file has more than %(max)s rows. Split it into smaller files.")
                    % {"max": f"{MAX_ROWS:,}".replace(",", ".")}, code="too_many_rows")
            row_errors = []
            if any(cell.strip() for cell in cells[len(header):]):
                # Often "1,500,000" unquoted in a comma-separated file, read as three cells.
                row_errors.append(_("the row has more cells than the header has columns "
                                    "(write amounts without commas, or in quotes)"))
            values = {}
            for column, index in columns.items():
                value = cells[index].strip() if index < len(cells) else ""
                if not value:
                    row_errors.append(_("the %(column)s is empty") % {"column": column})
                values[column] = value
            month = amount = None
            if values["month"]:
                month, message = _parse_month(values["month"], this_month=this_month)
                if message:
                    row_errors.append(message)
            if values["amount"]:
                amount, message = _parse_amount(values["amount"])
                if message:
                    row_errors.append(message)
            slug = values["enterprise"].lower()
            if slug and month is not None:
                earlier = seen.setdefault((slug, month), number)
                if earlier != number:
                    row_errors.append(
                        _("%(enterprise)s already has %(month)s on row %(row)s")
                        % {"enterprise": slug, "month": f"{month:%Y-%m}", "row": earlier})
            for message in row_errors:
                problems.add(number, message)
            if not row_errors:
                rows.append(_Row(number=number, slug=slug, month=month, amount=amount))
            elif slug:
                # Still check the enterprise, so every problem is reported at once.
                rows.append(_Row(number=number, slug=slug, month=None, amount=None))
    except csv.Error as error:
        problems.add(reader.line_num, _("the row cannot be read (%(error)s)") % {"error": error})
    if data_rows == 0 and not problems:
        raise ValidationError(_("The file has a header but no rows of income."), code="empty")
    return rows, problems


def _enterprise_ids(slugs: set[str]) -> dict[str, int]:
    found = {}
    ordered = sorted(slugs)
    for start in range(0, len(ordered), BATCH):
        found.update(Enterprise.objects.filter(slug__in=ordered[start:start + BATCH])
                     .values_list("slug", "id"))
    return found


def _existing(keys: set[tuple[int, date]]) -> set[tuple[int, date]]:
    """Which (enterprise id, month) pairs already have an imported record."""
    existing = set()
    ids = sorted({enterprise_id for enterprise_id, _month in keys})
    months = [month for _id, month in keys]
    for start in range(0, len(ids), BATCH):
        existing.update(IncomeRecord.objects.filter(
            source=IncomeRecord.Source.IMPORTED, enterprise_id__in=ids[start:start + BATCH],
            month__gte=min(months), month__lte=max(months),
        ).values_list("enterprise_id", "month"))
    return existing & keys


def income_import_csv(*, file, user) -> IncomeImportResult:
    """Import the income in `file` (an uploaded file or any binary file object). Raises
    PermissionDenied for anyone but a program officer, and ValidationError listing every problem
    (nothing written) when any row is wrong."""
    if not user_is_program_officer(user=user):
        raise PermissionDenied(_("Only program officers may import income."))
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 2 MB. Split it into smaller files and import each."),
            code="too_large")
    rows, problems = _read_rows(_text(file))
    ids = _enterprise_ids({row.slug for row in rows})
    for row in rows:
        if row.slug not in ids:
            problems.add(row.number, _("no enterprise has the address name \"%(slug)s\"")
                         % {"slug": row.slug})
    if problems:
        raise ValidationError(problems.messages(), code="rows")
    return _write(rows=[row for row in rows if row.month is not None], ids=ids)


@transaction.atomic
def _write(*, rows: list[_Row], ids: dict[str, int]) -> IncomeImportResult:
    keys = {(ids[row.slug], row.month) for row in rows}
    existing = _existing(keys)
    IncomeRecord.objects.bulk_create(
        [IncomeRecord(enterprise_id=ids[row.slug], month=row.month, amount=row.amount,
                      source=IncomeRecord.Source.IMPORTED) for row in rows],
        update_conflicts=True, unique_fields=["enterprise", "month", "source"],
        update_fields=["amount", "updated_at"], batch_size=1000,
    )
    months = [row.month for row in rows]
    return IncomeImportResult(
        created=len(keys - existing), updated=len(existing),
        enterprises=len({enterprise_id for enterprise_id, _month in keys}),
        first_month=min(months), last_month=max(months),
    )
