"""`mittari availability`, `credits` and `recurring` end to end on the shipped samples."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
from tests.services.reliability_inputs import (
    CONTRACT,
    EXTRA_OUTAGE,
    OUTAGES,
    events_csv,
    tickets_csv,
)
from typer.testing import CliRunner

from mittari.cli.main import app

runner = CliRunner()
SAMPLES = OUTAGES.parent
AS_OF = "2026-04-15T00:00:00+03:00"


def test_availability_prints_months_burn_rates_and_notes(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    result = runner.invoke(
        app,
        [
            "availability",
            "-c",
            str(CONTRACT),
            "--outages",
            str(OUTAGES),
            "--outages",
            str(SAMPLES / "zabbix_events.json"),
            "--as-of",
            AS_OF,
            "--month",
            "2026-03",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "uptime_pct" in result.output and "99.8765" in result.output
    assert "burn rates at as-of" in result.output
    assert "recovery event 42099 is not in the export" in result.output
    assert pacsv.read_csv(out).num_rows == 3


def test_availability_refuses_a_bad_month_and_a_bad_contract(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["availability", "-c", str(CONTRACT), "--outages", str(OUTAGES), "--month", "2026-13"]
    )
    assert result.exit_code != 0 and "YYYY-MM" in result.output
    bad = tmp_path / "c.yaml"
    bad.write_text(CONTRACT.read_text(encoding="utf-8").replace("99.9%", "199%"), encoding="utf-8")
    result = runner.invoke(app, ["availability", "-c", str(bad), "--outages", str(OUTAGES)])
    assert result.exit_code == 1 and "objective" in result.output


def test_credits_shows_the_statement_line_by_line(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(events_csv(), encoding="utf-8")
    (tmp_path / "extra.csv").write_text(EXTRA_OUTAGE, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "credits",
            "-c",
            str(CONTRACT),
            "-e",
            str(tmp_path / "events.csv"),
            "--outages",
            str(OUTAGES),
            "--outages",
            str(tmp_path / "extra.csv"),
            "--month",
            "2026-03",
            "--as-of",
            AS_OF,
        ],
    )
    assert result.exit_code == 0, result.output
    for text in ("availability", "earn-back", "subtotal", "960.00", "3 points × 1 %"):
        assert text in result.output


def test_recurring_lists_problem_candidates(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(events_csv(), encoding="utf-8")
    (tmp_path / "tickets.csv").write_text(tickets_csv(), encoding="utf-8")
    out = tmp_path / "members.csv"
    result = runner.invoke(
        app,
        [
            "recurring",
            "-e",
            str(tmp_path / "events.csv"),
            "-t",
            str(tmp_path / "tickets.csv"),
            "--as-of",
            AS_OF,
            "--top",
            "1",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Outlook ei käynnisty" in result.output and "VPN" not in result.output
    assert pacsv.read_csv(out).num_rows == 4
