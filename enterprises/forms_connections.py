"""Forms of the "Your network" page: who referred us, "we work together", and the monthly
income an enterprise reports. Enterprises are chosen by name: a search (GET `q`) lists matches,
each with a button that posts its slug."""

import re
from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import CollaborationRequest, Enterprise
from enterprises.services.income import INCOME_REPORT_MAX, INCOME_REPORT_MONTHS_BACK


class ReferredByForm(forms.Form):
    referrer = forms.ModelChoiceField(
        queryset=Enterprise.objects.filter(is_active=True), to_field_name="slug",
        label=_("Referred by"),
        error_messages={"required": _("Choose the enterprise that told you about Guyub."),
                        "invalid_choice": _("That enterprise is not on Guyub (any more).")},
    )


class CollaborationRequestForm(forms.Form):
    enterprise = forms.CharField(
        label=_("Enterprise you work with"), max_length=140,
        help_text=_("Its name, or the last part of its Guyub address."),
        error_messages={"required": _("Write the name of the enterprise you work with.")},
    )
    note = forms.CharField(
        label=_("How you work together"), required=False,
        max_length=CollaborationRequest._meta.get_field("note").max_length,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. they sew our batik bags")}),
    )

    def clean_enterprise(self) -> Enterprise:
        text = self.cleaned_data["enterprise"].strip()
        active = Enterprise.objects.filter(is_active=True)
        found = active.filter(slug=text.lower()).first()
        if found is None:
            named = list(active.filter(name__iexact=text)[:2])
            if len(named) > 1:
                raise forms.ValidationError(
                    _("Several enterprises are called %(name)s. Search, then choose one."),
                    params={"name": text}, code="ambiguous")
            found = named[0] if named else None
        if found is None:
            raise forms.ValidationError(
                _("No enterprise called %(name)s. Search for it by name, then choose it."),
                params={"name": text}, code="not_found")
        return found


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month as <input type="month"> sends it (2026-03), as the first day of the month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class RupiahField(forms.IntegerField):
    """Whole rupiah, typed as people write it: 1500000, 1.500.000 or Rp 1.500.000."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"(?i)^\s*rp\.?|[\s.,]", "", value)
        return super().to_python(value)


class IncomeReportForm(forms.Form):
    month = MonthField(
        label=_("Month"),
        error_messages={"invalid": _("Choose a month, e.g. 2026-03.")},
    )
    amount = RupiahField(
        label=_("Income outside Guyub (Rp)"), min_value=0, max_value=INCOME_REPORT_MAX,
        help_text=_("Sales at the market, to shops and neighbours. Sales on Guyub are counted "
                    "for you, so leave them out."),
        error_messages={"invalid": _("Write the amount in whole rupiah, e.g. 1.500.000.")},
    )

    def __init__(self, *args, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        this_month = timezone.localdate().replace(day=1)
        earliest = date(this_month.year - INCOME_REPORT_MONTHS_BACK // 12, this_month.month, 1)
        self.fields["month"].widget.attrs.update(
            {"max": this_month.strftime("%Y-%m"), "min": earliest.strftime("%Y-%m")}
        )


def month_last() -> date:
    """The month before this one: the one people report at the start of a month."""
    this_month = timezone.localdate().replace(day=1)
    return (this_month - timedelta(days=1)).replace(day=1)
