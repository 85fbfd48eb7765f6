"""The clock band of a ticket's timeline: one inline SVG, a lane per clock cycle.

A lane shows what its clock did over time: `running` (counting), `paused` (a pause status),
`outside_hours` (running, but its calendar is closed) and `stopped` (between its start and
its stop when none of the others: a resolved ticket waiting to be reopened), then `stopped`
from its stop to the right edge. A dashed line marks the due instant (where the target is
reached), a solid one the stop. Kinds differ by fill *and* pattern, each stretch has a
`<title>` in words, so colour never carries the meaning alone.

Geometry, for tests: the plot spans x from `LABEL_W` to `width - PAD`; an instant `us` sits at
`LABEL_W + (width - LABEL_W - PAD) * (us - lo) / (hi - lo)`. The event row is at the top, then
one lane per cycle of `LANE_H` with `GAP` between, then the time axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from mittari.web.i18n import Translator

LABEL_W = 150.0
PAD = 12.0
EVENTS_H = 16.0
LANE_H = 22.0
GAP = 10.0
AXIS_H = 22.0
KINDS = ("running", "paused", "outside_hours", "stopped")
FILL = {"running": "#1f8a5b", "paused": "#b26a00", "outside_hours": "#c9d1dc", "stopped": "#eef0f3"}
MINUTE_US = 60_000_000
STEPS_MIN = (15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 43200)
MAX_TICKS = 8


@dataclass(frozen=True)
class Lane:
    """One clock cycle: its segments (start µs, end µs, kind), start, stop, due instant."""

    label: str
    segments: Sequence[tuple[int, int, str]]
    start_us: int
    stop_us: int | None  # None: still counting or paused
    due_us: int | None
    state: str


def merged(segments: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Adjacent stretches of one kind as one (the walk cuts a stretch at every event)."""
    out: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(segments):
        if end <= start:
            continue
        if out and out[-1][2] == kind and out[-1][1] == start:
            out[-1] = (out[-1][0], end, kind)
        else:
            out.append((start, end, kind))
    return out


def stretches(lane: Lane, hi_us: int) -> list[tuple[int, int, str]]:
    """The lane's drawn stretches: its segments, `stopped` in the gaps between its start and
    its stop, and `stopped` from its stop to `hi_us`."""
    found = merged(lane.segments)
    end = lane.stop_us if lane.stop_us is not None else max([b for _, b, _ in found] or [0])
    out: list[tuple[int, int, str]] = []
    cursor = lane.start_us
    for start, stop, kind in found:
        if start > cursor:
            out.append((cursor, start, "stopped"))
        out.append((start, stop, kind))
        cursor = max(cursor, stop)
    if lane.stop_us is not None:
        if end > cursor:
            out.append((cursor, end, "stopped"))
        if hi_us > max(cursor, end):
            out.append((max(cursor, end), hi_us, "stopped"))
    return out


def time_ticks(lo_us: int, hi_us: int, zone: str) -> list[tuple[int, str]]:
    """Instants of round local wall times across [lo, hi] (at most MAX_TICKS), labelled
    `MM-DD HH:MM` where the date changes (or `MM-DD` for steps of days), else `HH:MM`."""
    span_min = max((hi_us - lo_us) / MINUTE_US, 1.0)
    step = next((s for s in STEPS_MIN if span_min / s <= MAX_TICKS), STEPS_MIN[-1])
    tz = ZoneInfo(zone)
    first = datetime.fromtimestamp(lo_us / 1e6, UTC).astimezone(tz)
    wall = datetime(first.year, first.month, first.day)  # local midnight, naive wall time
    out: list[tuple[int, str]] = []
    last_day = None
    while len(out) <= 4 * MAX_TICKS:
        at = int(wall.replace(tzinfo=tz).timestamp() * 1_000_000)
        if at > hi_us:
            break
        if at >= lo_us:
            day = wall.date()
            if step >= 1440:
                label = wall.strftime("%m-%d")
            elif day != last_day:
                label = wall.strftime("%m-%d %H:%M")
            else:
                label = wall.strftime("%H:%M")
            out.append((at, label))
            last_day = day
        # steps are in local wall time: a tick at 08:00 stays at 08:00 across a DST change
        wall += timedelta(minutes=step)
    return out


class _Frame:
    def __init__(self, lo_us: int, hi_us: int, width: float) -> None:
        self.lo, self.hi, self.width = lo_us, max(hi_us, lo_us + 1), width

    def x(self, us: int) -> float:
        share = (min(max(us, self.lo), self.hi) - self.lo) / (self.hi - self.lo)
        return LABEL_W + (self.width - LABEL_W - PAD) * share


def _f(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _defs() -> str:
    return (
        "<defs>"
        '<pattern id="tl-paused" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{FILL["paused"]}"/>'
        '<rect width="2.5" height="6" fill="#ffffff" fill-opacity="0.45"/></pattern>'
        '<pattern id="tl-outside" width="4" height="4" patternUnits="userSpaceOnUse">'
        f'<rect width="4" height="4" fill="{FILL["outside_hours"]}"/>'
        '<circle cx="2" cy="2" r="0.8" fill="#8a94a3"/></pattern>'
        "</defs>"
    )


def _fill(kind: str) -> str:
    return {"paused": "url(#tl-paused)", "outside_hours": "url(#tl-outside)"}.get(kind, FILL[kind])


def band(
    lanes: Sequence[Lane],
    lo_us: int,
    hi_us: int,
    zone: str,
    t: Translator,
    *,
    marks: Sequence[tuple[int, str]] = (),
    width: int = 880,
) -> Markup:
    """The SVG of `lanes` over [lo_us, hi_us] (instants drawn in `zone`); `marks` are the
    ticket's events (instant, words), drawn as ticks on the top row."""
    frame = _Frame(lo_us, hi_us, float(width))
    height = EVENTS_H + len(lanes) * (LANE_H + GAP) + AXIS_H
    title = t("tl_band_title", n=len(lanes))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-band" role="img"'
        f' width="{width}" height="{_f(height)}" viewBox="0 0 {width} {_f(height)}"'
        f' aria-label="{escape(title)}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        _defs(),
    ]
    parts.append(_axis(frame, height - AXIS_H, zone))  # first: its grid lies under the lanes
    parts.append(_events_row(frame, marks, zone, t))
    for index, lane in enumerate(lanes):
        parts.append(_lane(frame, lane, EVENTS_H + index * (LANE_H + GAP), zone, t))
    parts.append("</svg>")
    return Markup("".join(parts))


def _events_row(frame: _Frame, marks: Sequence[tuple[int, str]], zone: str, t: Translator) -> str:
    out = [
        f'<g class="events"><text x="4" y="{_f(EVENTS_H - 4)}" fill="#5b6776">'
        f"{escape(t('tl_events'))}</text>"
    ]
    for at, words in marks:
        x = _f(frame.x(at))
        tip = f"{t.when(at, zone, seconds=True)} {words}"
        out.append(
            f'<line class="event-mark" x1="{x}" x2="{x}" y1="3" y2="{_f(EVENTS_H - 2)}"'
            f' stroke="#5b6776" stroke-width="1"><title>{escape(tip)}</title></line>'
        )
    out.append("</g>")
    return "".join(out)


def _lane(frame: _Frame, lane: Lane, top: float, zone: str, t: Translator) -> str:
    out = [
        f'<g class="lane" data-state="{escape(lane.state)}">'
        f'<text class="lane-label" x="4" y="{_f(top + LANE_H / 2 + 4)}" fill="#1b2430">'
        f"{escape(lane.label)}</text>"
    ]
    for start, end, kind in stretches(lane, frame.hi):
        x0, x1 = frame.x(start), frame.x(end)
        tip = (
            f"{t('tl_seg_' + kind)}: {t.when(start, zone, seconds=True)} – "
            f"{t.when(end, zone, seconds=True)} ({t.duration(end - start)})"
        )
        out.append(
            f'<rect class="seg seg-{kind}" data-kind="{kind}" data-start="{start}"'
            f' data-end="{end}" x="{_f(x0)}" y="{_f(top)}" width="{_f(max(x1 - x0, 0.5))}"'
            f' height="{_f(LANE_H)}" fill="{_fill(kind)}"><title>{escape(tip)}</title></rect>'
        )
    if lane.stop_us is not None:
        x = _f(frame.x(lane.stop_us))
        tip = f"{t('tl_stop')}: {t.when(lane.stop_us, zone, seconds=True)}"
        out.append(
            f'<line class="stop" x1="{x}" x2="{x}" y1="{_f(top - 3)}" y2="{_f(top + LANE_H + 3)}"'
            f' stroke="#1b2430" stroke-width="2"><title>{escape(tip)}</title></line>'
        )
    if lane.due_us is not None:
        x = _f(frame.x(lane.due_us))
        tip = f"{t('tl_due')}: {t.when(lane.due_us, zone, seconds=True)}"
        out.append(
            f'<line class="due" data-at="{lane.due_us}" x1="{x}" x2="{x}" y1="{_f(top - 4)}"'
            f' y2="{_f(top + LANE_H + 4)}" stroke="#c0392b" stroke-width="2"'
            f' stroke-dasharray="4 3"><title>{escape(tip)}</title></line>'
        )
    out.append("</g>")
    return "".join(out)


def _axis(frame: _Frame, top: float, zone: str) -> str:
    out = [
        f'<g class="axis"><line x1="{_f(LABEL_W)}" x2="{_f(frame.width - PAD)}"'
        f' y1="{_f(top + 2)}" y2="{_f(top + 2)}" stroke="#8a94a3" stroke-width="1"/>'
    ]
    for at, label in time_ticks(frame.lo, frame.hi, zone):
        x = _f(frame.x(at))
        out.append(
            f'<line x1="{x}" x2="{x}" y1="{_f(EVENTS_H)}" y2="{_f(top + 5)}" stroke="#d9dee5"'
            f' stroke-width="1"/><text class="tick" x="{x}" y="{_f(top + 16)}"'
            f' text-anchor="middle" fill="#5b6776">{escape(label)}</text>'
        )
    out.append("</g>")
    return "".join(out)
