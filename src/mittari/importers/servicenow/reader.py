"""`read`: a ServiceNow file (Table API JSON or CSV history export) into an `Extract`."""

from __future__ import annotations

import json
from pathlib import Path

from mittari.errors import InputError, Problem
from mittari.importers.extract import Extract
from mittari.importers.mapping import check_zone
from mittari.importers.servicenow.csvfile import read_rows
from mittari.importers.servicenow.history import history_events
from mittari.importers.servicenow.mapper import Mapper
from mittari.importers.servicenow.settings import Settings, Vocabulary, load_settings
from mittari.importers.servicenow.snapshot import results_of, snapshot_events
from mittari.importers.servicenow.times import TimeReader

SOURCE = "servicenow"


def read(
    path: str | Path, *, mapping: str | Path | None = None, timezone: str | None = None
) -> Extract:
    """Read a Table API response of incidents (`.json`) or an incident history export (`.csv`).

    `mapping` replaces the shipped `mapping.yaml`; `timezone` (an IANA name) is the zone of
    timestamps written without a UTC offset, without which such a timestamp is a problem.
    Raises `InputError` for an unreadable file, a bad mapping, an unknown zone or a CSV
    without the number, state or update-time column; row-level faults are `problems`.
    """
    file = str(path)
    settings, mapping_file = load_settings(mapping)
    check_zone(file, timezone)
    text = _text(path)
    times = TimeReader(settings.timestamp_format, settings.dayfirst, timezone)
    mapper = Mapper(file, mapping_file, Vocabulary(settings), times)
    if _is_json(path, text):
        n_read = _read_json(file, text, settings, mapper)
    else:
        n_read = _read_csv(file, text, settings, mapper)
    problems = sorted(mapper.problems, key=lambda p: p.line or 0)  # stable: JSON keeps order
    events, tickets = mapper.events.table(), mapper.tickets.table()
    return Extract(SOURCE, events, tickets, problems, n_read)


def _read_json(file: str, text: str, settings: Settings, mapper: Mapper) -> int:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(file, exc.lineno, "json", None, exc.msg)]) from exc
    results = results_of(file, document)
    snapshot_events(results, settings.columns, mapper, settings.json_utc)
    return len(results)


def _read_csv(file: str, text: str, settings: Settings, mapper: Mapper) -> int:
    rows = read_rows(file, text, settings.columns, settings.delimiter)
    mapper.problems.extend(rows.problems)
    history_events(rows, mapper)
    return rows.n_read


def _text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), None, "file", None, f"cannot read: {exc}")]) from exc


def _is_json(path: str | Path, text: str) -> bool:
    """By the suffix; otherwise a document opening with `{` or `[` is JSON."""
    suffix = Path(path).suffix.lower()
    if suffix in (".json", ".csv"):
        return suffix == ".json"
    return text.lstrip()[:1] in ("{", "[")
