"""The command line, end to end on small files: exit codes, messages and written results."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from mittari.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "contracts" / "acme.yaml"
SAMPLES = ROOT / "src" / "mittari" / "importers" / "canonical" / "samples"
runner = CliRunner()

CONTRACT = """\
apiVersion: mittari/v1
kind: Contract
metadata: {customer: acme, name: Acme Oy, version: "1"}
spec:
  timezone: Europe/Helsinki
  effective: {from: 2026-01-01}
  calendars:
    office: {hours: {mon-fri: ["08:00-16:00"]}}
  metrics:
    first_response:
      type: first_response
      objective: 95%
      targets: {P2: {within: 1h, calendar: office}}
    resolution:
      type: resolution
      objective: 90%
      targets: {P2: {within: 8h, calendar: office}}
"""

EVENTS = """\
ticket_id,ts,kind,value,actor
T1,2026-03-06T17:00:00+02:00,created,,
T1,2026-03-06T17:00:00+02:00,priority,P2,
T1,2026-03-06T17:00:01+02:00,reply,,system
T1,2026-03-09T08:45:00+02:00,reply,,agent
T1,2026-03-09T10:00:00+02:00,status,resolved,
T2,2026-03-09T09:00:00+02:00,created,,
T2,2026-03-09T09:00:00+02:00,priority,P2,
T2,2026-03-10T09:30:00+02:00,status,resolved,
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "c.yaml").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
    return {"contract": tmp_path / "c.yaml", "events": tmp_path / "events.csv", "dir": tmp_path}


def test_check_accepts_the_example_contract() -> None:
    result = runner.invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "2 contract version(s) valid" in result.output


def test_check_names_file_line_and_field_of_every_problem(tmp_path: Path) -> None:
    bad = CONTRACT.replace("within: 1h", "within: 1x").replace("objective: 90%", "objective: 190%")
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    lines = [x for x in result.output.splitlines() if x.startswith("error:")]
    assert len(lines) == 2, result.output
    assert f"{path}:13: spec.metrics.first_response.targets.P2.within" in lines[0]
    assert f"{path}:16: spec.metrics.resolution.objective" in lines[1]


def test_compute_writes_one_row_per_clock(files: dict[str, Path]) -> None:
    out = files["dir"] / "m.csv"
    args = ["compute", "-c", str(files["contract"]), "-e", str(files["events"]), "-o", str(out)]
    result = runner.invoke(app, [*args, "--as-of", "2026-03-31T00:00:00+03:00"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as f:
        rows = {(r["ticket_id"], r["metric"]): r for r in csv.DictReader(f)}
    # T1: Friday 17:00 (after hours) → Monday 08:45: 45 business minutes; the bot's reply
    # does not count. Resolved Monday 10:00: 2 business hours.
    assert rows[("T1", "first_response")]["elapsed_s"] == "2700"
    assert rows[("T1", "first_response")]["state"] == "met"
    assert rows[("T1", "resolution")]["elapsed_s"] == "7200"
    # T2: never answered, resolved the next day at 09:30: 7.5 h + 1.5 h = 9 h > 8 h target.
    assert rows[("T2", "first_response")]["elapsed_s"] == "30600"
    assert rows[("T2", "resolution")]["state"] == "breached"
    assert rows[("T2", "resolution")]["breached_at"] == "2026-03-10T07:00:00Z"


def test_compute_writes_parquet_too(files: dict[str, Path]) -> None:
    out = files["dir"] / "m.parquet"
    args = ["compute", "-c", str(files["contract"]), "-e", str(files["events"]), "-o", str(out)]
    assert runner.invoke(app, [*args, "--as-of", "2026-03-31T00:00:00+03:00"]).exit_code == 0
    assert pq.read_table(out).num_rows == 4


def test_bad_rows_are_reported_and_skipped_or_reject_the_batch(files: dict[str, Path]) -> None:
    events = files["events"]
    events.write_text(EVENTS + "T2,2026-03-10T10:00:00,status,open,\n", encoding="utf-8")
    base = ["compute", "-c", str(files["contract"]), "-e", str(events)]
    base += ["-o", str(files["dir"] / "m.csv"), "--as-of", "2026-03-31T00:00:00+03:00"]
    result = runner.invoke(app, base)
    assert result.exit_code == 0
    assert "9 read, 8 kept, 1 skipped" in result.output
    assert f"{events}:10: ts:" in result.output
    strict = runner.invoke(app, [*base, "--strict"])
    assert strict.exit_code == 1
    assert f"{events}:10: ts:" in strict.output


def test_compliance_prints_met_breached_and_objective(files: dict[str, Path]) -> None:
    args = ["compliance", "-c", str(files["contract"]), "-e", str(files["events"])]
    result = runner.invoke(app, [*args, "--as-of", "2026-03-31T00:00:00+03:00", "--by", "metric"])
    assert result.exit_code == 0, result.output
    table = {line.split()[0]: line.split() for line in result.output.splitlines()[2:4]}
    assert table["first_response"][1:4] == ["2", "1", "1"]  # count, met, breached
    assert table["resolution"][1:5] == ["2", "1", "1", "50.0"]


def test_as_of_without_offset_is_refused(files: dict[str, Path]) -> None:
    args = ["compliance", "-c", str(files["contract"]), "-e", str(files["events"])]
    result = runner.invoke(app, [*args, "--as-of", "2026-03-31T00:00:00"])
    assert result.exit_code != 0
    assert "no UTC offset" in result.output
