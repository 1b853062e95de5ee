import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import PhotoField
from marketplace.models import OrderPart, PaymentMethod
from marketplace.payments import available_methods

PHONE_CHARACTERS = re.compile(r"[\d\s+().-]*")
# Numbers as Indonesians write them, once the spaces and dashes are gone: 0812..., 62812...
INDONESIAN_PHONE = re.compile(r"08\d{7,11}|62[1-9]\d{7,11}")

PAYMENT_EXPLANATIONS = {
    PaymentMethod.BANK_TRANSFER: _(
        "Pay each seller to their own bank account, shown after you order, then upload a photo "
        "or screenshot of the transfer. The seller confirms when the money arrives."
    ),
    PaymentMethod.CASH: _("Pay the seller in cash when the goods are delivered or picked up."),
    PaymentMethod.STRIPE: _(
        "Pay now by card or e-wallet through Stripe, a secure payment page. Guyub passes the "
        "money on to each seller."
    ),
}


class QuantityForm(forms.Form):
    """Adding a product to the cart (at least 1) or changing a line (0 removes it)."""

    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=0, max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class CheckoutForm(forms.Form):
    """Delivery details, how each seller hands over the goods, and how the buyer pays. The
    per-seller fields are added for the sellers in the cart: fulfilment_<id> and note_<id>."""

    recipient_name = forms.CharField(label=_("Recipient's name"), max_length=120)
    phone = forms.CharField(
        label=_("Phone number"), max_length=32,
        help_text=_("The sellers call or message this number about the delivery."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                      "placeholder": "0812-3456-7890"}),
    )
    address = forms.CharField(
        label=_("Address"), required=False,
        help_text=_("Street, house number, RT/RW, district and city. Not needed if you pick "
                    "everything up."),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    village = forms.CharField(label=_("Village (desa/kelurahan)"), max_length=120,
                              required=False)
    notes = forms.CharField(
        label=_("Notes for the delivery"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    buyer_enterprise = forms.ModelChoiceField(
        label=_("Buying as"), queryset=None, required=False, empty_label=_("Myself"),
        help_text=_("Buy for one of your enterprises: its name appears on the receipt."),
    )
    payment_method = forms.ChoiceField(label=_("How will you pay?"),
                                       widget=forms.RadioSelect)

    def __init__(self, *args, sellers, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.sellers = list(sellers)
        self.fields["payment_method"].choices = [(m.value, m.label) for m in available_methods()]
        if enterprises.exists():
            self.fields["buyer_enterprise"].queryset = enterprises
        else:
            del self.fields["buyer_enterprise"]
        for seller in self.sellers:
            self.fields[f"fulfilment_{seller.pk}"] = forms.ChoiceField(
                label=_("Delivery or pickup"), choices=OrderPart.Fulfilment.choices,
                initial=OrderPart.Fulfilment.DELIVERY, widget=forms.RadioSelect,
            )
            self.fields[f"note_{seller.pk}"] = forms.CharField(
                label=_("Note to %(seller)s") % {"seller": seller.name}, required=False,
                max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_phone(self) -> str:
        """Accept 0812-3456-7890 or +62 812 3456 7890; store 6281234567890, the form WhatsApp
        links need."""
        typed = self.cleaned_data["phone"].strip()
        number = "".join(ch for ch in typed if ch.isdigit())
        if not PHONE_CHARACTERS.fullmatch(typed) or not INDONESIAN_PHONE.fullmatch(number):
            raise forms.ValidationError(
                _("Enter an Indonesian phone number, e.g. 0812-3456-7890 or +62 812-3456-7890."),
                code="phone",
            )
        return "62" + number[1:] if number.startswith("0") else number

    def clean(self):
        cleaned = super().clean()
        delivered = any(cleaned.get(f"fulfilment_{seller.pk}") == OrderPart.Fulfilment.DELIVERY
                        for seller in self.sellers)
        if delivered and not (cleaned.get("address") or "").strip():
            self.add_error("address", _("Enter the delivery address, or choose pickup."))
        return cleaned

    def seller_fields(self) -> list[tuple]:
        """(seller, fulfilment field, note field) for the page, one group per seller."""
        return [(seller, self[f"fulfilment_{seller.pk}"], self[f"note_{seller.pk}"])
                for seller in self.sellers]

    def payment_options(self) -> list[tuple]:
        """(radio button, explanation) per payment method."""
        return [(radio, PAYMENT_EXPLANATIONS.get(radio.data["value"], ""))
                for radio in self["payment_method"]]

    def delivery(self) -> dict:
        return {name: self.cleaned_data.get(name, "")
                for name in ("recipient_name", "phone", "address", "village", "notes")}

    def parts(self) -> dict[int, dict]:
        return {seller.pk: {"fulfilment": self.cleaned_data[f"fulfilment_{seller.pk}"],
                            "note_to_seller": self.cleaned_data[f"note_{seller.pk}"]}
                for seller in self.sellers}


class TransferProofForm(forms.Form):
    proof = PhotoField(
        label=_("Photo or screenshot of the transfer"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
