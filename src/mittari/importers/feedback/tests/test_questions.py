"""The optional `question` column of the survey-answer CSV: pulse statements, the team
pulse, and each misfit named with its line, field and value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mittari.importers.feedback import read_answers

HEADER = "answer_id,answered_at,survey,question,scale,score,factors\n"


def _read(
    tmp_path: Path, rows: str, header: str = HEADER
) -> tuple[list[dict[str, Any]], list[tuple[int | None, str, object]]]:
    path = tmp_path / "a.csv"
    path.write_text(header + rows, encoding="utf-8")
    extract = read_answers(path)
    problems = [(p.line, p.field, p.value) for p in extract.problems]
    return extract.table.to_pylist(), problems


def test_questions_are_read_and_a_missing_one_is_the_surveys_main_one(tmp_path: Path) -> None:
    rows, problems = _read(
        tmp_path,
        "p1,2026-10-01T10:00:00Z,pulse,,0-10,9,\n"
        "p2,2026-10-01T10:00:00Z,pulse,Understand,1-5,4,\n"
        "p3,2026-10-01T10:00:00Z,pulse,prevent,1-5,2,\n"
        "t1,2026-10-01T10:00:00Z,team,,1-5,2,clock_rules;too_many_tickets\n"
        "t2,2026-10-01T10:00:00Z,team,measured_well,1-5,5,other\n",
    )
    assert problems == []
    assert [(r["survey"], r["question"], r["score"]) for r in rows] == [
        ("pulse", "recommend", "9"),
        ("pulse", "understand", "4"),
        ("pulse", "prevent", "2"),
        ("team", "measured_well", "2"),
        ("team", "measured_well", "5"),
    ]
    assert rows[3]["factors"] == ["clock_rules", "too_many_tickets"]


def test_a_file_without_the_column_reads_as_before(tmp_path: Path) -> None:
    header = "ticket_id,answered_at,survey,scale,score\n"
    rows, problems = _read(
        tmp_path,
        "T1,2026-10-01T10:00:00Z,ticket,0-10,9\n,2026-10-01T10:00:00Z,pulse,1-5,4\n",
        header,
    )
    assert problems == []  # an old-style pulse answer on 1-5 is kept (it counts nowhere)
    assert [(r["question"], r["external_id"][:4]) for r in rows] == [
        (None, "row:"),
        ("recommend", "row:"),
    ]


def test_content_ids_tell_apart_two_statements_with_the_same_score(tmp_path: Path) -> None:
    header = "answered_at,survey,question,scale,score\n"
    rows, _ = _read(
        tmp_path,
        "2026-10-01T10:00:00Z,pulse,understand,1-5,4\n2026-10-01T10:00:00Z,pulse,prevent,1-5,4\n",
        header,
    )
    assert len({r["external_id"] for r in rows}) == 2


def test_misfits_are_problems_with_line_field_and_value(tmp_path: Path) -> None:
    _, problems = _read(
        tmp_path,
        "e1,2026-10-01T10:00:00Z,pulse,happiness,0-10,9,\n"
        "e2,2026-10-01T10:00:00Z,pulse,measured_well,1-5,4,\n"
        "e3,2026-10-01T10:00:00Z,pulse,understand,0-10,9,\n"
        "e4,2026-10-01T10:00:00Z,team,,0-10,9,\n"
        "e5,2026-10-01T10:00:00Z,team,measured_well,1-5,4,speed\n"
        "e6,2026-10-01T10:00:00Z,pulse,recommend,0-10,9,clock_rules\n",
    )
    assert problems == [
        (2, "question", "happiness"),
        (3, "question", "measured_well"),
        (4, "scale", "0-10"),
        (5, "scale", "0-10"),
        (6, "factors", "speed"),
        (7, "factors", "clock_rules"),
    ]


def test_a_ticket_answer_names_no_question(tmp_path: Path) -> None:
    header = "ticket_id,answered_at,survey,question,scale,score\n"
    _, problems = _read(tmp_path, "T1,2026-10-01T10:00:00Z,ticket,recommend,0-10,9\n", header)
    assert problems == [(2, "question", "recommend")]
