from urllib.parse import urlparse

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import BulkOrder, Product
from marketplace.payments import available_methods


class BulkOrderForm(forms.ModelForm):
    """A manager opens a bulk order. The Guyub product is given by its link (or slug): a select
    of every product would be far too long on a phone."""

    product_link = forms.CharField(
        label=_("Guyub product"), required=False, max_length=300,
        help_text=_("Paste the product's link on Guyub, or leave empty for an outside supplier."),
    )

    class Meta:
        model = BulkOrder
        fields = ["title", "product_link", "supplier_name", "description", "unit",
                  "package_size", "price_per_unit", "min_packages", "deadline"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "package_size": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "price_per_unit": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "min_packages": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                            format="%Y-%m-%dT%H:%M"),
        }

    def clean_product_link(self) -> Product | None:
        link = self.cleaned_data["product_link"].strip()
        if not link:
            return None
        slug = urlparse(link).path.rstrip("/").rsplit("/", 1)[-1]
        product = Product.objects.filter(slug=slug, is_active=True).first()
        if product is None:
            raise forms.ValidationError(_("No product on Guyub has this link."))
        return product


class CommitmentForm(forms.Form):
    # One form per member enterprise of the user; the page names the enterprise.
    enterprise = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    tolerance = forms.IntegerField(
        label=_("Tolerance"), min_value=0, initial=0, required=False,
        help_text=_("How much more you would accept so that a package fills."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises

    def clean_tolerance(self) -> int:
        return self.cleaned_data["tolerance"] or 0


class EnterpriseChoiceForm(forms.Form):
    """Which of the user's member enterprises withdraws."""

    enterprise = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class AllocationPaymentForm(forms.Form):
    """A member pays its allocation: how, and where the cooperative delivers (or who picks it
    up). One form per paying enterprise of the user; the page names the enterprise."""

    enterprise = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    payment_method = forms.ChoiceField(label=_("How you pay"),
                                       widget=forms.RadioSelect)
    recipient_name = forms.CharField(label=_("Recipient"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel",
                                                          "autocomplete": "tel"}))
    address = forms.CharField(label=_("Address"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    village = forms.CharField(label=_("Village (desa/kelurahan)"), max_length=120,
                              required=False)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        methods = available_methods()
        self.fields["payment_method"].choices = [(method.value, method.label)
                                                 for method in methods]
        self.fields["payment_method"].initial = methods[0].value

    @property
    def delivery(self) -> dict:
        return {key: self.cleaned_data[key].strip()
                for key in ("recipient_name", "phone", "address", "village", "notes")}
