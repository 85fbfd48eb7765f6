"""`mittari integrity` end to end on small files: counts, both compliance figures, flags."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mittari.cli.main import app

runner = CliRunner()

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
    resolution:
      type: resolution
      objective: 90%
      targets: {P2: {within: 10h, calendar: always}, P3: {within: 20h, calendar: always}}
"""
# T1 lowered to P3 at 85 % of P2's 10 h and resolved at 15 h: met as P3, breached as P2.
EVENTS = """\
ticket_id,ts,kind,value,actor
T1,2026-03-02T08:00:00Z,created,,
T1,2026-03-02T08:00:00Z,priority,P2,
T1,2026-03-02T16:30:00Z,priority,P3,
T1,2026-03-02T23:00:00Z,status,resolved,
T2,2026-03-02T08:00:00Z,created,,
T2,2026-03-02T08:00:00Z,priority,P2,
T2,2026-03-02T10:00:00Z,status,resolved,
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "c.yaml").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
    return {"contract": tmp_path / "c.yaml", "events": tmp_path / "events.csv", "dir": tmp_path}


def invoke(files: dict[str, Path], *extra: str) -> tuple[int, str]:
    args = ["integrity", "-c", str(files["contract"]), "-e", str(files["events"])]
    result = runner.invoke(app, [*args, "--as-of", "2026-03-20T00:00:00Z", *extra])
    return result.exit_code, result.output


def test_prints_counts_and_both_figures_and_writes_the_flags(files: dict[str, Path]) -> None:
    out = files["dir"] / "flags.csv"
    code, text = invoke(files, "--out", str(out))
    assert code == 0, text
    assert "late_downgrade            1        1  50.00 %" in text
    assert "deadline bunching: 0 of 1 team-months flagged" in text
    header = next(line for line in text.splitlines() if line.startswith("month"))
    assert header.split() == [
        "month", "metric", "objective_pct", "reported_count", "honest_count", "reported_met",
        "honest_met", "reported_compliance_pct", "honest_compliance_pct",
        "reported_objective_met", "honest_objective_met",
    ]  # fmt: skip
    row = text.splitlines()[text.splitlines().index(header) + 2].split()
    assert row == [
        "2026-03",
        "resolution",
        "90.0",
        "2",
        "2",
        "2",
        "1",
        "100.0",
        "50.0",
        "yes",
        "NO",
    ]
    with out.open(newline="") as f:
        (flag,) = list(csv.DictReader(f))
    assert (flag["ticket_id"], flag["flag"], flag["rule"]) == ("T1", "late_downgrade", "late")
    assert flag["at"] == "2026-03-02T16:30:00Z"
    assert flag["evidence"] == "T1 2026-03-02T16:30:00Z priority:P3"


def test_a_bad_integrity_threshold_stops_with_its_line(files: dict[str, Path]) -> None:
    files["contract"].write_text(
        CONTRACT + "  integrity:\n    lateDowngrade: {afterUsed: 180%}\n", encoding="utf-8"
    )
    code, text = invoke(files)
    assert code == 1
    assert "c.yaml:15: spec.integrity.lateDowngrade.afterUsed: a share here is" in text


def test_group_keys_are_required(files: dict[str, Path]) -> None:
    code, text = invoke(files, "--by", " , ")
    assert code == 2
    assert "name at least one group key" in text
