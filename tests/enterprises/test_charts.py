"""The report's server-side SVG pictures: well-formed, accessible, escaped, and honest about
missing values (a suppressed month is a gap, not a zero)."""

import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from enterprises import charts

pytestmark = pytest.mark.usefixtures("english")  # reads interface text

SVG = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert('x')</script> & \"quotes\""


def parse(markup) -> ET.Element:
    root = ET.fromstring(str(markup))  # noqa: S314 - our own markup, under test
    assert root.tag == f"{SVG}svg"
    return root


def assert_accessible(root: ET.Element, prefix: str) -> None:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{prefix}-title {prefix}-desc"
    assert root.find(f"{SVG}title").get("id") == f"{prefix}-title"
    assert root.find(f"{SVG}desc").get("id") == f"{prefix}-desc"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    assert root.get("viewBox").startswith("0 0 ")  # scales with its container


def no_script(root: ET.Element) -> None:
    assert not any(element.tag.endswith("script") for element in root.iter())


def points(count=9, first=-4):
    return [{"e": e, "att": 1_000.0 * e, "se": 500.0, "ci_low": 1_000.0 * e - 980,
             "ci_high": 1_000.0 * e + 980} for e in range(first, first + count)]


# --- Event study --------------------------------------------------------------------------------


def test_event_study_draws_one_point_and_interval_per_month():
    root = parse(charts.event_study_svg(points()))
    assert_accessible(root, "event-study")
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "chart__point"]
    assert len(groups) == 9
    assert [int(g.get("data-e")) for g in groups] == list(range(-4, 5))
    assert all(g.find(f"{SVG}circle") is not None for g in groups)
    intervals = [line for line in root.iter(f"{SVG}line")
                 if line.get("class") == "chart__interval"]
    assert len(intervals) == 9
    # Hollow before the event, filled from it on.
    fills = [g.find(f"{SVG}circle").get("fill") for g in groups]
    assert fills[:4] == ["#fff"] * 4 and "#fff" not in fills[4:]


def test_event_study_has_a_zero_line_and_the_event_line_just_before_zero():
    root = parse(charts.event_study_svg(points()))
    lines = {line.get("class"): line for line in root.iter(f"{SVG}line") if line.get("class")}
    zero, event = lines["chart__zero"], lines["chart__event"]
    assert zero.get("y1") == zero.get("y2")
    groups = {int(g.get("data-e")): g for g in root.iter(f"{SVG}g")
              if g.get("class") == "chart__point"}
    x_minus_one = float(groups[-1].find(f"{SVG}circle").get("cx"))
    x_zero = float(groups[0].find(f"{SVG}circle").get("cx"))
    assert x_minus_one < float(event.get("x1")) < x_zero
    # The zero line sits where an estimate of 0 is drawn.
    assert float(groups[0].find(f"{SVG}circle").get("cy")) == pytest.approx(
        float(zero.get("y1")), abs=0.01)


def test_event_study_labels_months_relative_to_the_event():
    root = parse(charts.event_study_svg(points(), event_label="the first tie"))
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "Months relative to the first tie" in texts
    assert {"-4", "0", "4"} <= set(texts)


def test_event_study_skips_missing_estimates_and_draws_nothing_for_none():
    data = points(5)
    data[1]["att"] = float("nan")
    data[2]["ci_low"] = None
    root = parse(charts.event_study_svg(data))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "chart__point"]
    assert len(groups) == 4
    intervals = [line for line in root.iter(f"{SVG}line")
                 if line.get("class") == "chart__interval"]
    assert len(intervals) == 3
    empty = parse(charts.event_study_svg([]))
    assert_accessible(empty, "event-study")
    assert not [g for g in empty.iter(f"{SVG}g") if g.get("class") == "chart__point"]


def test_event_study_escapes_its_labels():
    root = parse(charts.event_study_svg(points(), event_label=EVIL, title=EVIL,
                                        id_prefix='x" onload="alert(1)'))
    no_script(root)
    assert root.find(f"{SVG}title").text == EVIL
    assert root.get("onload") is None


def test_axis_labels_use_thousands_or_millions():
    small = parse(charts.event_study_svg(points()))
    assert any("thousand Rp" in (text.text or "") for text in small.iter(f"{SVG}text"))
    big = [{"e": 0, "att": 2_500_000.0, "se": 1.0, "ci_low": 2_000_000.0,
            "ci_high": 3_000_000.0}]
    assert any("million Rp" in (text.text or "")
               for text in parse(charts.event_study_svg(big)).iter(f"{SVG}text"))


# --- Income by network size ---------------------------------------------------------------------


def income(values_by_group: dict[str, list]) -> dict:
    months = [f"2025-{month:02d}" for month in range(1, 1 + len(next(iter(
        values_by_group.values()))))]
    return {"months": months, "groups": [
        {"key": key, "label": f"{key} ties", "values": values}
        for key, values in values_by_group.items()]}


def series(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-group"): g for g in root.iter(f"{SVG}g")
            if g.get("class") == "chart__series"}


def test_suppressed_months_leave_gaps_in_the_line():
    root = parse(charts.income_groups_svg(income({
        "0": [1e6, 1.1e6, 1.2e6, 1.3e6, 1.4e6, 1.5e6],
        "1-2": [1e6, 1.1e6, None, 1.3e6, 1.4e6, None],
        "3-5": [None, 2e6, None, None, 2.2e6, 2.3e6],
        "6+": [None] * 6,
    })))
    assert_accessible(root, "income-groups")
    drawn = series(root)

    def segments(group):
        return [path.get("d") for path in drawn[group].iter(f"{SVG}path")]

    assert len(segments("0")) == 1 and segments("0")[0].count("L") == 5
    assert len(segments("1-2")) == 2  # months 1-2, then 4-5
    assert [d.count("L") for d in segments("1-2")] == [1, 1]
    # A lone month between gaps is a dot; the run after it a line.
    assert len(list(drawn["3-5"].iter(f"{SVG}circle"))) == 1 and len(segments("3-5")) == 1
    assert not segments("6+") and not list(drawn["6+"].iter(f"{SVG}circle"))
    legend = [g for g in root.iter(f"{SVG}g") if g.get("class") == "chart__legend"]
    assert len(legend) == 4


def test_no_value_at_all_says_so():
    root = parse(charts.income_groups_svg(income({"0": [None, None]})))
    assert "No income" in root.find(f"{SVG}desc").text
    assert parse(charts.income_groups_svg({"months": [], "groups": []})) is not None


def test_group_labels_are_escaped():
    data = income({"0": [1.0, 2.0]})
    data["groups"][0]["label"] = EVIL
    data["groups"][0]["key"] = EVIL
    root = parse(charts.income_groups_svg(data))
    no_script(root)
    assert EVIL in [text.text for text in root.iter(f"{SVG}text")]


def test_ties_by_month_draws_a_bar_per_month():
    rows = [{"month": f"2025-{m:02d}", "total": m, "by_kind": {}} for m in range(1, 8)]
    root = parse(charts.ties_by_month_svg(rows))
    assert_accessible(root, "ties-by-month")
    assert len(list(root.iter(f"{SVG}rect"))) == 7
    assert "No ties" in parse(charts.ties_by_month_svg([])).find(f"{SVG}desc").text


# --- The network picture ------------------------------------------------------------------------


def subgraph():
    return {
        "nodes": [
            {"id": 1, "name": EVIL, "slug": "evil", "village": "Desa <b>Beji</b>", "degree": 2,
             "x": 0.0, "y": 0.0},
            {"id": 2, "name": "Kopi Sindoro", "slug": "kopi", "village": "", "degree": 1,
             "x": 1.0, "y": 1.0},
            {"id": 3, "name": "Tenun", "slug": "tenun", "village": "", "degree": 9,
             "x": 0.5, "y": float("nan")},
        ],
        "edges": [{"source": 1, "target": 2, "kinds": ["supplier"]},
                  {"source": 1, "target": 3, "kinds": ["mentoring", "referral"]},
                  {"source": 1, "target": 99, "kinds": ["supplier"]}],
        "truncated": False,
    }


def test_network_draws_nodes_as_links_and_ties_as_lines():
    root = parse(charts.network_svg(subgraph(), node_url=lambda node: f"/x/{node['slug']}/"))
    assert_accessible(root, "network")
    links = list(root.iter(f"{SVG}a"))
    assert [link.get("data-id") for link in links] == ["2", "1", "3"]  # hubs drawn last
    assert {link.get("href") for link in links} == {"/x/evil/", "/x/kopi/", "/x/tenun/"}
    lines = [line for line in root.iter(f"{SVG}line") if line.get("data-source")]
    assert len(lines) == 2  # the tie to an enterprise not in the picture is left out
    assert lines[1].get("data-kinds") == "mentoring referral"
    radius = {link.get("data-id"): float(link.find(f"{SVG}circle").get("r")) for link in links}
    assert radius["3"] > radius["1"] > radius["2"]
    for link in links:
        circle = link.find(f"{SVG}circle")
        assert all(math.isfinite(float(circle.get(name))) for name in ("cx", "cy"))


def test_network_names_are_escaped_and_shown_on_hover():
    root = parse(charts.network_svg(subgraph(), node_url=lambda node: "/"))
    no_script(root)
    evil = next(link for link in root.iter(f"{SVG}a") if link.get("data-id") == "1")
    assert evil.find(f"{SVG}title").text == f"{EVIL}: 2 ties (Desa <b>Beji</b>)"
    assert evil.get("aria-label") == evil.find(f"{SVG}title").text


def test_small_networks_name_every_enterprise_and_large_ones_keep_names_for_hover():
    root = parse(charts.network_svg(subgraph(), node_url=lambda node: "/"))
    names = {link.get("data-id"): link.find(f"{SVG}text").text for link in root.iter(f"{SVG}a")}
    assert names == {"1": EVIL[:17] + "…", "2": "Kopi Sindoro", "3": "Tenun"}

    crowd = {"nodes": [{"id": n, "name": f"Usaha {n}", "slug": f"u{n}", "degree": 1,
                        "x": n / 50, "y": 0.5} for n in range(charts.NAMES_SHOWN_UP_TO + 1)],
             "edges": []}
    root = parse(charts.network_svg(crowd, node_url=lambda node: "/"))
    assert not [link.find(f"{SVG}text") for link in root.iter(f"{SVG}a")
                if link.find(f"{SVG}text") is not None]


def test_network_links_to_public_enterprise_pages_by_default():
    root = parse(charts.network_svg(subgraph()))
    assert {link.get("href") for link in root.iter(f"{SVG}a")} == {
        "/enterprises/evil/", "/enterprises/kopi/", "/enterprises/tenun/"}


def test_an_empty_network():
    root = parse(charts.network_svg({"nodes": [], "edges": []}))
    assert not list(root.iter(f"{SVG}a"))
    assert "No enterprises" in "".join(text.text for text in root.iter(f"{SVG}text"))


# --- Helpers ------------------------------------------------------------------------------------


def test_finite_or_none_makes_strict_json():
    data = {"a": float("nan"), "b": [np.float64(1.5), np.int64(3), float("inf")],
            "c": {"d": np.array([1.0, np.nan])}, "e": "text", "f": None}
    assert charts.finite_or_none(data) == {"a": None, "b": [1.5, 3, None],
                                           "c": {"d": [1.0, None]}, "e": "text", "f": None}


def test_rupiah():
    assert charts.rupiah(15_000) == "Rp 15.000"
    assert charts.rupiah(-2_500.4) == "-Rp 2.500"
    assert charts.rupiah(1_234_567) == "Rp 1.234.567"
