from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import PhotoField
from enterprises.forms import RegencyChoiceField
from enterprises.models import Cooperative, Enterprise, Membership, Region


class CooperativeForm(forms.ModelForm):
    regency = RegencyChoiceField(
        queryset=Region.objects.filter(level=Region.Level.REGENCY).select_related("parent")
        .order_by("parent__name", "name"),
        label=_("Regency or city (kabupaten/kota)"),
    )
    logo_upload = PhotoField(
        label=_("Logo"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Cooperative
        fields = [
            "name", "description", "regency", "year_founded", "statutes",
            "joint_offer_fee_percent",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "statutes": forms.Textarea(attrs={"rows": 8}),
        }


class CooperativeCreateForm(CooperativeForm):
    """Founding a cooperative: one of the user's enterprises becomes its first manager."""

    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), to_field_name="slug",
        label=_("Founding enterprise"),
        help_text=_("Your enterprise becomes the cooperative's first manager (pengurus)."),
    )

    field_order = ["enterprise"]

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        if len(enterprises) == 1:
            self.fields["enterprise"].initial = enterprises[0].slug


class EnterpriseChoiceForm(forms.Form):
    """The enterprise an apply or invite button acts for, posted by slug."""

    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.filter(is_active=True), to_field_name="slug",
        label=_("Enterprise"),
    )

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is not None:
            self.fields["enterprise"].queryset = enterprises


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices, label=_("Role"))
