"""Golden cases of the integrity flags: each flag's triggers and near-misses, as files.

Each folder of `integrity_cases/` is one behaviour named as a sentence: `contract.yaml`
(with its `integrity:` thresholds), `events.csv`, `as_of.txt`, an optional `tickets.csv`
(`ticket_id, requester, service, origin`), a README.md with the reasoning, and
`expected_flags.csv` worked out by hand: `ticket_id, flag, rule, at, evidence`, where
evidence lists the triggering events by their line in events.csv (the header is line 1).
Where the case holds them, `expected_reported.csv` and `expected_honest.csv` are the
measurements of the log as it is and with the flagged behaviour undone (columns as in
`cases/*/expected.csv`). The fast engine and the reference twin must both reproduce every
expected file exactly.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pytest
from strategies import iso, make_log, utc
from test_golden import as_csv_row, as_lines

from mittari.engine.calendar import BusinessCalendar
from mittari.engine.clock import measure
from mittari.engine.integrity import (
    FLAG_NAMES,
    FLAG_OF,
    RULE_NAMES,
    IntegrityPolicy,
    Rule,
    TicketFacts,
    find_flags,
    honest_log,
)
from mittari.engine.reference_integrity import ref_flags
from mittari.engine.types import ContractPolicy, EventLog, Measurements
from mittari.spec import load_contract
from mittari.spec.integrity_load import load_integrity

CASES = Path(__file__).parent / "integrity_cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
COLUMNS = ["ticket_id", "flag", "rule", "at", "evidence"]
Hit = tuple[int, int, int, tuple[int, ...]]


@dataclass(frozen=True)
class Case:
    path: Path
    contract: ContractPolicy
    integrity: IntegrityPolicy
    log: EventLog
    lines: list[int]  # per log row: its line in events.csv
    facts: TicketFacts
    as_of: int

    @property
    def calendars(self) -> dict[str, BusinessCalendar]:
        return {n: BusinessCalendar(s) for n, s in self.contract.calendars.items()}


def load_case(path: Path) -> Case:
    with (path / "events.csv").open(newline="") as f:
        keys = ("ticket_id", "ts", "kind", "value", "actor")
        rows = [tuple(r[k] for k in keys) for r in csv.DictReader(f)]
    log = make_log(rows)
    # make_log sorts stably by (ticket in order of appearance, ts): the same order here.
    codes = {t: i for i, t in enumerate(dict.fromkeys(r[0] for r in rows))}
    order = np.lexsort(([utc(r[1]) for r in rows], [codes[r[0]] for r in rows]))
    (contract,) = load_contract(path / "contract.yaml")
    integrity = load_integrity(path / "contract.yaml")[(contract.customer, contract.version)]
    as_of = utc((path / "as_of.txt").read_text().strip())
    lines = [int(i) + 2 for i in order]
    return Case(path, contract, integrity, log, lines, read_facts(path, log), as_of)


def read_facts(path: Path, log: EventLog) -> TicketFacts:
    facts = TicketFacts.unknown(log.n_tickets)
    file = path / "tickets.csv"
    if not file.exists():
        return facts
    index = {t: i for i, t in enumerate(log.ticket_ids)}
    people: dict[str, int] = {}
    services: dict[str, int] = {}
    with file.open(newline="") as f:
        for r in csv.DictReader(f):
            i = index[r["ticket_id"]]
            facts.requester[i] = people.setdefault(r["requester"], len(people))
            facts.service[i] = services.setdefault(r["service"], len(services))
            facts.origin[i] = index[r["origin"]] if r["origin"] else -1
    return facts


def hit_lines(case: Case, hits: list[Hit]) -> list[str]:
    out = [",".join(COLUMNS)]
    for ticket, rule, at, evidence in hits:
        flag = FLAG_NAMES[FLAG_OF[Rule(rule)]]
        shown = " ".join(str(case.lines[e]) for e in evidence)
        out.append(f"{case.log.ticket_ids[ticket]},{flag},{RULE_NAMES[rule]},{iso(at)},{shown}")
    return out


def expected(case: Case, name: str) -> list[str]:
    return (case.path / name).read_text().strip().splitlines()


def check(case: Case, name: str, got: list[str], who: str) -> None:
    want = expected(case, name)
    # Rows compare as a set, so a file may list them in any order a reader finds clearest.
    want, got = [want[0], *sorted(want[1:])], [got[0], *sorted(got[1:])]
    if got != want:
        diff = difflib.unified_diff(want, got, name, who, lineterm="")
        pytest.fail(f"{case.path.name}: {who} differs from {name}\n" + "\n".join(diff))


def fast_hits(case: Case) -> list[Hit]:
    judged = np.ones(case.log.n_tickets, dtype=bool)
    f = find_flags(
        case.log, case.contract.metrics, case.calendars, case.integrity, case.facts, judged,
        case.as_of,
    )  # fmt: skip
    return [
        (int(f.ticket[i]), int(f.rule[i]), int(f.at[i]), tuple(int(e) for e in f.events_of(i)))
        for i in range(len(f))
    ]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_fast_engine(name: str) -> None:
    case = load_case(CASES / name)
    check(case, "expected_flags.csv", hit_lines(case, fast_hits(case)), "fast engine")


@pytest.mark.parametrize("name", CASE_NAMES)
def test_reference_twin(name: str) -> None:
    case = load_case(CASES / name)
    judged = [True] * case.log.n_tickets
    hits = ref_flags(
        case.log, case.contract.metrics, case.contract.calendars, case.integrity, case.facts,
        judged, case.as_of,
    )  # fmt: skip
    check(case, "expected_flags.csv", hit_lines(case, hits), "reference twin")


def measured_lines(case: Case, log: EventLog) -> list[str]:
    m: Measurements = measure(log, case.contract.metrics, case.calendars, case.as_of)
    names = [f.name for f in fields(m)]
    rows = [{n: int(getattr(m, n)[i]) for n in names} for i in range(len(m))]
    return as_lines([as_csv_row(r, log, case.contract) for r in rows])


WITH_HONEST = [n for n in CASE_NAMES if (CASES / n / "expected_honest.csv").exists()]


@pytest.mark.parametrize("name", WITH_HONEST)
def test_reported_and_honest_measurements(name: str) -> None:
    case = load_case(CASES / name)
    check(case, "expected_reported.csv", measured_lines(case, case.log), "reported")
    judged = np.ones(case.log.n_tickets, dtype=bool)
    flags = find_flags(
        case.log, case.contract.metrics, case.calendars, case.integrity, case.facts, judged,
        case.as_of,
    )  # fmt: skip
    honest = measured_lines(case, honest_log(case.log, flags))
    check(case, "expected_honest.csv", honest, "honest")


def test_every_case_is_complete() -> None:
    needed = {"contract.yaml", "events.csv", "as_of.txt", "expected_flags.csv", "README.md"}
    for name in CASE_NAMES:
        present = {p.name for p in (CASES / name).iterdir()}
        assert not needed - present, f"{name} lacks {sorted(needed - present)}"
        assert ("expected_honest.csv" in present) == ("expected_reported.csv" in present), name


def test_every_rule_has_a_golden_case_that_fires_it() -> None:
    fired = set()
    for name in CASE_NAMES:
        lines = (CASES / name / "expected_flags.csv").read_text().strip().splitlines()
        fired |= {line.split(",")[2] for line in lines[1:]}
    assert fired == set(RULE_NAMES)
