import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import PhotoField
from enterprises.models import Enterprise, EnterpriseSkill, Region, whatsapp_validator

PHONE_CHARACTERS = re.compile(r"[\d\s+().-]*")
BANK_NUMBER_CHARACTERS = re.compile(r"[\d\s.-]*")


class RegencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.parent.name})"


class EnterpriseForm(forms.ModelForm):
    regency = RegencyChoiceField(
        queryset=Region.objects.filter(level=Region.Level.REGENCY).select_related("parent")
        .order_by("parent__name", "name"),
        label=_("Regency or city (kabupaten/kota)"),
    )
    # People write "+62 812-3456-7890" (17 characters); the model checks the cleaned number.
    whatsapp = forms.CharField(
        label=_("WhatsApp number"), required=False, max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0812-3456-7890"}),
    )
    # People copy numbers with spaces and dashes ("0123-01-012345-50-1"); the model keeps digits.
    bank_account_number = forms.CharField(
        label=_("Account number"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    logo_upload = PhotoField(
        label=_("Logo or shop photo"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Enterprise
        fields = [
            "name", "sector", "description", "regency", "district", "village", "whatsapp",
            "year_founded", "people", "bank_name", "bank_account_number", "bank_account_name",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "bank_name": forms.TextInput(attrs={"placeholder": "BRI, BNI, Mandiri, BSI…",
                                                "autocomplete": "off"}),
            "bank_account_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "bank_account_name": _("The name printed in the bank book, so buyers can check it."),
        }

    BANK_FIELDS = ("bank_name", "bank_account_number", "bank_account_name")

    def clean_whatsapp(self):
        """Accept how people write numbers (0812-3456-7890, +62 812...) and store 62812..."""
        typed = self.cleaned_data.get("whatsapp", "")
        if not PHONE_CHARACTERS.fullmatch(typed):
            raise forms.ValidationError(whatsapp_validator.message)
        number = "".join(ch for ch in typed if ch.isdigit())
        if number.startswith("0"):
            number = "62" + number[1:]
        return number

    def clean_bank_account_number(self):
        typed = self.cleaned_data.get("bank_account_number", "").strip()
        if not BANK_NUMBER_CHARACTERS.fullmatch(typed):
            raise forms.ValidationError(_("Digits only, as in the bank book."))
        return "".join(ch for ch in typed if ch.isdigit())

    def clean(self):
        """Bank details are all or none: buyers cannot pay into half an account."""
        cleaned = super().clean()
        filled = [name for name in self.BANK_FIELDS if (cleaned.get(name) or "").strip()]
        if filled and len(filled) < len(self.BANK_FIELDS):
            message = _("To take bank transfers, fill in the bank, the account number and the "
                        "account holder; or leave all three empty.")
            for name in self.BANK_FIELDS:
                if name not in filled and name not in self.errors:
                    self.add_error(name, message)
        return cleaned


class SkillOfferForm(forms.ModelForm):
    class Meta:
        model = EnterpriseSkill
        fields = ["skill", "description", "rate", "rate_unit", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise

    def clean_skill(self):
        skill = self.cleaned_data["skill"]
        offers = self.instance.enterprise.skills.filter(skill=skill).exclude(pk=self.instance.pk)
        if offers.exists():
            raise forms.ValidationError(_("You already offer this skill. Edit that one instead."))
        return skill
