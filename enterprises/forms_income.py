"""Forms for programmes' income data (issue 6)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.services.income_import import MAX_BYTES


class IncomeImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Comma or semicolon separated, saved as CSV UTF-8; at most 2 MB and "
                    "50.000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 2 MB. Split it into smaller files and import each."),
                code="too_large")
        return file
