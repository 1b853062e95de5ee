"""The network report's filters (GET), shared by the /network/ page, its CSV export and
GET /api/v1/network/impact/: one place decides what a valid question is."""

from datetime import date

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.impact import DEFAULT_TIE_KINDS, ImpactQuery
from enterprises.models import Cooperative, Sector, Tie

MAX_MONTHS = 120  # ten years: longer windows say little and cost a lot
# No income on Guyub is older; and month arithmetic below year 1 fails (a 500, not a form error).
FIRST_MONTH = date(2000, 1, 1)
VILLAGE_MAX_LENGTH = 120  # Enterprise.village


def _month_add(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _months_between(start: date, end: date) -> int:
    """Months in the window from `start` to `end`, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


class MonthField(forms.DateField):
    """A month as <input type=month> sends it ("2025-03"); cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        month = super().to_python(value)
        return month.replace(day=1) if month else None


class ImpactFilterForm(forms.Form):
    event = forms.ChoiceField(
        label=_("Event"), widget=forms.RadioSelect, initial="tie",
        choices=[("tie", _("The first tie of the chosen kinds")),
                 ("cooperative", _("Joining a cooperative"))],
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of tie"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=Tie.Kind.choices, initial=list(DEFAULT_TIE_KINDS),
        help_text=_("The ties whose first one is the event. None ticked means the usual five."),
    )
    control_group = forms.ChoiceField(
        label=_("Compared with"), widget=forms.RadioSelect, initial="notyet",
        choices=[("notyet", _("Enterprises not yet connected (and never connected)")),
                 ("never", _("Only enterprises never connected in the window"))],
    )
    village = forms.CharField(
        label=_("Village (desa)"), required=False, max_length=VILLAGE_MAX_LENGTH,
        help_text=_("The village's name exactly as enterprises wrote it."),
    )
    cooperative = forms.ModelChoiceField(
        label=_("Cooperative"), required=False, to_field_name="slug",
        queryset=Cooperative.objects.filter(is_active=True).order_by("name"),
        empty_label=_("All enterprises"),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False,
        choices=[("", _("All sectors")), *Sector.choices],
    )
    start = MonthField(label=_("From month"), required=False,
                       help_text=_("Empty: 36 months before the last month."))
    end = MonthField(label=_("To month"), required=False,
                     help_text=_("Empty: the last complete month."))

    DEFAULTS = {"event": "tie", "control_group": "notyet"}

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = self._normalise(data)
        super().__init__(data, *args, **kwargs)

    @classmethod
    def _normalise(cls, data) -> QueryDict:
        """Fill the defaults in, so a link with a single filter shows the choices it used, and
        accept `kinds` as the API sends it too ("referral,supplier" or repeated)."""
        normal = QueryDict(mutable=True)
        for key in ("event", "control_group", "village", "cooperative", "sector", "start",
                    "end"):
            value = data.get(key, "")
            normal[key] = value if value != "" else cls.DEFAULTS.get(key, "")
        kinds = [
            kind.strip()
            for value in (data.getlist("kinds") if hasattr(data, "getlist")
                          else [data.get("kinds", "")])
            for kind in str(value).split(",") if kind.strip()
        ]
        normal.setlist("kinds", kinds or list(DEFAULT_TIE_KINDS))
        return normal

    def clean_village(self) -> str:
        return " ".join(self.cleaned_data["village"].split())

    def clean(self):
        cleaned = super().clean()
        this_month = timezone.localdate().replace(day=1)
        for name in ("start", "end"):
            month = cleaned.get(name)
            if month and month > this_month:
                self.add_error(name, _("This month has not come yet."))
            elif month and month < FIRST_MONTH:
                self.add_error(name, _("Choose a month from %(month)s on.")
                               % {"month": f"{FIRST_MONTH:%Y-%m}"})
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        last = end or _month_add(this_month, -1)
        first = start or _month_add(last, -36)
        if first >= last:
            self.add_error("start", _("The first month must be before the last month "
                                      "(%(month)s).") % {"month": f"{last:%Y-%m}"})
        elif _months_between(first, last) > MAX_MONTHS:
            self.add_error("start", _("Choose ten years at most."))
        return cleaned

    def query(self) -> ImpactQuery:
        """The valid filters as the impact module's question."""
        if not self.is_valid():
            raise ValueError("query() needs a valid form")
        data = self.cleaned_data
        cooperative = data.get("cooperative")
        return ImpactQuery(
            event=data["event"],
            kinds=tuple(kind for kind in Tie.Kind.values if kind in data["kinds"])
            or DEFAULT_TIE_KINDS,
            control_group=data["control_group"],
            village=data["village"],
            cooperative_id=cooperative.pk if cooperative else None,
            sector=data["sector"],
            start=data.get("start"),
            end=data.get("end"),
        )

    def error_dict(self) -> dict[str, list[str]]:
        """Errors as the API writes them: {field: [messages]}."""
        return {field: [str(message) for message in messages]
                for field, messages in self.errors.items()}
