import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import SharedResource


class ResourceForm(forms.ModelForm):
    class Meta:
        model = SharedResource
        fields = [
            "name", "kind", "description", "usage_rules", "cost_per_use", "cost_per_hour",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "usage_rules": forms.Textarea(attrs={"rows": 4}),
            "cost_per_use": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "cost_per_hour": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }


class BookingForm(forms.Form):
    """A slot on one day, in Jakarta time. Phones show native date and time pickers."""

    enterprise = forms.ModelChoiceField(queryset=None, label=_("Book for"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.only_enterprise = enterprises.first() if len(enterprises) == 1 else None
        if self.only_enterprise:  # most users run one enterprise: nothing to choose
            self.fields["enterprise"].required = False
            self.fields["enterprise"].widget = forms.HiddenInput()

    def clean_enterprise(self):
        return self.only_enterprise or self.cleaned_data["enterprise"]

    def clean(self):
        data = super().clean()
        if not all(data.get(key) for key in ("date", "start", "end")):
            return data
        zone = timezone.get_default_timezone()
        data["starts_at"] = datetime.datetime.combine(data["date"], data["start"], tzinfo=zone)
        data["ends_at"] = datetime.datetime.combine(data["date"], data["end"], tzinfo=zone)
        if data["ends_at"] <= data["starts_at"]:
            self.add_error("end", _("The end must be after the start."))
        elif data["starts_at"] < timezone.now():
            self.add_error("start", _("This time has already passed."))
        return data
