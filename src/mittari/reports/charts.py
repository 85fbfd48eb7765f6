"""SVG charts drawn by hand: no JavaScript, no chart library.

One module serves the printed review (WeasyPrint renders inline ``<svg>``) and the dashboard (the
browser does). Colours come twice: as presentation attributes from a small default palette, so a
chart mailed or printed without a stylesheet still has colour, and as classes, so a stylesheet
decides them wherever there is one (any CSS rule beats a presentation attribute).

Geometry, so tests can work positions out by hand: the plot area spans ``x`` from ``LEFT`` to
``width - RIGHT`` and ``y`` from the top margin to ``height - BOTTOM``; label ``i`` of ``n`` sits in
the middle of the ``i``-th of ``n`` equal bands, and a value ``v`` sits at
``top + plot_height * (hi - v) / (hi - lo)`` where ``[lo, hi]`` is the axis range after rounding
out to nice ticks. The bottom margin is ``BOTTOM``, more where a bar chart's labels wrap or turn.

X labels never overlap: a line chart's are thinned to every n-th, counted back from the last;
a small bar chart labels every bar, its label wrapped onto lines as wide as the bar, or
turned when a word is still too long.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

LEFT = 48.0  # room for y tick labels such as "99.95"
RIGHT = 12.0
BOTTOM = 26.0  # room for x labels
TOP_BARE = 10.0
TITLE_HEIGHT = 18.0
LEGEND_HEIGHT = 16.0
# x labels: a character's width at the stylesheets' 11 px (wider than the 10 px unstyled),
# the least room between two labels, a wrapped label's line height, and the most lines.
CHAR_WIDTH = 6.6
LABEL_GAP = 10.0
LINE_HEIGHT = 12.0
MOST_LINES = 3
SMALL_BARS = 12  # a bar chart of at most this many bars labels every bar
TILT = 35.0  # degrees a label is turned when even wrapped it does not fit its bar

# Colour-blind-safe defaults (Okabe–Ito); the classes let CSS override them.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442")
TARGET_COLOUR = "#d55e00"
AXIS_COLOUR = "#888888"
GRID_COLOUR = "#dddddd"
TEXT_COLOUR = "#333333"


@dataclass(frozen=True)
class Series:
    """One named row of values; ``None`` is a gap (no data for that label)."""

    name: str
    values: Sequence[float | None]
    css_class: str = ""


@dataclass(frozen=True)
class _Frame:
    width: float
    height: float
    top: float
    lo: float
    hi: float
    foot: float = BOTTOM  # room below the plot for the x labels

    @property
    def plot_width(self) -> float:
        return self.width - LEFT - RIGHT

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.foot

    @property
    def bottom(self) -> float:
        return self.height - self.foot

    def x(self, index: int, count: int) -> float:
        band = self.plot_width / max(count, 1)
        return LEFT + band * (index + 0.5)

    def y(self, value: float) -> float:
        return self.top + self.plot_height * (self.hi - value) / (self.hi - self.lo)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values (steps of 1, 2, 2.5 or 5 × 10^k) covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"chart range must be finite, got {lo!r}..{hi!r}")
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(lo) * 0.05 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    steps = round((last - first) / step)
    return [_clean(first + i * step) for i in range(steps + 1)]


def _clean(value: float) -> float:
    rounded = round(value, 10)
    return 0.0 if rounded == 0 else rounded


def format_number(value: float, unit: str = "", decimal: str = ".") -> str:
    """Short, exact-enough label: 99.5, 12, 0.25 (99,5 with `decimal=","`, as Finnish
    writes it); the unit follows without a space for %."""
    text = f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    if text == "-0":
        text = "0"
    text = text.replace(".", decimal)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _fmt(value: float) -> str:
    """Coordinates with two decimals at most: exact enough, short enough."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _series_class(index: int, series: Series) -> str:
    extra = f" {series.css_class}" if series.css_class else ""
    return f"series series-{index}{extra}"


def _finite(values: Sequence[float | None]) -> list[float]:
    out: list[float] = []
    for value in values:
        if value is None:
            continue
        number = float(value)
        if math.isnan(number):
            continue
        if math.isinf(number):
            raise ValueError(f"chart value must be finite, got {value!r}")
        out.append(number)
    return out


def _open_svg(width: int, height: int, title: str, kind: str) -> list[str]:
    label = title or f"{kind} chart"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img"'
        f' width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' aria-label="{escape(label)}" font-family="sans-serif" font-size="10">',
        f"<title>{escape(label)}</title>",
    ]


def _title_and_legend(parts: list[str], title: str, series: Sequence[Series], width: int) -> float:
    """Draws title and legend above the plot; returns the top of the plot area."""
    top = TOP_BARE
    if title:
        parts.append(
            f'<text class="chart-title" x="{_fmt(LEFT)}" y="13" font-size="12" font-weight="bold"'
            f' fill="{TEXT_COLOUR}">{escape(title)}</text>'
        )
        top += TITLE_HEIGHT
    named = [(i, s) for i, s in enumerate(series) if s.name]
    if len(named) > 1 or (named and not title):
        y = top
        x = LEFT
        parts.append('<g class="legend">')
        for index, item in named:
            parts.append(
                f'<rect class="legend-swatch {_series_class(index, item)}" x="{_fmt(x)}"'
                f' y="{_fmt(y - 8)}" width="10" height="10" fill="{_colour(index)}"/>'
                f'<text x="{_fmt(x + 14)}" y="{_fmt(y + 1)}" fill="{TEXT_COLOUR}">'
                f"{escape(item.name)}</text>"
            )
            x += 24 + 6 * len(item.name)
            if x > width - RIGHT - 40:
                break
        parts.append("</g>")
        top += LEGEND_HEIGHT
    return top


def _axes(parts: list[str], frame: _Frame, ticks: Sequence[float], unit: str, decimal: str) -> None:
    parts.append('<g class="axis axis-y">')
    for tick in ticks:
        y = _fmt(frame.y(tick))
        parts.append(
            f'<line class="grid" x1="{_fmt(LEFT)}" x2="{_fmt(frame.width - RIGHT)}" y1="{y}"'
            f' y2="{y}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{_fmt(LEFT - 4)}" y="{y}" dy="3" text-anchor="end"'
            f' fill="{TEXT_COLOUR}">{escape(format_number(tick, unit, decimal))}</text>'
        )
    parts.append(
        f'<line class="axis-line" x1="{_fmt(LEFT)}" x2="{_fmt(LEFT)}" y1="{_fmt(frame.top)}"'
        f' y2="{_fmt(frame.bottom)}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    parts.append("</g>")


def label_step(labels: Sequence[str], plot_width: float) -> int:
    """Show every n-th label, n the least that keeps neighbouring labels from overlapping."""
    if not labels:
        return 1
    band = plot_width / len(labels)
    longest = max(len(label) for label in labels) or 1
    return max(1, math.ceil((longest * CHAR_WIDTH + LABEL_GAP) / band))


def shown_labels(count: int, every: int) -> list[int]:
    """The indexes of the labels shown: every `every`-th counted back from the last, which
    always stays (it is usually "this month"), so the gaps are even."""
    return [i for i in range(count) if (count - 1 - i) % every == 0]


def wrap(label: str, chars: int) -> list[str]:
    """`label` in lines of at most `chars` characters, broken between words (a word longer
    than a line stands alone on its line)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class _Labels:
    """How the x labels are drawn: the lines of each label (none: not shown), turned by
    `TILT` or not, and the room they need below the plot."""

    lines: list[list[str]]
    tilted: bool
    foot: float


def _layout(labels: Sequence[str], width: float, every_one: bool) -> _Labels:
    """Thinned labels (a line chart's months); with `every_one` (the categories of a small
    bar chart) each label, wrapped to its bar's width or else turned."""
    count = len(labels)
    plot_width = width - LEFT - RIGHT
    if not every_one:
        keep = set(shown_labels(count, label_step(labels, plot_width)))
        return _Labels([[x] if i in keep else [] for i, x in enumerate(labels)], False, BOTTOM)
    chars = max(1, int((plot_width / max(count, 1) - LABEL_GAP) // CHAR_WIDTH))
    wrapped = [wrap(label, chars) for label in labels]
    if all(len(w) <= MOST_LINES and max(map(len, w)) <= chars for w in wrapped):
        tallest = max(len(w) for w in wrapped)
        return _Labels(wrapped, False, BOTTOM + LINE_HEIGHT * (tallest - 1))
    longest = max(len(label) for label in labels)
    drop = longest * CHAR_WIDTH * math.sin(math.radians(TILT)) + LINE_HEIGHT
    return _Labels([[x] for x in labels], True, max(BOTTOM, min(drop + 8, 120.0)))


def _x_labels(parts: list[str], frame: _Frame, labels: Sequence[str], layout: _Labels) -> None:
    count = len(labels)
    if not count:
        return
    parts.append('<g class="axis axis-x">')
    parts.append(
        f'<line class="axis-line" x1="{_fmt(LEFT)}" x2="{_fmt(frame.width - RIGHT)}"'
        f' y1="{_fmt(frame.bottom)}" y2="{_fmt(frame.bottom)}" stroke="{AXIS_COLOUR}"'
        ' stroke-width="1"/>'
    )
    y = _fmt(frame.bottom + 14)
    for index, lines in enumerate(layout.lines):
        if not lines:
            continue
        x = _fmt(frame.x(index, count))
        if layout.tilted:
            parts.append(
                f'<text x="{x}" y="{y}" text-anchor="end" transform="rotate(-{_fmt(TILT)} {x} {y})"'
                f' fill="{TEXT_COLOUR}">{escape(lines[0])}</text>'
            )
        elif len(lines) == 1:
            parts.append(
                f'<text x="{x}" y="{y}" text-anchor="middle" fill="{TEXT_COLOUR}">'
                f"{escape(lines[0])}</text>"
            )
        else:
            spans = "".join(
                f'<tspan x="{x}" dy="{0 if i == 0 else _fmt(LINE_HEIGHT)}">{escape(line)}</tspan>'
                for i, line in enumerate(lines)
            )
            parts.append(
                f'<text x="{x}" y="{y}" text-anchor="middle" fill="{TEXT_COLOUR}">{spans}</text>'
            )
    parts.append("</g>")


def _target(parts: list[str], frame: _Frame, target: float | None, unit: str, decimal: str) -> None:
    if target is None:
        return
    y = _fmt(frame.y(target))
    parts.append(
        f'<line class="target" x1="{_fmt(LEFT)}" x2="{_fmt(frame.width - RIGHT)}" y1="{y}"'
        f' y2="{y}" stroke="{TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="5 3">'
        f"<title>target {escape(format_number(target, unit, decimal))}</title></line>"
    )


def _empty(parts: list[str], width: int, height: int, top: float) -> Markup:
    parts.append(
        f'<text class="chart-empty" x="{_fmt(width / 2)}" y="{_fmt((top + height) / 2)}"'
        f' text-anchor="middle" fill="{AXIS_COLOUR}">No data</text></svg>'
    )
    return Markup("".join(parts))


def _check_lengths(labels: Sequence[str], series: Sequence[Series], links: object) -> None:
    for item in series:
        if len(item.values) != len(labels):
            raise ValueError(
                f"series {item.name!r} has {len(item.values)} values for {len(labels)} labels"
            )
    if links is not None and len(links) != len(labels):  # type: ignore[arg-type]
        raise ValueError(f"links has {len(links)} entries for {len(labels)} labels")  # type: ignore[arg-type]


def _wrap_link(inner: str, link: str | None) -> str:
    if not link:
        return inner
    return f'<a href="{escape(link)}">{inner}</a>'


def _range(
    values: list[float], target: float | None, y_min: float | None, y_max: float | None
) -> tuple[float, float, list[float]]:
    pool = values + ([target] if target is not None else [])
    lo = y_min if y_min is not None else min(pool)
    hi = y_max if y_max is not None else max(pool)
    ticks = nice_ticks(lo, hi)
    if y_min is not None and y_max is not None and y_max > y_min:
        ticks = [t for t in nice_ticks(y_min, y_max) if y_min - 1e-9 <= t <= y_max + 1e-9]
        return y_min, y_max, ticks
    lo = y_min if y_min is not None else ticks[0]
    hi = y_max if y_max is not None else ticks[-1]
    if hi <= lo:
        hi = lo + 1.0
    return lo, hi, [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    target: float | None = None,
    y_min: float | None = None,
    y_max: float | None = None,
    unit: str = "",
    links: Sequence[str | None] | None = None,
    title: str = "",
    width: int = 640,
    height: int = 220,
    decimal: str = ".",
) -> Markup:
    """Lines over equally spaced labels; ``None`` breaks a line; ``links[i]`` links the i-th
    points; ``target`` draws a dashed objective line. Values outside a fixed range are clamped.
    ``decimal`` is the decimal mark of the numbers written (``","`` in Finnish)."""
    _check_lengths(labels, series, links)
    parts = _open_svg(width, height, title, "line")
    top = _title_and_legend(parts, title, series, width)
    values = [v for item in series for v in _finite(item.values)]
    if not labels or not values:
        return _empty(parts, width, height, top)
    lo, hi, ticks = _range(values, target, y_min, y_max)
    layout = _layout(labels, width, every_one=False)
    frame = _Frame(float(width), float(height), top, lo, hi, layout.foot)
    _axes(parts, frame, ticks, unit, decimal)
    _x_labels(parts, frame, labels, layout)
    _target(parts, frame, target, unit, decimal)
    count = len(labels)
    for index, item in enumerate(series):
        colour = _colour(index)
        points: list[tuple[int, float, float]] = []
        path: list[str] = []
        pen_down = False
        for i, raw in enumerate(item.values):
            if raw is None or math.isnan(float(raw)):
                pen_down = False
                continue
            value = float(raw)
            x, y = frame.x(i, count), frame.y(min(max(value, lo), hi))
            path.append(f"{'L' if pen_down else 'M'}{_fmt(x)} {_fmt(y)}")
            pen_down = True
            points.append((i, x, y))
        parts.append(f'<g class="{_series_class(index, item)}" data-series="{escape(item.name)}">')
        if path:
            parts.append(
                f'<path class="line" d="{" ".join(path)}" fill="none" stroke="{colour}"'
                ' stroke-width="2"/>'
            )
        for i, x, y in points:
            tip = f"{item.name + ': ' if item.name else ''}{labels[i]}: "
            tip += format_number(float(item.values[i] or 0.0), unit, decimal)
            dot = (
                f'<circle class="point" cx="{_fmt(x)}" cy="{_fmt(y)}" r="3" fill="{colour}">'
                f"<title>{escape(tip)}</title></circle>"
            )
            parts.append(_wrap_link(dot, links[i] if links else None))
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _stack_extent(series: Sequence[Series], count: int) -> list[float]:
    extent: list[float] = []
    for i in range(count):
        pos = sum(max(float(s.values[i] or 0.0), 0.0) for s in series)
        neg = sum(min(float(s.values[i] or 0.0), 0.0) for s in series)
        extent.extend((pos, neg))
    return extent


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = False,
    target: float | None = None,
    unit: str = "",
    links: Sequence[str | None] | None = None,
    title: str = "",
    width: int = 640,
    height: int = 220,
    decimal: str = ".",
) -> Markup:
    """Bars from zero, grouped side by side or ``stacked``; ``links[i]`` links the i-th group.
    Up to ``SMALL_BARS`` bars each bar is labelled (wrapped to its width, or turned); more
    are thinned like a line chart's."""
    _check_lengths(labels, series, links)
    parts = _open_svg(width, height, title, "bar")
    top = _title_and_legend(parts, title, series, width)
    values = [v for item in series for v in _finite(item.values)]
    if not labels or not values:
        return _empty(parts, width, height, top)
    count = len(labels)
    pool = _stack_extent(series, count) if stacked else values
    lo, hi, ticks = _range([*pool, 0.0], target, None, None)
    layout = _layout(labels, width, every_one=count <= SMALL_BARS)
    frame = _Frame(float(width), float(height), top, lo, hi, layout.foot)
    _axes(parts, frame, ticks, unit, decimal)
    _x_labels(parts, frame, labels, layout)
    band = frame.plot_width / count
    slots = 1 if stacked else max(len(series), 1)
    bar_width = band * 0.7 / slots
    for i in range(count):
        group: list[str] = []
        pos_base = neg_base = 0.0
        for index, item in enumerate(series):
            raw = item.values[i]
            if raw is None or math.isnan(float(raw)):
                continue
            value = float(raw)
            if stacked:
                start = pos_base if value >= 0 else neg_base
                end = start + value
                if value >= 0:
                    pos_base = end
                else:
                    neg_base = end
                x = frame.x(i, count) - bar_width / 2
            else:
                start, end = 0.0, value
                x = frame.x(i, count) - band * 0.35 + index * bar_width
            y_top, y_bottom = sorted((frame.y(start), frame.y(end)))
            tip = f"{item.name + ': ' if item.name else ''}{labels[i]}: "
            tip += format_number(value, unit, decimal)
            group.append(
                f'<rect class="bar {_series_class(index, item)}" x="{_fmt(x)}"'
                f' y="{_fmt(y_top)}" width="{_fmt(bar_width)}"'
                f' height="{_fmt(y_bottom - y_top)}" fill="{_colour(index)}">'
                f"<title>{escape(tip)}</title></rect>"
            )
        if group:
            inner = f'<g class="bar-group">{"".join(group)}</g>'
            parts.append(_wrap_link(inner, links[i] if links else None))
    _target(parts, frame, target, unit, decimal)
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(
    values: Sequence[float | None],
    *,
    target: float | None = None,
    width: int = 120,
    height: int = 28,
    title: str = "",
) -> Markup:
    """A bare trend line for a table cell: no axes; the last point is marked."""
    label = title or "trend"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart sparkline" role="img"'
        f' width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
    ]
    finite = _finite(values)
    if not finite:
        parts.append("</svg>")
        return Markup("".join(parts))
    pool = finite + ([target] if target is not None else [])
    lo, hi = min(pool), max(pool)
    if hi == lo:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 3.0
    count = len(values)

    def sx(i: int) -> float:
        return pad + (width - 2 * pad) * (i / (count - 1) if count > 1 else 0.5)

    def sy(v: float) -> float:
        return pad + (height - 2 * pad) * (hi - v) / (hi - lo)

    if target is not None:
        parts.append(
            f'<line class="target" x1="0" x2="{width}" y1="{_fmt(sy(target))}"'
            f' y2="{_fmt(sy(target))}" stroke="{TARGET_COLOUR}" stroke-width="1"'
            ' stroke-dasharray="3 2"/>'
        )
    path: list[str] = []
    pen_down = False
    last: tuple[float, float] | None = None
    for i, raw in enumerate(values):
        if raw is None or math.isnan(float(raw)):
            pen_down = False
            continue
        x, y = sx(i), sy(float(raw))
        path.append(f"{'L' if pen_down else 'M'}{_fmt(x)} {_fmt(y)}")
        pen_down = True
        last = (x, y)
    parts.append(
        f'<path class="line series series-0" d="{" ".join(path)}" fill="none"'
        f' stroke="{PALETTE[0]}" stroke-width="1.5"/>'
    )
    if last is not None:
        parts.append(
            f'<circle class="point last" cx="{_fmt(last[0])}" cy="{_fmt(last[1])}" r="2"'
            f' fill="{PALETTE[0]}"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
