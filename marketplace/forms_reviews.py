from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.services.reviews import REPLY_MAX_LENGTH, TEXT_MAX_LENGTH

RATING_CHOICES = [
    (5, _("5 stars: excellent")),
    (4, _("4 stars: good")),
    (3, _("3 stars: fair")),
    (2, _("2 stars: poor")),
    (1, _("1 star: bad")),
]


class ReviewForm(forms.Form):
    """The buyer's stars and words; services.reviews checks who may write it and when."""

    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5 stars."),
                        "invalid_choice": _("A rating is from 1 to 5 stars.")},
    )
    text = forms.CharField(
        label=_("Your review"), max_length=TEXT_MAX_LENGTH,
        help_text=_("What did you receive, and how was it packed and sent? Other buyers read "
                    "this."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write a few words about what you received.")},
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"), max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your reply.")},
    )
