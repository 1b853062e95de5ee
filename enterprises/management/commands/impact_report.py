"""manage.py impact_report: the network-impact estimate on the platform's data, or on any panel
from a CSV file (--from-csv), as a readable report or one JSON object (--json)."""

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from enterprises.forms_network import FIRST_MONTH
from enterprises.impact import (
    CONTROL_GROUPS,
    DEFAULT_TIE_KINDS,
    EVENTS,
    ImpactQuery,
    impact_estimate,
    impact_report,
)
from enterprises.models import Cooperative, Sector, Tie

EXIT_REFUSED = 2
CSV_COLUMNS = ("unit", "time", "outcome", "first_treated")


def _month(text: str, option: str) -> date:
    try:
        year, month = text.split("-")
        day = date(int(year), int(month), 1)
    except ValueError:
        raise CommandError(f"{option} must be a month written YYYY-MM, not {text!r}.") from None
    if day < FIRST_MONTH:  # nothing older is on Guyub; the default window would fall below year 1
        raise CommandError(f"{option} must be {FIRST_MONTH:%Y-%m} or later, not {text!r}.")
    return day


def _number(value, *, money: bool) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    if money:
        amount = round(value)
        text = "Rp " + f"{abs(amount):,}".replace(",", ".")
        return f"-{text}" if amount < 0 else text
    return f"{value:.4f}"


def read_panel_csv(path: str, *, unit: str, time: str, outcome: str,
                   first_treated: str) -> pd.DataFrame:
    """The panel in `path`, checked: every problem is a CommandError naming the column and the
    row (rows count from 1 after the header; the line number in the file is one more)."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No such file: {path}")
    try:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise CommandError(f"{path} is empty: it needs a header row and data rows.") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise CommandError(f"{path} is not a readable CSV file: {error}") from None
    frame.columns = [str(name).strip() for name in frame.columns]
    wanted = {"--unit": unit, "--time": time, "--outcome": outcome,
              "--first-treated": first_treated}
    missing = [f"{name} ({option})" for option, name in wanted.items() if name not in frame.columns]
    if missing:
        raise CommandError(f"{path} has no column {', '.join(missing)}. "
                           f"Its columns: {', '.join(frame.columns)}.")
    if frame.empty:
        raise CommandError(f"{path} has a header but no data rows.")
    panel = pd.DataFrame({unit: frame[unit].str.strip()})
    blank = panel[unit] == ""
    if blank.any():
        row = int(blank.to_numpy().argmax()) + 1
        raise CommandError(f"Column {unit!r}, row {row} (line {row + 1}): the unit is empty.")
    for name in dict.fromkeys((time, outcome, first_treated)):
        text = frame[name].str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        bad = pd.Series(~np.isfinite(numbers.to_numpy(dtype=float)), index=numbers.index)
        if bad.any():
            row = int(bad.to_numpy().argmax()) + 1
            value = text.iloc[row - 1]
            problem = "is empty" if value == "" else f"{value!r} is not a number"
            raise CommandError(f"Column {name!r}, row {row} (line {row + 1}): {problem}.")
        panel[name] = numbers
    negative = panel[first_treated] < 0
    if negative.any():
        row = int(negative.to_numpy().argmax()) + 1
        raise CommandError(f"Column {first_treated!r}, row {row} (line {row + 1}): the first "
                           "treated time cannot be negative (0 means never treated).")
    duplicated = panel.duplicated([unit, time], keep=False)
    if duplicated.any():
        first = panel[duplicated].iloc[0]
        same = panel[(panel[unit] == first[unit]) & (panel[time] == first[time])]
        twins = [int(index) + 1 for index in same.index[:2]]
        raise CommandError(f"Rows {twins[0]} and {twins[1]} are both unit {first[unit]!r} at "
                           f"time {first[time]:g} ({unit!r}, {time!r}): one row per unit and "
                           "time.")
    changing = panel.groupby(unit)[first_treated].nunique()
    if (changing > 1).any():
        name = changing[changing > 1].index[0]
        raise CommandError(f"Column {first_treated!r} changes within unit {name!r}: the first "
                           "treated time must be the same on all of a unit's rows.")
    return panel


class Command(BaseCommand):
    help = (
        "The network-impact estimate (Callaway and Sant'Anna event study, standard errors "
        "clustered by enterprise): on Guyub's own data by default, or on any panel with "
        "--from-csv PATH --unit COL --time COL --outcome COL --first-treated COL (numeric time; "
        "first-treated 0 means never treated). --json prints one JSON object. Exit status: 0 "
        "with an estimate; 1 for bad options or input (the message names the column and row); "
        "2 when the estimate is refused (too few treated units, cohorts, comparison units or "
        "periods, or fewer than five enterprises) - the report, or the JSON object with "
        "status \"refused\" and the reason, is still printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--control-group", choices=sorted(CONTROL_GROUPS), default="notyet",
                            help="Compare with units not yet treated (default) or never treated.")
        parser.add_argument("--event", choices=EVENTS, default="tie",
                            help="The event: first tie of --kinds, or first joining a "
                                 "cooperative.")
        parser.add_argument("--kinds", default=",".join(DEFAULT_TIE_KINDS),
                            help="Tie kinds that count, comma-separated "
                                 f"(default {','.join(DEFAULT_TIE_KINDS)}).")
        parser.add_argument("--village", default="", help="Only enterprises in this village.")
        parser.add_argument("--cooperative", default="", metavar="SLUG",
                            help="Only enterprises that were members of this cooperative.")
        parser.add_argument("--sector", default="", help="Only enterprises in this sector.")
        parser.add_argument("--from", dest="start", default="", metavar="YYYY-MM",
                            help="First month (default: 36 months ending with --to).")
        parser.add_argument("--to", dest="end", default="", metavar="YYYY-MM",
                            help="Last month (default: the last complete month).")
        parser.add_argument("--from-csv", default="", metavar="PATH",
                            help="Estimate on this panel instead of Guyub's data.")
        parser.add_argument("--unit", default="", metavar="COL")
        parser.add_argument("--time", default="", metavar="COL")
        parser.add_argument("--outcome", default="", metavar="COL")
        parser.add_argument("--first-treated", default="", metavar="COL")

    def handle(self, *args, **options):
        if options["from_csv"]:
            result, money = self._from_csv(options), False
        else:
            result, money = impact_report(query=self._query(options)), True
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
        else:
            self.stdout.write(self._text(result, money=money))
        if result["status"] != "ok":
            raise CommandError(result["reason"], returncode=EXIT_REFUSED)

    def _from_csv(self, options) -> dict:
        columns = {name: options[name] for name in CSV_COLUMNS}
        absent = [f"--{name.replace('_', '-')}" for name, value in columns.items() if not value]
        if absent:
            raise CommandError(f"--from-csv needs {', '.join(absent)}.")
        panel = read_panel_csv(options["from_csv"], **columns)
        try:
            return impact_estimate(panel=panel, control_group=options["control_group"],
                                   first_treated=columns["first_treated"], unit=columns["unit"],
                                   time=columns["time"], outcome=columns["outcome"])
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _query(self, options) -> ImpactQuery:
        stray = [f"--{name.replace('_', '-')}" for name in CSV_COLUMNS if options[name]]
        if stray:
            raise CommandError(f"{', '.join(stray)} only apply with --from-csv.")
        kinds = tuple(kind.strip() for kind in options["kinds"].split(",") if kind.strip())
        unknown = [kind for kind in kinds if kind not in Tie.Kind.values]
        if unknown or not kinds:
            raise CommandError(f"Unknown tie kind(s) {', '.join(unknown) or '(none)'}; choose from "
                               f"{', '.join(Tie.Kind.values)}.")
        if options["sector"] and options["sector"] not in Sector.values:
            raise CommandError(f"Unknown sector {options['sector']!r}; choose from "
                               f"{', '.join(Sector.values)}.")
        cooperative_id = None
        if options["cooperative"]:
            cooperative = Cooperative.objects.filter(slug=options["cooperative"]).first()
            if cooperative is None:
                raise CommandError(f"No cooperative with the slug {options['cooperative']!r}.")
            cooperative_id = cooperative.pk
        try:
            return ImpactQuery(
                event=options["event"], kinds=kinds, control_group=options["control_group"],
                village=options["village"], cooperative_id=cooperative_id,
                sector=options["sector"],
                start=_month(options["start"], "--from") if options["start"] else None,
                end=_month(options["end"], "--to") if options["end"] else None,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _text(self, result: dict, *, money: bool) -> str:
        def number(value):
            return _number(value, money=money)

        lines = []
        filters = result.get("filters")
        if filters:
            lines.append(_("Network impact, %(start)s to %(end)s; event: %(event)s; comparison: "
                           "%(control)s") % {
                "start": filters["start"][:7], "end": filters["end"][:7],
                "event": (_("first joining a cooperative") if filters["event"] == "cooperative"
                          else _("first tie (%(kinds)s)") % {"kinds": ", ".join(filters["kinds"])}),
                "control": filters["control_group"]})
        lines.append(_("Units %(units)s, treated %(treated)s in %(cohorts)s cohorts, comparison "
                       "%(comparison)s, periods %(periods)s") % {
            "units": result["n_units"], "treated": result["n_treated"],
            "cohorts": result["n_cohorts"], "comparison": result.get("n_comparison", 0),
            "periods": result["n_periods"]})
        if result["status"] != "ok":
            lines += ["", _("Refused: %(reason)s") % {"reason": result["reason"]}]
        else:
            lines += ["", _("Effect: %(att)s (95%% interval %(low)s to %(high)s; standard error "
                            "%(se)s, clustered by unit)") % {
                "att": number(result["att"]), "low": number(result["ci_low"]),
                "high": number(result["ci_high"]), "se": number(result["se"])}]
            if result.get("pct_of_pre_mean") is not None:
                lines.append(_("That is %(pct).1f%% of the treated units' mean before the event "
                               "(%(mean)s).") % {"pct": result["pct_of_pre_mean"],
                                                 "mean": number(result["pre_mean"])})
            lines += ["", _("Event study (periods from the event; -1 is the reference):"),
                      f"{'e':>5} {_('effect'):>16} {_('95% interval'):>34}"]
            for row in result["event_study"]:
                interval = f"{number(row['ci_low'])} .. {number(row['ci_high'])}"
                lines.append(f"{row['e']:>5} {number(row['att']):>16} {interval:>34}")
            pretrend = result.get("pretrend")
            lines.append("")
            lines.append(_(
                "Pre-trend test: F = %(stat).2f on %(df)s and %(df2)s df, p = %(p).3f") % {
                "stat": pretrend["statistic"], "df": pretrend["df"],
                "df2": pretrend["df_denominator"], "p": pretrend["p_value"]}
                if pretrend else _("Pre-trend test: not possible (too few periods before)."))
        association = result.get("association")
        if association and association.get("slope") is not None:
            lines += ["", _("Association (two-way fixed effects, income on log(1 + ties)): "
                            "%(slope)s (95%% interval %(low)s to %(high)s), %(n)s rows") % {
                "slope": number(association["slope"]), "low": number(association["ci_low"]),
                "high": number(association["ci_high"]), "n": association["n_obs"]},
                "  " + association["label"]]
        marketplace = result.get("marketplace_only")
        if marketplace and marketplace.get("status") == "ok":
            lines += ["", _("Sales on Guyub only: %(att)s (95%% interval %(low)s to %(high)s)") % {
                "att": number(marketplace["att"]), "low": number(marketplace["ci_low"]),
                "high": number(marketplace["ci_high"])}]
        if result.get("caveats"):
            lines += ["", _("Caveats:")] + [f"- {caveat}" for caveat in result["caveats"]]
        return "\n".join(lines)
