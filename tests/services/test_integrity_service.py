"""Integrity through the service: flags with evidence in words, counts, and compliance
reported beside honest, worked by hand on a small log."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from mittari.engine.integrity import Flags, IntegrityPolicy, Rule
from mittari.engine.types import EventLog, Kind
from mittari.services.integrity import judge, merge_flags, run_integrity, ticket_facts
from mittari.services.integrity_tables import last_assign

CONTRACT = """\
apiVersion: mittari/v1
kind: Contract
metadata: {customer: acme, name: Acme Oy, version: "1"}
spec:
  timezone: Europe/Helsinki
  effective: {from: 2026-01-01}
  calendars:
    always: {alwaysOpen: true}
  metrics:
    resolution: {type: resolution, objective: 90%, targets: {P2: {within: 10h, calendar: always}}}
"""

# T1 is paused at 09:00Z with no question asked and kept waiting until 19:00Z: reported
# 1 h + 30 min (met), honest 11 h 30 min (breached at 18:00Z). T2 is met either way (2 h).
EVENTS = """\
ticket_id,ts,kind,value,actor
T1,2026-03-02T08:00:00Z,created,,
T1,2026-03-02T08:00:00Z,priority,P2,
T1,2026-03-02T08:00:00Z,assign,desk-a,
T1,2026-03-02T09:00:00Z,status,pending_customer,
T1,2026-03-02T19:00:00Z,status,open,
T1,2026-03-02T19:30:00Z,status,resolved,
T2,2026-03-02T08:00:00Z,created,,
T2,2026-03-02T08:00:00Z,priority,P2,
T2,2026-03-02T08:00:00Z,assign,desk-a,
T2,2026-03-02T09:00:00Z,assign,desk-b,
T2,2026-03-02T10:00:00Z,status,resolved,
"""
TICKETS = """\
ticket_id,customer,service,type,requester,subject,team
T1,acme,mail,incident,alice,Mail down,red
T2,acme,mail,incident,,Slow,blue
"""
AS_OF = 1_774_000_000_000_000  # 2026-03-20


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    for name, text in (("c.yaml", CONTRACT), ("events.csv", EVENTS), ("tickets.csv", TICKETS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return {n: tmp_path / n for n in ("c.yaml", "events.csv", "tickets.csv")}


def run(files: dict[str, Path], by: list[str]) -> pa.Table:
    report, _ = run_integrity(
        [files["c.yaml"]], files["events.csv"], files["tickets.csv"], AS_OF, None, False, by
    )
    return report.compliance


def test_flags_carry_their_evidence_in_words(files: dict[str, Path]) -> None:
    report, notes = run_integrity(
        [files["c.yaml"]], files["events.csv"], files["tickets.csv"], AS_OF, None, False, ["metric"]
    )
    assert report.flags.to_pylist() == [
        {
            "customer": "acme",
            "contract_version": "1",
            "ticket_id": "T1",
            "flag": "pause_without_cause",
            "rule": "no_question",
            "at": report.flags.column("at")[0].as_py(),
            "evidence": "T1 2026-03-02T09:00:00Z status:pending_customer",
        }
    ]
    assert str(report.flags.column("at")[0]) == "2026-03-02 09:00:00+00:00"
    counts = {
        r["flag"]: (r["hits"], r["tickets"], r["share_pct"]) for r in report.counts.to_pylist()
    }
    assert counts["pause_without_cause"] == (1, 1, 50.0)
    assert counts["premature_resolve"] == (0, 0, 0.0)
    assert "deadline_bunching" not in counts  # a per-team test, in report.bunching
    assert report.bunching.column_names[:4] == ["customer", "contract_version", "assignee", "month"]
    assert notes[0].startswith("events: 11 read")


def test_reported_and_honest_compliance_side_by_side(files: dict[str, Path]) -> None:
    table = run(files, ["month", "metric"])
    assert table.to_pylist() == [
        {
            "month": "2026-03",
            "metric": "resolution",
            "objective_pct": 90.0,
            "reported_count": 2,
            "honest_count": 2,
            "reported_met": 2,
            "honest_met": 1,
            "reported_compliance_pct": 100.0,
            "honest_compliance_pct": 50.0,
            "reported_objective_met": True,
            "honest_objective_met": False,
        }
    ]


def test_by_assignee_at_the_stop_and_by_a_ticket_column(files: dict[str, Path]) -> None:
    by_assignee = run(files, ["assignee"])  # T2 moved to desk-b before it was resolved
    rows = {r["assignee"]: (r["reported_met"], r["honest_met"]) for r in by_assignee.to_pylist()}
    assert rows == {"desk-a": (1, 0), "desk-b": (1, 1)}
    assert by_assignee.column("objective_pct").null_count == 2  # no metric key: no objective
    by_team = run(files, ["team", "metric"])
    rows = {r["team"]: r["honest_compliance_pct"] for r in by_team.to_pylist()}
    assert rows == {"red": 0.0, "blue": 100.0}


def test_ticket_facts_read_requester_service_and_origin() -> None:
    z = np.zeros(0, dtype=np.int64)
    log = EventLog(z, z, z.astype(np.int8), z, z.astype(np.int8), ("A", "B", "C"))
    tickets = pa.table(
        {
            "requester": ["ann", "", "ann"],  # an empty value is unknown
            "service": ["mail", "mail", None],
            "origin": ["", "A", "nope"],  # an id not in the log links nothing
        }
    )
    facts = ticket_facts(log, tickets)
    assert facts.requester.tolist() == [0, -1, 0]
    assert facts.service.tolist() == [0, 0, -1]
    assert facts.origin.tolist() == [-1, 0, -1]


def test_merged_flags_keep_each_rows_evidence() -> None:
    a = Flags(*(np.array(v, dtype=np.int64) for v in ([0], [int(Rule.LATE)], [5], [0, 1], [7])))
    b = Flags(
        *(np.array(v, dtype=np.int64) for v in ([2, 3], [1, 2], [6, 7], [0, 2, 3], [8, 9, 10]))
    )
    m = merge_flags([a, b])
    assert m.ticket.tolist() == [0, 2, 3]
    assert [m.events_of(i).tolist() for i in range(3)] == [[7], [8, 9], [10]]
    assert len(merge_flags([])) == 0


def test_last_assign_at_an_instant() -> None:
    log = EventLog(
        np.array([0, 0, 0, 1], dtype=np.int64),
        np.array([0, 10, 10, 5], dtype=np.int64),
        np.array([Kind.CREATED, Kind.ASSIGN, Kind.ASSIGN, Kind.ASSIGN], dtype=np.int8),
        np.array([-1, 0, 1, 2], dtype=np.int64),
        np.full(4, -1, dtype=np.int8),
        ("T0", "T1"),
        ("a", "b", "c"),
    )
    got = last_assign(log, np.array([0, 0, 0, 1, 1]), np.array([9, 10, 99, 4, 5]))
    assert got.tolist() == [-1, 1, 1, -1, 2]  # at equal instants, the later event wins


def test_a_version_without_integrity_policy_gets_the_defaults(files: dict[str, Path]) -> None:
    from mittari.importers.canonical.parser import read_events
    from mittari.spec import load_contract

    log = read_events(files["events.csv"]).log
    contracts = load_contract(files["c.yaml"])
    customers = np.full(log.n_tickets, "acme", dtype=object)
    report = judge(log, contracts, {}, customers, None, AS_OF, ["metric"])
    assert report.flags.num_rows == 1
    assert report.compliance.column("honest_met").to_pylist() == [1]
    assert IntegrityPolicy().pause_without_cause.require_question
