from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images.fields import WagtailImageField

from enterprises.models import Enterprise, EnterpriseSkill, Region


class RegencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.parent.name})"


class EnterpriseForm(forms.ModelForm):
    regency = RegencyChoiceField(
        queryset=Region.objects.filter(level=Region.Level.REGENCY).select_related("parent")
        .order_by("parent__name", "name"),
        label=_("Regency or city (kabupaten/kota)"),
    )
    logo_upload = WagtailImageField(
        label=_("Logo or shop photo"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Enterprise
        fields = [
            "name", "sector", "description", "regency", "district", "village", "whatsapp",
            "year_founded", "people",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "whatsapp": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "6281234567890"}),
        }

    def clean_whatsapp(self):
        """Accept how people write numbers (0812-3456-7890, +62 812...) and store 62812..."""
        number = "".join(ch for ch in self.cleaned_data.get("whatsapp", "") if ch.isdigit())
        if number.startswith("0"):
            number = "62" + number[1:]
        return number


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
