"""Forms of the seller's order pages and the staff payout queue."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from marketplace.models import OrderPart

Status = OrderPart.Status


class SaleFilterForm(forms.Form):
    """The sales list's tab and, for people running several enterprises, which one."""

    TABS = [
        ("", _("All")),
        ("action", _("Needs action")),
        ("placed", _("New")),
        ("confirmed", _("Confirmed")),
        ("sent", _("Shipped or ready")),
        ("completed", _("Completed")),
        ("cancelled", _("Cancelled")),
    ]

    status = forms.ChoiceField(choices=TABS, required=False)
    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), to_field_name="slug", required=False,
        empty_label=_("All my enterprises"), label=_("Enterprise"),
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class AdvanceForm(forms.Form):
    to_status = forms.ChoiceField(choices=[
        (Status.CONFIRMED, Status.CONFIRMED.label),
        (Status.SHIPPED, Status.SHIPPED.label),
        (Status.READY, Status.READY.label),
        (Status.COMPLETED, Status.COMPLETED.label),
    ])


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling?"), max_length=1000,
        help_text=_("The buyer reads this. Whatever they paid is refunded."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tell the buyer why you are cancelling.")},
    )


class RefundForm(forms.Form):
    """How many of each line to refund. Lines are numbered by their id (`line_<id>`)."""

    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The buyer reads this, e.g. “2 packs arrived broken”."),
        error_messages={"required": _("Tell the buyer why you are refunding.")},
    )

    def __init__(self, *args, part: OrderPart, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in part.lines.all() if line.kept_quantity > 0]
        for line in self.lines:
            self.fields[self.field_name(line)] = forms.IntegerField(
                label=line.title, min_value=0, max_value=line.kept_quantity, initial=0,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.order_fields([self.field_name(line) for line in self.lines] + ["reason"])

    @staticmethod
    def field_name(line) -> str:
        return f"line_{line.pk}"

    def line_fields(self):
        """(line, bound field) pairs for the template."""
        return [(line, self[self.field_name(line)]) for line in self.lines]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.quantities():
            raise forms.ValidationError(_("Choose how many of at least one item to refund."))
        return cleaned

    def quantities(self) -> dict[int, int]:
        """{order line id: quantity to refund} for the lines with something to refund."""
        return {
            line.pk: self.cleaned_data[self.field_name(line)]
            for line in self.lines if self.cleaned_data.get(self.field_name(line))
        }


class PayoutForm(forms.Form):
    """Staff record a bank transfer the platform made to a seller."""

    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.all(),
                                        widget=forms.HiddenInput)
    amount = forms.IntegerField(label=_("Amount paid (Rp)"), min_value=1,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    reference = forms.CharField(label=_("Bank reference"), max_length=255,
                                help_text=_("The transfer's reference number on the receipt."))
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)
