"""Golden cases: the semantics as files a reviewer reads.

Each folder of `cases/` is one behaviour, named as a sentence: `contract.yaml`, `events.csv`,
`as_of.txt`, and `expected.csv` worked out by hand (the arithmetic is in its README.md).
Both the reference twin and the fast engine must reproduce expected.csv exactly.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from strategies import iso, make_log, utc

from mittari.engine.reference import ref_measure
from mittari.engine.types import (
    NULL_TS,
    STATE_NAMES,
    US,
    CalendarSpec,
    ContractPolicy,
    EventLog,
    priority_name,
)

CASES = Path(__file__).parent / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
COLUMNS = [
    "ticket_id",
    "metric",
    "cycle",
    "priority",
    "target_s",
    "start_at",
    "stop_at",
    "state",
    "elapsed_s",
    "wall_s",
    "due_at",
    "breached_at",
]

Row = Mapping[str, int | None]


def read_events(path: Path) -> EventLog:
    """events.csv (ticket_id, ts, kind, value, actor) as an EventLog; a stand-in for the
    canonical importer, enough for hand-written files."""
    with path.open(newline="") as f:
        rows = [
            (r["ticket_id"], r["ts"], r["kind"], r["value"], r["actor"]) for r in csv.DictReader(f)
        ]
    return make_log(rows)


def read_contract(path: Path) -> ContractPolicy:
    from mittari.spec import load_contract

    (policy,) = load_contract(path)  # golden contracts have one version
    return policy


def seconds(us: int) -> str:
    """µs as seconds: an integer when whole, else a plain decimal."""
    if us % US == 0:
        return str(us // US)
    return format(Decimal(us) / US, "f")


def as_csv_row(row: Row, log: EventLog, policy: ContractPolicy) -> dict[str, str]:
    """A measurement row in expected.csv's words."""

    def instant(key: str) -> str:
        value = row[key]
        return "" if value is None or value == NULL_TS else iso(value)

    def num(key: str) -> int:
        value = row[key]
        assert value is not None
        return int(value)

    return {
        "ticket_id": log.ticket_ids[num("ticket")],
        "metric": policy.metrics[num("metric")].name,
        "cycle": str(num("cycle")),
        "priority": priority_name(num("priority")),
        "target_s": seconds(num("target_us")),
        "start_at": instant("start_at"),
        "stop_at": instant("stop_at"),
        "state": STATE_NAMES[num("state")],
        "elapsed_s": seconds(num("elapsed_us")),
        "wall_s": seconds(num("wall_us")),
        "due_at": instant("due_at"),
        "breached_at": instant("breached_at"),
    }


def as_lines(rows: Sequence[Mapping[str, str]]) -> list[str]:
    ordered = sorted(rows, key=lambda r: (r["ticket_id"], r["metric"], int(r["cycle"])))
    return [",".join(COLUMNS)] + [",".join(r[c] for c in COLUMNS) for r in ordered]


def expected_lines(case: Path) -> list[str]:
    with (case / "expected.csv").open(newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS, f"{case.name}/expected.csv: header differs"
        return as_lines(list(reader))


def check(case: Path, got: list[str], who: str) -> None:
    expected = expected_lines(case)
    if got != expected:
        diff = difflib.unified_diff(expected, got, "expected.csv", who, lineterm="")
        pytest.fail(f"{case.name}: {who} differs from expected.csv\n" + "\n".join(diff))


def load_case(case: Path) -> tuple[ContractPolicy, EventLog, int]:
    as_of = utc((case / "as_of.txt").read_text().strip())
    return read_contract(case / "contract.yaml"), read_events(case / "events.csv"), as_of


@pytest.mark.parametrize("name", CASE_NAMES)
def test_reference_twin(name: str) -> None:
    case = CASES / name
    policy, log, as_of = load_case(case)
    rows = ref_measure(log, policy.metrics, policy.calendars, as_of)
    check(case, as_lines([as_csv_row(r, log, policy) for r in rows]), "reference twin")


@pytest.mark.parametrize("name", CASE_NAMES)
def test_fast_engine(name: str) -> None:
    from mittari.engine.calendar import BusinessCalendar
    from mittari.engine.clock import measure

    case = CASES / name
    policy, log, as_of = load_case(case)
    calendars: dict[str, CalendarSpec] = dict(policy.calendars)
    compiled = {n: BusinessCalendar(spec) for n, spec in calendars.items()}
    m = measure(log, policy.metrics, compiled, as_of)
    names = [f for f in m.__dataclass_fields__]
    rows = [{n: int(getattr(m, n)[i]) for n in names} for i in range(len(m))]
    check(case, as_lines([as_csv_row(r, log, policy) for r in rows]), "fast engine")


def test_every_case_is_complete() -> None:
    needed = {"contract.yaml", "events.csv", "as_of.txt", "expected.csv", "README.md"}
    for name in CASE_NAMES:
        missing = needed - {p.name for p in (CASES / name).iterdir()}
        assert not missing, f"{name} lacks {sorted(missing)}"
