from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.forms import PhotoField
from enterprises.models import Skill
from knowledge.formatting import one_line
from knowledge.models import ArticlePage, Topic
from knowledge.services import articles as services


class ArticleForm(forms.Form):
    """An article or a guide as an entrepreneur writes it on the public site: plain text only."""

    enterprise = forms.ModelChoiceField(
        queryset=None, label=_("Written by"), empty_label=None,
        help_text=_("Your enterprise is shown as the author."),
    )
    kind = forms.ChoiceField(
        choices=ArticlePage.Kind.choices, initial=ArticlePage.Kind.ARTICLE,
        widget=forms.RadioSelect, label=_("What are you writing?"),
    )
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), label=_("Topic"),
                                   empty_label=_("Choose a topic"))
    title = forms.CharField(
        label=_("Title"), max_length=services.TITLE_MAX_LENGTH,
        help_text=_("For example: How we got our P-IRT permit in two weeks."),
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=services.SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in lists and search results."),
    )
    body_text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), strip=True,
    )
    steps_text = forms.CharField(
        label=_("Steps"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For a step-by-step guide: one step per line, in order."),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=400,
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Related skills"),
        help_text=_("Skills a reader could ask other enterprises for."),
    )
    cover_photo = PhotoField(
        label=_("Cover photo"), required=False,
        help_text=_("Take it with your phone camera or choose from the gallery."),
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        # A deactivated enterprise cannot be credited (the services refuse it too).
        enterprises = enterprises.filter(is_active=True)
        field = self.fields["enterprise"]
        field.queryset = enterprises
        if len(enterprises) == 1:
            field.initial = enterprises[0]
            field.widget = forms.HiddenInput()
        self.fields["cover_photo"].widget.attrs["accept"] = "image/*"
        self.fields["body_text"].help_text = gettext(
            "Write as you would explain it to a neighbour. Leave an empty line between "
            "paragraphs. At least %(count)d words."
        ) % {"count": services.BODY_MIN_WORDS}
        self.fields["tags"].help_text = gettext(
            "Up to %(count)d, separated by commas, e.g. P-IRT, packaging, halal."
        ) % {"count": services.MAX_TAGS}
        self.fields["title"].widget.attrs["minlength"] = services.TITLE_MIN_LENGTH

    def clean_title(self) -> str:
        return one_line(self.cleaned_data.get("title", ""))

    def clean_summary(self) -> str:
        return one_line(self.cleaned_data.get("summary", ""))

    def clean_tags(self) -> list[str]:
        return services.tags_from_text(self.cleaned_data.get("tags", ""))

    def clean(self):
        cleaned = super().clean()
        try:
            services.article_fields_validate(
                title=cleaned.get("title", ""), summary=cleaned.get("summary", ""),
                body_text=cleaned.get("body_text", ""), steps_text=cleaned.get("steps_text", ""),
                kind=cleaned.get("kind", ""), tags=cleaned.get("tags") or [],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned fields as article_submit / article_update take them."""
        data = self.cleaned_data
        return {
            "enterprise": data["enterprise"], "topic": data["topic"], "kind": data["kind"],
            "title": data["title"], "summary": data["summary"], "body_text": data["body_text"],
            "steps_text": data.get("steps_text", ""), "tags": data.get("tags") or [],
            "skills": list(data.get("skills") or []), "cover_image": data.get("cover_photo"),
        }

    @classmethod
    def initial_for(cls, page: ArticlePage) -> dict:
        """The form's starting values from the latest version of an article."""
        body_text, steps_text = services.body_to_text(page.body)
        return {
            "enterprise": page.enterprise_id, "kind": page.kind, "topic": page.topic_id,
            "title": page.title, "summary": page.summary, "body_text": body_text,
            "steps_text": steps_text, "tags": ", ".join(tag.name for tag in page.tags.all()),
            "skills": [skill.pk for skill in page.skills.all()],
        }
