"""Forum forms. They check the shape of what was typed; knowledge.services.forum decides the
rest (limits, permissions) and its errors are added to the same fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from knowledge.models import ForumCategory, PostReport, Thread
from knowledge.services.forum import (
    BODY_MAX_LENGTH,
    BODY_MIN_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
)

FORMATTING_HINT = _(
    "Blank line: new paragraph. **bold**, _italic_. Web addresses become links. Mention an "
    "enterprise with @ and its address name, e.g. @keripik-sari: its people are told."
)


def _body_field(label):
    return forms.CharField(
        label=label, min_length=BODY_MIN_LENGTH, max_length=BODY_MAX_LENGTH,
        strip=True, help_text=FORMATTING_HINT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your text."),
                        "min_length": _("Write at least %(limit_value)d characters.")},
    )


class PostingAsMixin:
    """An optional "posting as" choice among the enterprises the user runs; the field is left
    out for people who run none."""

    def _add_enterprise_field(self, enterprises) -> None:
        enterprises = list(enterprises) if enterprises is not None else []
        if not enterprises:
            return
        field = forms.ModelChoiceField(
            queryset=Enterprise.objects.filter(pk__in=[e.pk for e in enterprises]),
            required=False, label=_("Posting as"), to_field_name="slug",
            empty_label=_("Myself"),
            help_text=_("Post for one of your enterprises: its name and link appear with "
                        "your post."),
        )
        field.choices = [("", _("Myself"))] + [(e.slug, e.name) for e in enterprises]
        self.fields["enterprise"] = field


class ThreadForm(PostingAsMixin, forms.Form):
    category = forms.ModelChoiceField(
        queryset=ForumCategory.objects.all(), to_field_name="slug", label=_("Category"),
        empty_label=None,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Thread.Kind.choices, initial=Thread.Kind.DISCUSSION,
        widget=forms.RadioSelect,
        help_text=_("A question can get an accepted answer, chosen by you."),
    )
    title = forms.CharField(
        label=_("Title"), min_length=TITLE_MIN_LENGTH, max_length=TITLE_MAX_LENGTH,
        help_text=_("Say it in one line, e.g. “Where can I buy standing pouches in bulk?”"),
        error_messages={"required": _("Give your thread a title."),
                        "min_length": _("Write at least %(limit_value)d characters.")},
    )
    body = _body_field(_("Your text"))

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_enterprise_field(enterprises)


class ReplyForm(PostingAsMixin, forms.Form):
    body = _body_field(_("Your reply"))

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_enterprise_field(enterprises)
        self.fields["body"].widget.attrs["rows"] = 5


class PostEditForm(forms.Form):
    body = _body_field(_("Your text"))


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why?"), choices=PostReport.Reason.choices)
    note = forms.CharField(label=_("Note for the moderators"), required=False,
                           max_length=NOTE_MAX_LENGTH)


class HideForm(forms.Form):
    """A moderator hides (hidden=1, with a reason) or shows again (hidden=0) a post."""

    hidden = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1",
                                    initial="1", widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASON_MAX_LENGTH,
                             help_text=_("The author and the moderators see it."))
