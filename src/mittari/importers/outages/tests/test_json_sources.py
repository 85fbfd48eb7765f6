"""Alertmanager webhook bodies and a Zabbix event.get export (made-up samples)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from mittari.importers.outages import detect_kind, parse_alertmanager, read_outages
from mittari.importers.outages.alertmanager import read_alertmanager
from mittari.importers.outages.zabbix import parse_zabbix, read_zabbix

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_alertmanager_pairs_firing_and_resolved_by_fingerprint_and_start() -> None:
    extract = read_alertmanager(SAMPLES / "alertmanager.json")
    rows = extract.table.to_pylist()
    assert [(r["service"], r["weight"], r["planned"]) for r in rows] == [
        ("email", 1.0, False),
        ("vpn", 0.3, False),  # warning → 0.3 by the shipped mapping
        ("email", 1.0, False),  # the same fingerprint firing again: a second outage
        ("erp", 1.0, True),  # planned="true"
    ]
    assert rows[0]["end"] == datetime(2026, 3, 5, 7, 54, 30, 118226, tzinfo=UTC)  # ns cut
    assert rows[1]["end"] is None  # never resolved: still going on
    assert rows[0]["source_id"].startswith("7c1d0f4e2a9b3301@")
    assert extract.ignored == {"severity 'info' is not an outage": 1}
    assert [p.field for p in extract.problems] == ["bodies[2].alerts[3].labels"]
    assert extract.n_read == 9


def test_alertmanager_json_lines_and_other_versions(tmp_path: Path) -> None:
    bodies = json.loads((SAMPLES / "alertmanager.json").read_text(encoding="utf-8"))
    bodies[3]["version"] = "3"
    lines = "\n".join(json.dumps(b) for b in bodies) + "\n{not json\n"
    path = tmp_path / "bodies.jsonl"
    path.write_text(lines, encoding="utf-8")
    extract = read_alertmanager(path)
    assert {(p.line, p.field) for p in extract.problems} >= {
        (4, "bodies[3].version"),
        (5, "(json)"),
    }
    ongoing = [r for r in extract.table.to_pylist() if r["service"] == "email" and r["end"] is None]
    assert len(ongoing) == 1  # its resolved notification was in the refused body


def test_alertmanager_mapping_names_the_labels(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "alertmanager:\n  serviceLabel: job\n  severityWeights: {page: 0.5}\n", encoding="utf-8"
    )
    alert = {
        "status": "firing",
        "labels": {"job": "erp", "severity": "page"},
        "startsAt": "2026-03-05T07:00:00Z",
        "endsAt": "0001-01-01T00:00:00Z",
    }
    extract = parse_alertmanager([(None, {"version": "4", "alerts": [alert]})], mapping=mapping)
    assert extract.table.to_pylist()[0]["weight"] == 0.5
    assert extract.table.to_pylist()[0]["source_id"].startswith('{"job": "erp"')  # no fingerprint


def test_zabbix_problems_end_at_their_recovery_events() -> None:
    extract = read_zabbix(SAMPLES / "zabbix_events.json")
    rows = extract.table.to_pylist()
    assert [(r["service"], r["weight"], r["planned"], r["source_id"]) for r in rows] == [
        ("erp", 1.0, False, "42001"),  # severity 5
        ("email", 0.5, False, "42003"),  # severity 3
        ("vpn", 1.0, True, "42011"),  # no service tag: the host; suppressed: planned
        ("erp", 0.25, False, "42016"),  # a weight tag wins over the severity
    ]
    assert rows[0]["start"] == datetime(2026, 3, 5, 9, 0, 0, 250000, tzinfo=UTC)
    assert rows[0]["end"] == datetime(2026, 3, 5, 9, 45, 0, 750000, tzinfo=UTC)
    assert rows[3]["end"] is None  # r_eventid 0: open
    assert extract.ignored == {"severity '2' is not an outage": 1}
    assert [p.value for p in extract.problems] == ["42014"]  # its recovery is not exported


def test_zabbix_bare_result_list_and_bad_input() -> None:
    data = json.loads((SAMPLES / "zabbix_events.json").read_text(encoding="utf-8"))
    assert parse_zabbix(data["result"]).table.num_rows == 4
    assert parse_zabbix({"error": "x"}).problems[0].field == "result"


def test_the_format_is_detected() -> None:
    assert detect_kind(SAMPLES / "outages.csv") == "csv"
    assert detect_kind(SAMPLES / "alertmanager.json") == "alertmanager"
    assert detect_kind(SAMPLES / "zabbix_events.json") == "zabbix"
    assert read_outages(SAMPLES / "zabbix_events.json").source == "zabbix"
