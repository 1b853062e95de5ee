"""Server-side SVG pictures for the network report (issue 6): the event-time plot, income by
network-size group, ties gained by month and a static network picture.

Each function returns safe markup for a template. The SVGs need no JavaScript and no download:
they scale with their viewBox (mobile first), every text is escaped, and each carries
role="img" with a <title> and <desc>; templates put a data table next to each for screen readers
and for exact numbers. Colours are presentation attributes, so the pictures need no CSS and
no inline style (CSP-friendly)."""

import math
from collections.abc import Callable, Iterable, Sequence

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

INK = "#2a1e16"
MUTED = "#66554a"
LINE = "#d8cab6"
INDIGO = "#27325e"
SOGA = "#7a431d"
# One colour and one dash pattern per degree group, so the lines differ without colour too.
GROUP_STYLES = (
    ("#8d7f73", "6 4"),
    ("#256b3a", ""),
    ("#7a431d", "2 3"),
    ("#27325e", "10 3 2 3"),
)
FONT = 15
FONT_FAMILY = "system-ui, sans-serif"


def _num(value: float) -> str:
    """Coordinates with two decimals at most: short markup, exact enough for a picture."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def finite_or_none(data):
    """`data` with every NaN or infinite number replaced by None and numpy scalars made plain,
    so it prints in a template and serialises as strict JSON."""
    if isinstance(data, dict):
        return {key: finite_or_none(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite_or_none(value) for value in data]
    if hasattr(data, "tolist") and not isinstance(data, str | bytes):  # numpy values
        data = data.tolist()
        if isinstance(data, list):
            return finite_or_none(data)
    if isinstance(data, float) and not math.isfinite(data):
        return None
    return data


def _nice_step(span: float, ticks: int) -> float:
    raw = span / max(ticks, 1)
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _nice_range(low: float, high: float, ticks: int = 5) -> tuple[float, float, list[float]]:
    """A rounded axis range that contains [low, high], with its tick values."""
    if low == high:
        low, high = (low - 1, high + 1) if low == 0 else (min(0, low), max(0, high))
    step = _nice_step(high - low, ticks)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    count = round((stop - start) / step)
    return start, stop, [start + i * step for i in range(count + 1)]


def money_scale(values: Iterable[float]) -> tuple[float, str]:
    """How to write rupiah amounts on an axis: (divisor, axis unit in words)."""
    largest = max((abs(value) for value in values), default=0)
    if largest >= 1_000_000:
        return 1_000_000, _("million Rp")
    if largest >= 1_000:
        return 1_000, _("thousand Rp")
    return 1, _("Rp")


def _tick_label(value: float, divisor: float) -> str:
    scaled = value / divisor
    decimals = 0 if abs(scaled - round(scaled)) < 1e-9 else (1 if abs(scaled * 10 - round(
        scaled * 10)) < 1e-9 else 2)
    return number_format(scaled, decimals, use_l10n=True, force_grouping=True)


def rupiah(value: float) -> str:
    """Whole rupiah, dots between thousands in every language ("Rp 15.000", "-Rp 2.500")."""
    amount = round(value)
    text = "Rp " + f"{abs(amount):,}".replace(",", ".")
    return f"-{text}" if amount < 0 else text


def _svg(parts: list[str]) -> SafeString:
    """The pieces as markup: every text and attribute value in them went through escape()."""
    return mark_safe("".join(parts))  # noqa: S308


def _text(x, y, text, *, anchor="middle", size=FONT, fill=MUTED, extra="") -> str:
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{extra}>{escape(text)}</text>'
    )


def _open_svg(*, width: int, height: int, id_prefix: str, title: str, desc: str,
              extra: str = "") -> list[str]:
    prefix = escape(id_prefix)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="{FONT_FAMILY}" '
        f'class="chart"{extra}>',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
    ]


def _y_axis(parts: list[str], *, ticks: Sequence[float], y_of: Callable[[float], float],
            left: float, right: float, divisor: float, unit: str, top: float) -> None:
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(right)}" y2="{_num(y)}" '
            f'stroke="{LINE}" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + FONT * 0.35, _tick_label(tick, divisor), anchor="end"))
    parts.append(_text(4, top - 12, unit, anchor="start"))


def event_study_svg(event_study: list[dict], *, width: int = 560, height: int = 340,
                    id_prefix: str = "event-study", event_label: str = "",
                    title: str = "") -> SafeString:
    """The event-time plot: each month relative to the event (e) with its estimate and 95%
    interval bar, a line at zero and a vertical line just before e = 0 (the event)."""
    points = sorted(
        (point for point in event_study if _finite(point.get("e")) and _finite(point.get("att"))),
        key=lambda point: point["e"],
    )
    event_label = event_label or _("the first tie")
    title = title or _("Effect on monthly income by months since %(event)s") % {
        "event": event_label}
    if points:
        desc = _(
            "Estimates for %(count)s months, from %(first)s to %(last)s months relative to "
            "%(event)s, with 95%% intervals. Values before the vertical line are before the event."
        ) % {"count": len(points), "first": points[0]["e"], "last": points[-1]["e"],
             "event": event_label}
    else:
        desc = _("No estimates to show.")
    parts = _open_svg(width=width, height=height, id_prefix=id_prefix, title=title, desc=desc)
    left, right, top, bottom = 64, width - 12, 34, height - 52
    if not points:
        parts.append(_text(width / 2, height / 2, _("No estimates to show.")))
        parts.append("</svg>")
        return _svg(parts)

    values = [0.0]
    for point in points:
        values.append(point["att"])
        for key in ("ci_low", "ci_high"):
            if _finite(point.get(key)):
                values.append(point[key])
    low, high, ticks = _nice_range(min(values), max(values))
    divisor, unit = money_scale(ticks)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    first_e, last_e = points[0]["e"], points[-1]["e"]
    span = max(last_e - first_e + 1, 1)

    def x_of(e: float) -> float:
        return left + (e - first_e + 0.5) / span * (right - left)

    _y_axis(parts, ticks=ticks, y_of=y_of, left=left, right=right, divisor=divisor,
            unit=_("Change in income (%(unit)s per month)") % {"unit": unit}, top=top)
    zero = y_of(0)
    parts.append(
        f'<line x1="{left}" y1="{_num(zero)}" x2="{right}" y2="{_num(zero)}" stroke="{INK}" '
        f'stroke-width="1.5" class="chart__zero"/>'
    )
    if first_e <= -0.5 <= last_e or first_e <= 0 <= last_e:
        x_event = x_of(-0.5)
        parts.append(
            f'<line x1="{_num(x_event)}" y1="{top}" x2="{_num(x_event)}" y2="{bottom}" '
            f'stroke="{SOGA}" stroke-width="2" stroke-dasharray="5 4" class="chart__event"/>'
        )
        # Left of the line: the months before the event sit near zero, leaving the top free.
        parts.append(_text(x_event - 6, top + FONT, event_label, anchor="end", fill=SOGA))

    step = max(1, math.ceil(span / 12))
    for point in points:
        e = point["e"]
        if e % step == 0:
            parts.append(_text(x_of(e), bottom + FONT + 4, str(e)))
    parts.append(_text((left + right) / 2, height - 10,
                       _("Months relative to %(event)s") % {"event": event_label}))

    radius = 4.5 if span <= 24 else 3.5
    for point in points:
        e, att = point["e"], point["att"]
        x = x_of(e)
        low_ci, high_ci = point.get("ci_low"), point.get("ci_high")
        label = _("%(e)s months: %(att)s") % {"e": e, "att": rupiah(att)}
        if _finite(low_ci) and _finite(high_ci):
            label += " " + _("(95%% interval %(low)s to %(high)s)") % {
                "low": rupiah(low_ci), "high": rupiah(high_ci)}
        parts.append(f'<g class="chart__point" data-e="{e}"><title>{escape(label)}</title>')
        if _finite(low_ci) and _finite(high_ci):
            parts.append(
                f'<line x1="{_num(x)}" y1="{_num(y_of(low_ci))}" x2="{_num(x)}" '
                f'y2="{_num(y_of(high_ci))}" stroke="{INDIGO}" stroke-width="2" '
                f'class="chart__interval"/>'
            )
        filled = INDIGO if e >= 0 else "#fff"
        parts.append(
            f'<circle cx="{_num(x)}" cy="{_num(y_of(att))}" r="{radius}" fill="{filled}" '
            f'stroke="{INDIGO}" stroke-width="2"/></g>'
        )
    parts.append("</svg>")
    return _svg(parts)


def income_groups_svg(income_by_network_size: dict, *, width: int = 560, height: int = 360,
                      id_prefix: str = "income-groups", title: str = "",
                      desc: str = "") -> SafeString:
    """Mean monthly income of each network-size group over the months; a suppressed value
    (None: fewer than five enterprises) leaves a gap in its line."""
    months = list(income_by_network_size.get("months") or [])
    groups = list(income_by_network_size.get("groups") or [])
    title = title or _("Mean monthly income by number of ties")
    shown = sum(1 for group in groups for value in group.get("values", []) if _finite(value))
    if not shown:
        desc = _("No income to show.")
    elif not desc:
        desc = _(
            "One line per group of enterprises with a similar number of ties, over %(count)s "
            "months. Gaps are months when a group had fewer than five enterprises."
        ) % {"count": len(months)}
    legend_rows = math.ceil(len(groups) / 2) if groups else 0
    legend_height = legend_rows * (FONT + 10)
    parts = _open_svg(width=width, height=height + legend_height, id_prefix=id_prefix,
                      title=title, desc=desc)
    left, right, top, bottom = 64, width - 30, 34, height - 30
    if not shown or not months:
        parts.append(_text(width / 2, height / 2, _("No income to show.")))
        parts.append("</svg>")
        return _svg(parts)

    values = [0.0] + [value for group in groups for value in group.get("values", [])
                      if _finite(value)]
    low, high, ticks = _nice_range(0, max(values))
    divisor, unit = money_scale(ticks)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    def x_of(index: int) -> float:
        if len(months) == 1:
            return (left + right) / 2
        return left + index / (len(months) - 1) * (right - left)

    _y_axis(parts, ticks=ticks, y_of=y_of, left=left, right=right, divisor=divisor,
            unit=_("Income (%(unit)s per month)") % {"unit": unit}, top=top)
    step = max(1, math.ceil(len(months) / 6))
    for index, month in enumerate(months):
        if index % step == 0:
            parts.append(_text(x_of(index), bottom + FONT + 4, str(month)))

    for number, group in enumerate(groups):
        colour, dash = GROUP_STYLES[number % len(GROUP_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        key = escape(str(group.get("key", number)))
        label = str(group.get("label", group.get("key", "")))
        group_values = list(group.get("values", []))[:len(months)]
        runs: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(group_values):
            if _finite(value):
                runs[-1].append((x_of(index), y_of(value)))
            elif runs[-1]:
                runs.append([])
        parts.append(f'<g class="chart__series" data-group="{key}"><title>{escape(label)}</title>')
        for run in runs:
            if len(run) > 1:
                path = " ".join(
                    ("M" if i == 0 else "L") + f"{_num(x)} {_num(y)}"
                    for i, (x, y) in enumerate(run)
                )
                parts.append(
                    f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                    f'{dash_attr} stroke-linejoin="round" class="chart__line"/>'
                )
            elif run:  # a month between two gaps is a dot, or it would not show at all
                x, y = run[0]
                parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{colour}" '
                             f'class="chart__dot"/>')
        parts.append("</g>")

    # The legend: two groups per row under the plot.
    column_width = (width - 24) / 2
    for number, group in enumerate(groups):
        colour, dash = GROUP_STYLES[number % len(GROUP_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        x = 12 + (number % 2) * column_width
        y = height + (number // 2) * (FONT + 10) + 4
        parts.append(
            f'<g class="chart__legend"><line x1="{_num(x)}" y1="{_num(y)}" x2="{_num(x + 30)}" '
            f'y2="{_num(y)}" stroke="{colour}" stroke-width="3"{dash_attr}/>'
            + _text(x + 38, y + FONT * 0.35, str(group.get("label", group.get("key", ""))),
                    anchor="start", fill=INK)
            + "</g>"
        )
    parts.append("</svg>")
    return _svg(parts)


def ties_by_month_svg(ties_gained_by_month: list[dict], *, width: int = 560, height: int = 220,
                      id_prefix: str = "ties-by-month", title: str = "") -> SafeString:
    """Bars of new ties per month (the snapshot's ties_gained_by_month)."""
    rows = [row for row in ties_gained_by_month if _finite(row.get("total"))]
    title = title or _("Ties gained by month")
    desc = _("New ties in each of %(count)s months, from %(first)s to %(last)s.") % {
        "count": len(rows), "first": rows[0]["month"], "last": rows[-1]["month"]
    } if rows else _("No ties yet.")
    parts = _open_svg(width=width, height=height, id_prefix=id_prefix, title=title, desc=desc)
    left, right, top, bottom = 48, width - 10, 16, height - 30
    if not rows:
        parts.append(_text(width / 2, height / 2, _("No ties yet.")))
        parts.append("</svg>")
        return _svg(parts)
    _low, high, ticks = _nice_range(0, max(max(row["total"] for row in rows), 1), ticks=4)
    for tick in ticks:
        y = bottom - tick / high * (bottom - top)
        parts.append(f'<line x1="{left}" y1="{_num(y)}" x2="{right}" y2="{_num(y)}" '
                     f'stroke="{LINE}" stroke-width="1"/>')
        parts.append(_text(left - 6, y + FONT * 0.35, _tick_label(tick, 1), anchor="end"))
    slot = (right - left) / len(rows)
    bar = max(slot * 0.75, 1)
    step = max(1, math.ceil(len(rows) / 6))
    for index, row in enumerate(rows):
        x = left + index * slot + (slot - bar) / 2
        bar_height = row["total"] / high * (bottom - top)
        label = _("%(month)s: %(count)s new ties") % {"month": row["month"], "count": row["total"]}
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(bottom - bar_height)}" width="{_num(bar)}" '
            f'height="{_num(bar_height)}" fill="{INDIGO}"><title>{escape(label)}</title></rect>'
        )
        if index % step == 0:
            parts.append(_text(left + index * slot + slot / 2, bottom + FONT + 4,
                               str(row["month"])))
    parts.append("</svg>")
    return _svg(parts)


def _node_radius(degree: int, largest: int) -> float:
    """Area grows with degree, so hubs stand out without hiding their neighbours."""
    if largest <= 0:
        return 8.0
    return 7.0 + 11.0 * math.sqrt(max(degree, 0) / largest)


def node_label(node: dict) -> str:
    """An enterprise in the network picture: "Keripik Sari: 3 ties (Karangsari)"."""
    label = _("%(name)s: %(count)s ties") % {"name": node.get("name", ""),
                                             "count": int(node.get("degree") or 0)}
    village = str(node.get("village") or "")
    return f"{label} ({village})" if village else label


NAMES_SHOWN_UP_TO = 40  # enterprises; beyond, names would overlap and stay in hover titles


def _short(name: str, length: int = 18) -> str:
    return name if len(name) <= length else name[: length - 1].rstrip() + "…"


def network_svg(subgraph: dict, *, size: int = 640, id_prefix: str = "network",
                node_url: Callable[[dict], str] | None = None, title: str = "") -> SafeString:
    """A static picture of a network: ties as lines, enterprises as circles sized by their
    number of ties, each a link (to `node_url(node)`, the public enterprise page by default)
    with the name in its <title>. Positions come from the layout in `subgraph` (x, y in 0..1).
    static/js/network-map.js adds panning, zooming and highlighting on top of this markup."""
    nodes = list(subgraph.get("nodes") or [])
    edges = list(subgraph.get("edges") or [])
    title = title or _("Network of ties")
    desc = _("%(nodes)s enterprises and %(edges)s ties. Larger circles have more ties.") % {
        "nodes": len(nodes), "edges": len(edges)}
    parts = _open_svg(width=size, height=size, id_prefix=id_prefix, title=title, desc=desc,
                      extra=' data-network-map=""')
    if not nodes:
        parts.append(_text(size / 2, size / 2, _("No enterprises to show.")))
        parts.append("</svg>")
        return _svg(parts)
    if node_url is None:
        def node_url(node: dict) -> str:
            return reverse("enterprise_detail", kwargs={"slug": node["slug"]})

    show_names = len(nodes) <= NAMES_SHOWN_UP_TO
    # Room for the names: half a name's width at the sides, a line below.
    side, top, bottom = (80, 24, 48) if show_names else (24, 24, 24)
    position = {}
    for node in nodes:
        x = node.get("x") if _finite(node.get("x")) else 0.5
        y = node.get("y") if _finite(node.get("y")) else 0.5
        position[node["id"]] = (side + min(max(x, 0), 1) * (size - 2 * side),
                                top + min(max(y, 0), 1) * (size - top - bottom))
    largest = max((int(node.get("degree") or 0) for node in nodes), default=0)

    parts.append('<g class="network__viewport">')
    parts.append(f'<g class="network__edges" stroke="{LINE}" stroke-width="1.5">')
    for edge in edges:
        source, target = edge.get("source"), edge.get("target")
        if source not in position or target not in position:
            continue
        (x1, y1), (x2, y2) = position[source], position[target]
        kinds = " ".join(escape(str(kind)) for kind in edge.get("kinds", []))
        parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            f'data-source="{escape(str(source))}" data-target="{escape(str(target))}" '
            f'data-kinds="{kinds}"/>'
        )
    parts.append("</g>")
    parts.append('<g class="network__nodes">')
    # Hubs last, so they are drawn above the small circles around them.
    for node in sorted(nodes, key=lambda node: int(node.get("degree") or 0)):
        x, y = position[node["id"]]
        degree = int(node.get("degree") or 0)
        label = node_label(node)
        radius = _node_radius(degree, largest)
        name = (_text(x, y + radius + FONT, _short(str(node.get("name", ""))), fill=INK)
                if show_names else "")
        parts.append(
            f'<a href="{escape(node_url(node))}" class="network__node" '
            f'data-id="{escape(str(node["id"]))}" aria-label="{escape(label)}">'
            f'<title>{escape(label)}</title>'
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius)}" '
            f'fill="{INDIGO}" stroke="#fff" stroke-width="1.5"/>{name}</a>'
        )
    parts.append("</g></g></svg>")
    return _svg(parts)
