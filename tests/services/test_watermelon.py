"""The watermelon matrix on hand-made statuses: every class and its drivers."""

from __future__ import annotations

import pyarrow as pa

from mittari.engine.xla import Cell
from mittari.services.watermelon import Comment, matrix
from mittari.services.xla import XLA_SCHEMA

M = "2026-02"


def _xla(service: str, figure: str, status: str, value: float | None = 50.0) -> dict[str, object]:
    return {
        "customer": "acme",
        "service": service,
        "month": M,
        "figure": figure,
        "direction": "min",
        "objective": 40.0,
        "value": value,
        "basis": 9,
        "status": status,
        "baseline": None,
    }


XLA = pa.Table.from_pylist(
    [
        _xla("green", "happiness", "met"),
        _xla("melon", "happiness", "missed", 20.0),
        _xla("melon", "csat_pct", "met"),
        _xla("reverse", "happiness", "met"),
        _xla("red", "happiness", "missed", 0.0),
        _xla("thin", "happiness", "not enough answers", None),
    ],
    schema=XLA_SCHEMA,
)
SLA = {
    (s, M): ok
    for s, ok in [
        ("green", True),
        ("melon", True),
        ("reverse", False),
        ("red", False),
        ("thin", True),
        ("no-answers", False),
    ]
}
FIGURES = pa.Table.from_pylist(
    [
        {
            "service": "melon",
            "month": M,
            "lost_time_mean_min": 75.0,
            "lost_time_total_h": 10.0,
            "factor_not_fixed_pct": 60.0,
            "factor_speed_pct": 40.0,
            "factor_friendly_pct": 0.0,
            "factor_easy_pct": 10.0,
            "factor_skills_pct": 5.0,
        },
    ]
)
COMMENTS = {
    ("melon", M): [
        Comment("Thanks", "positive"),
        Comment("Still broken", "negative"),
        Comment("Ei toiminut", "negative"),
        Comment("ok", "neutral"),
    ],
    ("reverse", M): [Comment("Slow but fine", "neutral"), Comment("Great help", "positive")],
}


def test_every_class() -> None:
    cells = {c.service: c for c in matrix(SLA, XLA, FIGURES, COMMENTS)}
    assert {s: c.cell for s, c in cells.items()} == {
        "green": Cell.GREEN,
        "melon": Cell.WATERMELON,
        "reverse": Cell.REVERSE,
        "red": Cell.RED,
        "thin": Cell.UNKNOWN,  # no objective judged: not enough answers
        "no-answers": Cell.UNKNOWN,  # an SLA month without any XLA row
    }
    assert cells["green"].drivers is None and cells["red"].drivers is None


def test_a_watermelon_is_explained_by_its_drivers() -> None:
    melon = next(c for c in matrix(SLA, XLA, FIGURES, COMMENTS) if c.service == "melon")
    assert melon.drivers is not None
    assert melon.drivers.missed == ("happiness 20 (min 40)",)
    assert melon.drivers.factors == ("not_fixed 60%", "speed 40%", "easy 10%")
    assert (melon.drivers.lost_time_mean_min, melon.drivers.lost_time_total_h) == (75.0, 10.0)
    texts = [c.text for c in melon.drivers.comments]
    assert texts == ["Still broken", "Ei toiminut", "Thanks"]  # complaints first, three


def test_a_reverse_cell_shows_its_praise_first() -> None:
    reverse = next(c for c in matrix(SLA, XLA, FIGURES, COMMENTS) if c.service == "reverse")
    assert reverse.drivers is not None and reverse.drivers.missed == ()
    assert [c.text for c in reverse.drivers.comments] == ["Great help", "Slow but fine"]
    assert reverse.drivers.lost_time_mean_min is None
