"""Golden cases of the experience metrics: each folder of `experience_cases/` is one
behaviour named as a sentence, with `events.csv`, `tickets.csv`, `answers.csv`, `as_of.txt`
(and `timezone.txt`, else UTC) and `expected.csv` worked out by hand in its README.md.
Only the columns of expected.csv are compared; figures to 4 decimals, empty for none."""

from __future__ import annotations

import csv
import math
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from mittari.importers.canonical import read_events
from mittari.services.experience import experience_parts, figures_table

CASES = Path(__file__).parent / "experience_cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _text_table(path: Path) -> pa.Table:
    with path.open(encoding="utf-8") as handle:
        names = next(csv.reader(handle))
    options = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()))
    return pacsv.read_csv(path, convert_options=options)


def _figures(case: Path) -> pa.Table:
    log = read_events(case / "events.csv", require_created=False).log
    tickets = _text_table(case / "tickets.csv")
    aligned = tickets.take(pc.index_in(pa.array(log.ticket_ids), value_set=tickets["ticket_id"]))
    answers = _text_table(case / "answers.csv")
    stamps = pc.cast(pc.strptime(answers["answered_at"], "%Y-%m-%dT%H:%M:%SZ", "us"), pa.int64())
    answers = answers.append_column("ts_us", stamps).append_column(
        "ticket_ref", answers["ticket_id"]
    )
    for name in ("comment", "factors", "lost_time", "language", "service", "ticket_id"):
        empty = pc.equal(answers[name], "")
        answers = answers.set_column(
            answers.column_names.index(name), name, pc.if_else(empty, None, answers[name])
        )
    found = pc.index_in(answers["ticket_id"], value_set=pa.array(log.ticket_ids))
    ticket = np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    as_of = (case / "as_of.txt").read_text().strip().replace("Z", "+00:00")
    zone_file = case / "timezone.txt"
    zone = zone_file.read_text().strip() if zone_file.exists() else "UTC"
    as_of_us = int(datetime.fromisoformat(as_of).timestamp()) * 1_000_000
    parts = experience_parts(
        log, aligned, answers, ticket, customer="c", timezone=zone, as_of_us=as_of_us
    )
    return figures_table(parts)


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}"
    return str(value)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_golden_case(name: str) -> None:
    case = CASES / name
    with (case / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    table = _figures(case).to_pylist()
    got = [{k: _shown(row.get(k)) for k in expected[0]} for row in table]
    want = [{k: _norm(v) for k, v in row.items()} for row in expected]
    assert got == want


def _norm(text: str) -> str:
    if text == "":
        return ""
    try:
        return _shown(float(text)) if "." in text else text
    except ValueError:
        return text
