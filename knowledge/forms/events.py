"""Forms of the events pages: an organiser's event, an RSVP, and the event's details as text."""

import re
from html import unescape

from django import forms
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import RichText

from enterprises.forms import RegencyChoiceField
from enterprises.models import Cooperative, Enterprise, Region
from knowledge.formatting import one_line
from knowledge.models import EventPage

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def details_to_body(text: str) -> list:
    """Plain text (blank lines between paragraphs) as the event's body: one text block."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    if not paragraphs:
        return []
    html = "".join(
        "<p>{}</p>".format("<br/>".join(escape(line.strip()) for line in part.splitlines()))
        for part in paragraphs
    )
    return [("text", RichText(html))]


def body_to_details(body) -> str | None:
    """The body back as plain text, or None when it holds more than the form can show again
    (images, checklists, formatting added in the admin): then the form leaves it alone."""
    if not body:
        return ""
    if len(body) != 1 or body[0].block_type != "text":
        return None
    source = getattr(body[0].value, "source", str(body[0].value))
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", source, flags=re.S)
    text = "\n\n".join(
        "\n".join(strip_tags(line) for line in re.split(r"<br\s*/?>", part))
        for part in paragraphs
    )
    text = unescape(text)
    rebuilt = details_to_body(text)
    if (rebuilt[0][1].source if rebuilt else "") != source:
        return None
    return text


def _organiser_value(organiser) -> str:
    kind = "cooperative" if isinstance(organiser, Cooperative) else "enterprise"
    return f"{kind}:{organiser.pk}"


class EventForm(forms.Form):
    """An organiser's event. The service checks everything again (and more: the capacity
    against the people going); its field errors come back onto these fields."""

    organiser = forms.ChoiceField(label=_("Organised by"))
    title = forms.CharField(label=_("Name of the event"), max_length=255,
                            help_text=_("For example: Pelatihan foto produk dengan ponsel."))
    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventPage.Kind.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=250, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in the list of events."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    venue = forms.CharField(label=_("Place"), max_length=200, required=False,
                            help_text=_("For example: Balai Desa Karanglewas."))
    regency = RegencyChoiceField(
        label=_("Regency or city (kabupaten/kota)"), required=False,
        queryset=Region.objects.filter(level=Region.Level.REGENCY).select_related("parent")
        .order_by("parent__name", "name"),
    )
    online_url = forms.URLField(
        label=_("Online link"), required=False, max_length=200, assume_scheme="https",
        help_text=_("A video call link, for online events."),
        widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )
    capacity = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, max_value=100_000,
        help_text=_("Leave empty for no limit. When full, people join a waiting list."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    details = forms.CharField(
        label=_("Details"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The programme, who it is for, what to bring. Leave a blank line between "
                    "paragraphs."),
    )

    def __init__(self, *args, enterprises, cooperatives, event: EventPage | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.organisers = {_organiser_value(o): o for o in [*enterprises, *cooperatives]}
        choices = []
        if enterprises:
            choices.append((_("Your enterprises"),
                            [(_organiser_value(e), e.name) for e in enterprises]))
        if cooperatives:
            choices.append((_("Cooperatives you manage"),
                            [(_organiser_value(c), c.name) for c in cooperatives]))
        if event is not None and event.organiser is not None:
            current = _organiser_value(event.organiser)
            if current not in self.organisers:  # a Wagtail editor changing someone's event
                self.organisers[current] = event.organiser
                choices.append((current, event.organiser.name))
        self.fields["organiser"].choices = choices
        if len(self.organisers) == 1:
            self.fields["organiser"].initial = next(iter(self.organisers))
        if enterprises and not self.initial.get("regency"):
            self.fields["regency"].initial = enterprises[0].regency_id
        self.details_editable = True
        if event is not None:
            details = body_to_details(event.body)
            self.details_editable = details is not None
            self.initial.update({
                "organiser": _organiser_value(event.organiser) if event.organiser else None,
                "title": event.title, "kind": event.kind, "summary": event.summary,
                "starts_at": event.starts_at, "ends_at": event.ends_at, "venue": event.venue,
                "regency": event.regency_id, "online_url": event.online_url,
                "capacity": event.capacity, "details": details or "",
            })
            if not self.details_editable:
                del self.fields["details"]

    def clean_organiser(self):
        return self.organisers[self.cleaned_data["organiser"]]

    def clean(self):
        cleaned_data = super().clean()
        for name in ("title", "summary", "venue"):  # one line: calendars and mail subjects
            if cleaned_data.get(name):
                cleaned_data[name] = one_line(cleaned_data[name])
        return cleaned_data

    def service_fields(self) -> dict:
        """The cleaned data as event_create / event_update take it."""
        data = dict(self.cleaned_data)
        if "details" in data:
            data["body"] = details_to_body(data.pop("details"))
        return data


class RsvpForm(forms.Form):
    """Who comes: the person, and optionally the enterprise they come for (the service checks
    that they run it)."""

    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.filter(is_active=True),
                                        required=False)
