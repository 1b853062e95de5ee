from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import Category, JointOffer


class JointOfferForm(forms.ModelForm):
    """A manager publishes a joint offer. Only subcategories: products live in them."""

    class Meta:
        model = JointOffer
        fields = ["title", "category", "grade", "description", "unit", "target_quantity",
                  "price_per_unit", "delivery_from", "delivery_until"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "target_quantity": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "price_per_unit": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "delivery_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "delivery_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            parent__isnull=False
        ).select_related("parent").order_by("parent__sort_order", "sort_order", "name")


class PledgeForm(forms.Form):
    # One form per member enterprise of the user; the page names the enterprise.
    enterprise = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=10_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class PledgeWithdrawForm(forms.Form):
    """Which of the user's member enterprises withdraws."""

    enterprise = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
