"""Survey answers from any tool's CSV (or Parquet) export, through a mapping file.

The mapping (`mapping.py`) names the column of each field and translates the tool's words.
A bad row (a time that is no timestamp, a score outside its scale, an unknown factor or
lost-time word, a question its survey does not ask or on another scale ...) is a Problem
naming file, line, field and value, and is left out; the other rows are kept. The
`question` column is optional: a pulse or team answer without one answers its survey's
main question (recommend; measured_well), a ticket answer has none. Times are ISO 8601
with an offset (a naive time needs a time zone) or, with `timeFormat` in the mapping, that
strptime format. Survey exports are small (answers, not events), so the row checks run in
plain Python, each row once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from mittari.errors import Problem
from mittari.importers.canonical.source import Source, load
from mittari.importers.canonical.timestamps import TsVerdict, parse_timestamps
from mittari.importers.feedback.mapping import SurveyMapping
from mittari.importers.feedback.mapping import load as load_mapping
from mittari.importers.feedback.model import (
    ANSWER_SCHEMA,
    QUESTION_SCALES,
    QUESTIONS,
    SURVEY_FACTORS,
    SURVEY_QUESTIONS,
    score_values,
)
from mittari.importers.mapping import check_zone

_LANGUAGE = re.compile("^[a-z]{2}$")
_TS_MESSAGES = {
    TsVerdict.EMPTY: "missing: every answer has a time",
    TsVerdict.SYNTAX: "not an ISO 8601 timestamp; write e.g. 2026-03-03T10:00:00+02:00",
    TsVerdict.RANGE: "no such date or time",
    TsVerdict.NAIVE: "no UTC offset; add one (+02:00, Z) or name the file's time zone",
}


@dataclass
class AnswerExtract:
    source: str  # the mapping's `source`: the answers' identity is (customer, source, id)
    table: pa.Table  # ANSWER_SCHEMA
    problems: list[Problem] = field(default_factory=list)
    n_read: int = 0


def read_answers(
    path: str | Path, *, mapping: str | Path | None = None, timezone: str | None = None
) -> AnswerExtract:
    """Every answer of the file; rows with problems are left out and listed."""
    rules = load_mapping(mapping)
    check_zone(str(path), timezone)
    c = rules.columns
    required = [c.answered_at, c.score] + ([] if rules.scale else [c.scale])
    source = load(path, required)
    lines = source.line_at()
    instants, verdicts = _instants(source, rules, timezone)
    names = [n for n in type(c).model_fields if n != "answered_at"]
    text = {name: source.text(getattr(c, name)).to_pylist() for name in names}
    written = source.text(c.answered_at).to_pylist()
    problems = list(source.problems)
    rows: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for i in range(source.table.num_rows):
        cells = {name: text[name][i] for name in names}
        found: list[Problem] = []
        where = (source.file, int(lines[i]))
        if verdicts[i] != TsVerdict.OK:
            message = _TS_MESSAGES.get(TsVerdict(int(verdicts[i])), "not a time")
            found.append(Problem(*where, c.answered_at, written[i], message))
        row = _answer(rules, cells, int(instants[i]), where, found)
        if row is not None and not found:
            known = first_line.setdefault(row["external_id"], where[1])
            if known != where[1]:
                message = f"the answer id comes again (first at line {known}); skipped"
                found.append(Problem(*where, c.external_id, row["external_id"], message))
        problems += found
        if row is not None and not found:
            rows.append(row | {"source": rules.source, "file": source.file, "line": where[1]})
    return AnswerExtract(rules.source, _table(rows), problems, source.table.num_rows)


def _instants(source: Source, rules: SurveyMapping, timezone: str | None) -> tuple[Any, Any]:
    column = source.text(rules.columns.answered_at)
    if rules.time_format is None:
        return parse_timestamps(column, timezone)
    instants = np.zeros(len(column), dtype=np.int64)
    verdicts = np.full(len(column), TsVerdict.OK, dtype=np.int8)
    for i, value in enumerate(column.to_pylist()):
        try:
            moment = datetime.strptime(value, rules.time_format)
        except ValueError:
            verdicts[i] = TsVerdict.EMPTY if not value else TsVerdict.SYNTAX
            continue
        if moment.tzinfo is None and timezone is None:
            verdicts[i] = TsVerdict.NAIVE
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(str(timezone)))
        instants[i] = int(moment.timestamp() * 1_000_000)
    return instants, verdicts


def _answer(
    rules: SurveyMapping,
    cells: dict[str, str],
    answered_us: int,
    where: tuple[str, int],
    found: list[Problem],
) -> dict[str, Any] | None:
    """One answer in the model, or None with its problems added to `found`."""
    c = rules.columns

    def problem(name: str, value: str, message: str) -> None:
        found.append(Problem(*where, getattr(c, name), value, message))

    scale = _word(rules, "scales", cells["scale"]) if cells["scale"] else rules.scale
    if scale is None:
        problem("scale", cells["scale"], "unknown scale; expected 0-10, 1-5 or good/bad")
        return None
    score = _word(rules, "scores", cells["score"]) or cells["score"]
    if score not in score_values(scale):
        allowed = ", ".join(score_values(scale))
        problem("score", cells["score"], f"not a score of scale {scale}; expected {allowed}")
    survey = _survey(rules, cells, problem)
    if survey == "ticket" and not cells["ticket_id"]:
        problem("ticket_id", "", "a ticket survey answer names its ticket")
    question = _question(cells["question"], survey, scale, problem)
    factors = _factors(rules, cells["factors"], problem)
    for code in factors or []:
        if code not in SURVEY_FACTORS[survey]:
            expected = ", ".join(SURVEY_FACTORS[survey])
            problem("factors", code, f"not a factor of the {survey} survey; expected {expected}")
    lost = _word(rules, "lost_times", cells["lost_time"]) if cells["lost_time"] else None
    if cells["lost_time"] and lost is None:
        problem("lost_time", cells["lost_time"], "unknown lost time; map it under lostTimes")
    language = cells["language"].lower() or None
    if language is not None and not _LANGUAGE.match(language):
        problem("language", cells["language"], "expected an ISO 639-1 code such as fi or en")
    answer = {
        "ticket_id": cells["ticket_id"] or None,
        "answered_at": answered_us,
        "survey": survey,
        "scale": scale,
        "score": score,
        "factors": factors,
        "lost_time": lost,
        "comment": cells["comment"] or None,
        "language": language,
        "service": cells["service"] or None,
    }
    if cells["question"]:  # in the content id only when written: older files keep their ids
        answer["question"] = question
    made = answer | {"external_id": cells["external_id"] or _content_id(answer)}
    return made | {"question": question}


def _word(rules: SurveyMapping, table: str, value: str) -> str | None:
    return rules.words(table).get(value.strip().casefold())


def _survey(rules: SurveyMapping, cells: dict[str, str], problem: Any) -> str:
    if cells["survey"]:
        survey = _word(rules, "surveys", cells["survey"])
        if survey is None:
            problem("survey", cells["survey"], "unknown survey; expected ticket, pulse or team")
        return survey or "ticket"
    return rules.survey or ("ticket" if cells["ticket_id"] else "pulse")


def _question(cell: str, survey: str, scale: str, problem: Any) -> str | None:
    """The question of an answer: the one written, else its survey's main one (none for a
    ticket answer). A pulse answer that names none keeps any scale, as before questions
    were asked; a question written, or a team answer, must be on its question's scale."""
    asked = SURVEY_QUESTIONS[survey]
    written = cell.strip().casefold()
    if not written:
        chosen = asked[0] if asked else None
        if survey == "team" and scale != QUESTION_SCALES["measured_well"]:
            problem("scale", scale, "the team pulse is answered on the 1-5 scale")
        return chosen
    if written not in QUESTIONS:
        problem("question", cell, f"unknown question; expected {', '.join(QUESTIONS)}")
        return None
    if written not in asked:
        expected = ", ".join(asked) if asked else "none (leave it empty)"
        problem("question", cell, f"not a question of the {survey} survey; expected {expected}")
        return None
    if scale != QUESTION_SCALES[written]:
        needed = QUESTION_SCALES[written]
        problem("scale", scale, f"{written} is answered on the {needed} scale")
    return written


def _factors(rules: SurveyMapping, cell: str, problem: Any) -> list[str] | None:
    if not cell:
        return None
    ignored = {w.strip().casefold() for w in rules.ignore_factors}
    codes: list[str] = []
    for word in (w.strip() for w in cell.split(rules.factor_separator)):
        if not word or word.casefold() in ignored:
            continue
        code = _word(rules, "factors", word)
        if code is None:
            problem("factors", word, "unknown factor; map it under `factors` in the mapping")
        elif code not in codes:
            codes.append(code)
    return codes


def _content_id(answer: dict[str, Any]) -> str:
    """An id for answers of a tool that exports none: the answer's own content, so the same
    row imported again is the same answer."""
    text = repr(sorted(answer.items()))
    return "row:" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    columns = {name: [row.get(name) for row in rows] for name in ANSWER_SCHEMA.names}
    return pa.table(columns, schema=ANSWER_SCHEMA)
