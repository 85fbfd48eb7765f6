"""The hand-drawn SVG charts: well-formed, escaped, accessible, points where the
geometry says (worked out by hand below), links where asked, and calm on empty data."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from mittari.reports.charts import (
    BOTTOM,
    CHAR_WIDTH,
    LABEL_GAP,
    LEFT,
    RIGHT,
    TOP_BARE,
    Series,
    bar_chart,
    format_number,
    label_step,
    line_chart,
    nice_ticks,
    shown_labels,
    sparkline,
    wrap,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    return ET.fromstring(str(svg))


def all_of(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(SVG + tag))


def test_nice_ticks_are_round_and_cover_the_range() -> None:
    assert nice_ticks(0, 100) == [0, 25, 50, 75, 100]
    assert nice_ticks(70, 100) == [70, 80, 90, 100]
    assert nice_ticks(99.4, 100) == [99.4, 99.6, 99.8, 100]
    assert nice_ticks(-25, 40) == [-40, -20, 0, 20, 40]
    # a flat line gets 5 % either way (4.75..5.25), then round steps of 0.2 cover it
    assert nice_ticks(5, 5) == [4.6, 4.8, 5, 5.2, 5.4]
    with pytest.raises(ValueError, match="finite"):
        nice_ticks(0, float("inf"))


def test_numbers_are_short_and_the_percent_sign_sticks() -> None:
    assert format_number(99.5, "%") == "99.5%"
    assert format_number(100.0, "%") == "100%"
    assert format_number(12, "h") == "12 h"
    assert format_number(-0.0) == "0"


def test_finnish_charts_write_a_decimal_comma_on_ticks_targets_and_tips() -> None:
    assert format_number(97.5, "%", ",") == "97,5%" and format_number(12, "h", ",") == "12 h"
    series = [Series("resolution", [97.5, 98.25])]
    fi = parse(line_chart(["10", "11"], series, target=97.5, y_min=97, y_max=99, decimal=","))
    texts = [t.text or "" for t in all_of(fi, "text")]
    titles = [t.text or "" for t in all_of(fi, "title")]
    assert "97,5" in texts and not [t for t in texts if re.fullmatch(r"\d+\.\d+", t)]
    assert "target 97,5" in titles and any(t.endswith("98,25") for t in titles)
    en = parse(bar_chart(["a"], [Series("x", [0.5])], target=0.25))
    assert "target 0.25" in [t.text for t in all_of(en, "title")]


def test_line_points_sit_where_the_geometry_puts_them() -> None:
    # width 400, height 200, no title, no legend (one unnamed series): plot x 48..388,
    # y 10..174. Three labels: bands of 340 / 3, centres 48 + 340/6 · (1, 3, 5).
    # Values 0, 50, 100 → ticks 0, 25, ..., 100, so y = 10 + 164 · (100 − v) / 100.
    svg = line_chart(["a", "b", "c"], [Series("", [0, 50, 100])], width=400, height=200)
    root = parse(svg)
    circles = all_of(root, "circle")
    band = (400 - LEFT - RIGHT) / 3
    xs = [float(c.get("cx", "")) for c in circles]
    ys = [float(c.get("cy", "")) for c in circles]
    assert xs == pytest.approx([LEFT + band / 2, LEFT + band * 1.5, LEFT + band * 2.5], abs=0.01)
    assert ys == pytest.approx([200 - BOTTOM, 92.0, TOP_BARE], abs=0.01)
    path = all_of(root, "path")[0].get("d", "")
    assert path == "M104.67 174 L218 92 L331.33 10"


def test_a_gap_breaks_the_line_and_draws_no_point() -> None:
    root = parse(line_chart(["a", "b", "c", "d"], [Series("", [1, None, 3, 4])], height=200))
    assert len(all_of(root, "circle")) == 3
    d = all_of(root, "path")[0].get("d", "")
    assert d.count("M") == 2 and d.count("L") == 1  # one lone point, then a segment


def test_target_line_and_fixed_range() -> None:
    svg = line_chart(
        ["a", "b"], [Series("s", [80, 120])], target=90, y_min=0, y_max=100, unit="%", height=200
    )
    root = parse(svg)
    target = next(e for e in all_of(root, "line") if e.get("class") == "target")
    top = TOP_BARE + 16  # the legend of a named series
    assert float(target.get("y1", "")) == pytest.approx(top + (174 - top) * 0.1)
    ys = [float(c.get("cy", "")) for c in all_of(root, "circle")]
    assert ys[1] == pytest.approx(top)  # 120 is clamped to the top of a fixed range
    labels = [t.text for t in all_of(root, "text")]
    assert "100%" in labels and "0%" in labels


def test_labels_and_names_are_escaped() -> None:
    svg = line_chart(
        ["<b>Jan</b>", "Feb & Mar"],
        [Series('A "quoted" <name>', [1, 2])],
        title="Tickets <script>",
        links=['/x?a=1&b="2"', None],
    )
    text = str(svg)
    assert "<b>" not in text and "<script>" not in text and "<name>" not in text
    root = parse(svg)  # still well-formed XML
    words = [t.text for t in all_of(root, "text")]
    assert "<b>Jan</b>" in words and "Feb & Mar" in words
    assert root.get("aria-label") == "Tickets <script>"
    link = all_of(root, "a")[0]
    assert link.get("href") == '/x?a=1&b="2"'


def test_accessible_name_and_role() -> None:
    root = parse(bar_chart(["a"], [Series("n", [1])], title="Breaches per cause"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Breaches per cause"
    assert root.find(SVG + "title") is not None
    assert root.find(SVG + "title").text == "Breaches per cause"  # type: ignore[union-attr]


def test_links_wrap_the_points_and_bars_they_belong_to() -> None:
    links = ["/ui/acme/tickets?month=2026-09", None, "/ui/acme/tickets?month=2026-11"]
    root = parse(line_chart(["09", "10", "11"], [Series("", [1, 2, 3])], links=links))
    hrefs = [a.get("href") for a in all_of(root, "a")]
    assert hrefs == [links[0], links[2]]
    assert all(len(all_of(a, "circle")) == 1 for a in all_of(root, "a"))
    bars = parse(
        bar_chart(["x", "y"], [Series("p", [2, 3]), Series("q", [1, 1])], links=["/x", "/y"])
    )
    groups = all_of(bars, "a")
    assert [g.get("href") for g in groups] == ["/x", "/y"]
    assert [len(all_of(g, "rect")) for g in groups] == [2, 2]  # both series of each label


def test_stacked_bars_stack_from_zero() -> None:
    # height 200, no title, a legend of two names: plot y 26..174; one stack 0..3 → ticks
    # 0, 1, 2, 3 (step 1 is the first round step ≥ 3 / 4), so the axis ends at 3.
    root = parse(bar_chart(["x"], [Series("p", [2]), Series("q", [1])], stacked=True, height=200))
    rects = [r for r in all_of(root, "rect") if "bar" in (r.get("class") or "")]
    heights = [float(r.get("height", "")) for r in rects]
    ys = [float(r.get("y", "")) for r in rects]
    plot = 174 - 26
    assert heights == pytest.approx([plot * 2 / 3, plot / 3], abs=0.01)
    assert ys[0] == pytest.approx(26 + plot / 3, abs=0.01)  # p: 0..2
    assert ys[1] == pytest.approx(26, abs=0.01)  # q: 2..3, on top


def test_grouped_bars_stand_side_by_side_and_negative_bars_hang() -> None:
    root = parse(bar_chart(["x"], [Series("p", [2]), Series("q", [-1])], height=200))
    rects = [r for r in all_of(root, "rect") if "bar" in (r.get("class") or "")]
    x0, x1 = (float(r.get("x", "")) for r in rects)
    assert x1 > x0
    zero = next(t for t in all_of(root, "text") if t.text == "0")
    zero_y = float(zero.get("y", ""))
    assert float(rects[1].get("y", "")) == pytest.approx(zero_y)  # -1 hangs from the zero line


@pytest.mark.parametrize(
    "svg",
    [
        line_chart([], []),
        line_chart(["a", "b"], [Series("x", [None, None])]),
        bar_chart(["a"], [Series("x", [None])]),
    ],
)
def test_empty_or_all_none_says_no_data(svg: Markup) -> None:
    root = parse(svg)
    assert [t.text for t in all_of(root, "text") if t.get("class") == "chart-empty"] == ["No data"]
    assert not all_of(root, "circle")


def test_mismatched_lengths_are_refused_with_names() -> None:
    with pytest.raises(ValueError, match="series 'x' has 1 values for 2 labels"):
        line_chart(["a", "b"], [Series("x", [1])])
    with pytest.raises(ValueError, match="links has 1 entries for 2 labels"):
        bar_chart(["a", "b"], [Series("x", [1, 2])], links=["/a"])


def test_crowded_labels_are_thinned_but_the_last_stays() -> None:
    labels = [f"2026-{m:02d}" for m in range(1, 13)]
    root = parse(line_chart(labels, [Series("", list(range(12)))], width=240))
    shown = [t.text for t in all_of(root, "text") if t.get("text-anchor") == "middle"]
    assert shown[-1] == "2026-12" and len(shown) < 12


def test_month_labels_are_thinned_evenly_back_from_the_last_and_never_overlap() -> None:
    labels = [f"2026-{m:02d}" for m in range(1, 13)]
    root = parse(line_chart(labels, [Series("", list(range(12)))], width=640))
    texts = [t for t in all_of(root, "text") if t.get("text-anchor") == "middle"]
    assert [t.text for t in texts] == labels[1::2]  # every 2nd at 640 px, ending with the last
    xs = [float(t.get("x", "")) for t in texts]
    room = 7 * CHAR_WIDTH + LABEL_GAP
    assert all(b - a >= room for a, b in itertools.pairwise(xs))
    assert label_step(labels, 2000) == 1  # room enough: every month
    assert shown_labels(12, 3) == [2, 5, 8, 11]


def test_every_bar_of_a_small_chart_is_labelled_wrapped_to_its_width() -> None:
    causes = [
        "vendor wait",
        "customer wait",
        "closed and reopened",
        "passed between teams",
        "priority changed",
        "slow handling",
    ]
    root = parse(bar_chart(causes, [Series("P1", [1, 2, 3, 4, 5, 6])], width=680))
    axis = next(g for g in all_of(root, "g") if g.get("class") == "axis axis-x")
    shown = [" ".join(t.itertext()) for t in all_of(axis, "text")]
    assert shown == causes  # all six, none thinned away
    spans = all_of(axis, "tspan")
    assert spans and all(len(s.text or "") * CHAR_WIDTH <= 620 / 6 for s in spans)
    assert wrap("closed and reopened", 12) == ["closed and", "reopened"]
    # a label that cannot be wrapped into its bar is turned, still there
    narrow = parse(bar_chart(causes, [Series("", [1, 2, 3, 4, 5, 6])], width=240))
    turned = [t for t in all_of(narrow, "text") if "rotate" in (t.get("transform") or "")]
    assert [t.text for t in turned] == causes


def test_sparkline() -> None:
    root = parse(sparkline([1, None, 3, 2], target=2, title="happiness <trend>"))
    assert root.get("aria-label") == "happiness <trend>"
    d = all_of(root, "path")[0].get("d", "")
    # width 120, height 28, pad 3: x = 3 + 114 · i / 3; values 1..3 → y = 3 + 22 · (3 − v) / 2
    assert d == "M3 25 M79 3 L117 14"
    assert len(all_of(root, "circle")) == 1  # the last point
    assert str(sparkline([])).endswith("</svg>")
