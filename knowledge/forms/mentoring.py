import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.filters import region_filters
from enterprises.models import Skill
from knowledge.models import MentoringOffer
from knowledge.services.mentoring import (
    DESCRIPTION_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    RESPONSE_MAX_LENGTH,
)


class MentoringOfferFilter(region_filters("mentor__")):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    skill = django_filters.ModelChoiceFilter(
        queryset=Skill.objects.all(), to_field_name="slug", label=_("Skill")
    )

    class Meta:
        model = MentoringOffer
        fields = []

    def filter_text(self, queryset, name, value):
        for term in value.split()[:8]:
            queryset = queryset.filter(
                Q(skill__name__icontains=term) | Q(skill__name_en__icontains=term)
                | Q(description__icontains=term) | Q(mentor__name__icontains=term)
            )
        return queryset


class EnterpriseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MentoringOfferForm(forms.Form):
    """What the mentor teaches. The enterprise is chosen only when a new offer is made by someone
    who runs several; services.mentoring checks who may save it."""

    mentor = EnterpriseChoiceField(queryset=None, label=_("Mentoring as"), empty_label=None)
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("name"), label=_("Skill"),
        error_messages={"required": _("Choose the skill you can teach.")},
    )
    description = forms.CharField(
        label=_("What you can teach"), required=False, max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("For example: photographing products with a phone by a window; writing "
                    "a shop description that sells."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_active = forms.BooleanField(
        label=_("Taking requests"), required=False, initial=True,
        help_text=_("Untick to pause the offer: it leaves the mentoring list until you tick "
                    "it again."),
    )

    def __init__(self, *args, enterprises, offer: MentoringOffer | None = None, **kwargs):
        if offer is not None:
            kwargs.setdefault("initial", {
                "skill": offer.skill_id, "description": offer.description,
                "is_active": offer.is_active,
            })
        super().__init__(*args, **kwargs)
        self.fields["skill"].label_from_instance = lambda skill: skill.display_name
        if offer is not None or len(enterprises) == 1:
            # Fixed: an offer stays with its enterprise; a single enterprise needs no choice.
            del self.fields["mentor"]
        else:
            self.fields["mentor"].queryset = enterprises


class MentoringRequestForm(forms.Form):
    mentee = EnterpriseChoiceField(
        queryset=None, label=_("Asking as"), empty_label=None,
        help_text=_("The enterprise that will learn: the mentoring tie is recorded for it."),
        error_messages={"invalid_choice": _("Choose one of your enterprises that has not asked "
                                            "this mentor yet.")},
    )
    message = forms.CharField(
        label=_("What would you like to learn?"), max_length=MESSAGE_MAX_LENGTH,
        help_text=_("A few sentences about your enterprise and what you need help with."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tell the mentor what you would like to learn.")},
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = enterprises
        if len(enterprises) == 1:
            self.fields["mentee"].widget = forms.HiddenInput()
            self.fields["mentee"].initial = enterprises[0].pk


class MentoringDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    response = forms.CharField(
        label=_("Your answer"), required=False, max_length=RESPONSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
