"""Programme officers import monthly income from a CSV file (/network/income/import/).

Only staff and program officers: anyone else logged in gets a 403, anonymous visitors are sent to
log in. A file with any bad row is refused whole, and every problem is listed by row number."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from enterprises.forms_income import IncomeImportForm
from enterprises.selectors import user_is_program_officer
from enterprises.services.income_import import income_import_csv

ERRORS_SHOWN = 200
# The downloadable template: semicolons, which Excel set to Indonesian expects, and a BOM so
# it reads the file as UTF-8.
TEMPLATE_ROWS = (
    ("enterprise", "month", "amount", "note"),
    ("keripik-sari", "2025-01", "1.500.000", "catatan boleh diisi"),
    ("keripik-sari", "2025-02", "1.750.000", ""),
    ("kopi-sindoro-makmur", "2025-01", "12500000", ""),
)


def _require_officer(request) -> None:
    if not user_is_program_officer(user=request.user):
        raise PermissionDenied(_("Only program officers may import income."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def income_import(request):
    _require_officer(request)
    posted = request.method == "POST"
    form = IncomeImportForm(request.POST, request.FILES) if posted else IncomeImportForm()
    errors = []
    if posted and form.is_valid():
        try:
            result = income_import_csv(file=form.cleaned_data["file"], user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            months = (f"{result.first_month:%Y-%m}" if result.first_month == result.last_month
                      else f"{result.first_month:%Y-%m} – {result.last_month:%Y-%m}")
            messages.success(request, _(
                "Imported %(rows)s: %(created)s new, %(updated)s replaced, for %(enterprises)s "
                "over %(months)s.") % {
                "rows": ngettext("%(count)s row", "%(count)s rows", result.rows)
                % {"count": result.rows},
                "created": result.created, "updated": result.updated,
                "enterprises": ngettext("%(count)s enterprise", "%(count)s enterprises",
                                        result.enterprises) % {"count": result.enterprises},
                "months": months,
            })
            return redirect("income_import")
    return render(request, "enterprises/income_import.html", {
        "form": form,
        "errors": errors[:ERRORS_SHOWN],
        "errors_total": len(errors),
        "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
        "example": TEMPLATE_ROWS[:3],
    })


@login_required
@require_safe
def income_import_template(request):
    _require_officer(request)
    text = "\ufeff" + "".join(";".join(row) + "\r\n" for row in TEMPLATE_ROWS)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="guyub-income-import.csv"'
    return response
