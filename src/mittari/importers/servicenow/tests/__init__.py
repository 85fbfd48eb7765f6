"""Tests of the ServiceNow importer; helpers shared by its test modules."""

from __future__ import annotations

import csv
from pathlib import Path

from mittari.importers.extract import Extract

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
EXPECTED = Path(__file__).resolve().parent / "expected"

Event = tuple[str, str, str, str | None, str | None, int | None, str | None]


def events_of(extract: Extract) -> list[Event]:
    """(ticket_id, ts as ISO UTC with Z, kind, value, raw_value, line, ref) of each event."""
    rows = extract.events.to_pylist()
    assert all(row["actor"] is None for row in rows)  # no replies or notes from ServiceNow
    assert all(row["file"] == rows[0]["file"] for row in rows)
    return [
        (
            row["ticket_id"],
            row["ts"].strftime("%Y-%m-%dT%H:%M:%SZ"),
            row["kind"],
            row["value"],
            row["raw_value"],
            row["line"],
            row["ref"],
        )
        for row in rows
    ]


def problems_of(extract: Extract) -> list[tuple[int | None, str, object]]:
    """(line, field, value) of each problem."""
    return [(p.line, p.field, p.value) for p in extract.problems]


def expected(name: str) -> list[Event]:
    """The hand-worked events of `expected/<name>`: CSV in the columns of `events_of`, lines
    starting with `#` telling the story, empty cells None."""
    text = (EXPECTED / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    return [
        (
            row["ticket_id"],
            row["ts"],
            row["kind"],
            row["value"] or None,
            row["raw_value"] or None,
            int(row["line"]) if row["line"] else None,
            row["ref"] or None,
        )
        for row in rows
    ]
