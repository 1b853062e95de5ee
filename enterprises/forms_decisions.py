from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Proposal
from enterprises.selectors.decisions import option_label

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EnterpriseChoiceField(forms.ModelChoiceField):
    """Which of the user's enterprises acts; hidden when there is only one."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset=queryset, empty_label=None, **kwargs)
        if len(queryset) == 1:
            self.widget = forms.HiddenInput()
            self.initial = queryset[0].pk


class ProposalForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Options"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty for Yes / No. Or write 2 to 10 options, one per line. "
                    "Abstain is always added."),
    )

    class Meta:
        model = Proposal
        fields = ["title", "body", "opens_at", "closes_at", "quorum_percent",
                  "pass_threshold_percent"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "opens_at": DATETIME_WIDGET,
            "closes_at": DATETIME_WIDGET,
        }

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = EnterpriseChoiceField(
            queryset=enterprises, label=_("Raised by")
        )
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["opens_at"].initial = now
        self.fields["closes_at"].initial = now + timedelta(days=7)
        for name in ("quorum_percent", "pass_threshold_percent"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 1, "max": 100})
        self.order_fields(["enterprise", "title", "body", "options"])

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines()
                if line.strip()]

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("Voting must close after it opens."))
        return cleaned


class VoteForm(forms.Form):
    option = forms.ChoiceField(label=_("Choose one option"), widget=forms.RadioSelect)

    def __init__(self, *args, proposal, enterprises, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {option.pk: option for option in proposal.options.all()}
        self.fields["option"].choices = [
            (pk, option_label(option)) for pk, option in self.options.items()
        ]
        if current is not None:
            self.fields["option"].initial = current.option_id
        self.fields["enterprise"] = EnterpriseChoiceField(
            queryset=enterprises, label=_("Vote for")
        )
        self.order_fields(["enterprise", "option"])

    def clean_option(self):
        return self.options[int(self.cleaned_data["option"])]
