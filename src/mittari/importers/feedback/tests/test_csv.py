"""The survey-answer CSV: the samples read whole, a tool's own export through its mapping,
every kind of bad row named with its line, field and value."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from mittari.errors import InputError
from mittari.importers.feedback import ANSWER_SCHEMA, read_answers

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_the_sample_reads_whole() -> None:
    extract = read_answers(SAMPLES / "answers.csv")
    assert extract.problems == [] and extract.n_read == extract.table.num_rows == 8
    assert extract.table.schema == ANSWER_SCHEMA and extract.source == "survey"
    first = extract.table.to_pylist()[0]
    assert first["answered_at"] == datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
    assert (first["scale"], first["score"], first["survey"]) == ("0-10", "10", "ticket")
    assert first["factors"] == ["speed", "friendly"] and first["lost_time"] == "none"
    assert (first["language"], first["service"], first["line"]) == ("fi", "email", 2)
    rows = extract.table.to_pylist()
    assert [r["survey"] for r in rows] == ["ticket"] * 5 + ["pulse"] * 2 + ["ticket"]
    assert rows[4]["survey"] == "ticket"  # no survey given, a ticket named: ticket


def test_a_tools_own_export_through_its_mapping() -> None:
    extract = read_answers(
        SAMPLES / "kysely.csv", mapping=SAMPLES / "kysely.yaml", timezone="Europe/Helsinki"
    )
    assert extract.problems == [] and extract.source == "kysely"
    rows = extract.table.select(["external_id", "ticket_id", "score", "factors", "lost_time"])
    assert rows.to_pylist()[:2] == [
        {
            "external_id": "9001",
            "ticket_id": "INC0010001",
            "score": "5",
            "factors": ["speed", "friendly"],
            "lost_time": "none",
        },
        {
            "external_id": "9002",
            "ticket_id": "INC0010002",
            "score": "2",
            "factors": ["explain_again", "not_fixed"],
            "lost_time": "2-4h",
        },
    ]
    # 02.03.2026 10:15 in Helsinki (UTC+2 in March) is 08:15 UTC
    assert extract.table.column("answered_at")[0].as_py() == datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
    assert set(extract.table.column("scale").to_pylist()) == {"1-5"}


def test_bad_rows_are_problems_with_line_field_and_value() -> None:
    extract = read_answers(SAMPLES / "answers_errors.csv")
    found = [(p.line, p.field, p.value) for p in extract.problems]
    assert found == [
        (2, "score", "11"),
        (3, "answered_at", "yesterday"),
        (4, "scale", "0-100"),
        (5, "factors", "coffee"),
        (6, "lost_time", "an age"),
        (7, "ticket_id", ""),
        (8, "language", "finnish"),
        (9, "answered_at", "2026-03-12T08:05:00"),
        (11, "answer_id", "e-9"),
    ]
    assert extract.table.column("external_id").to_pylist() == ["e-9"]
    assert extract.n_read == 10


def test_answers_without_ids_are_known_by_their_content(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "ticket_id,answered_at,scale,score\n"
        "T1,2026-03-02T10:00:00Z,0-10,9\n"
        "T2,2026-03-02T10:00:00Z,0-10,9\n",
        encoding="utf-8",
    )
    first = read_answers(path).table.column("external_id").to_pylist()
    again = read_answers(path).table.column("external_id").to_pylist()
    assert first == again and len(set(first)) == 2 and first[0].startswith("row:")


def test_a_missing_required_column_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("ticket_id,score\nT1,9\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_answers(path)
    assert [p.field for p in caught.value.problems] == ["answered_at", "scale"]


def test_a_mapping_with_an_unknown_factor_code_names_its_line(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("source: x\nfactors:\n  Nopeus: quickness\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_answers(SAMPLES / "answers.csv", mapping=mapping)
    problem = caught.value.problems[0]
    assert problem.file == str(mapping) and problem.field == "factors"
    assert "quickness" in problem.message
