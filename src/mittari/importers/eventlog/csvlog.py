"""A CSV event log (UTF-8, a BOM is fine, any one-character delimiter) as a `RawLog`.

Arrow reads the file, every column as text; Python touches only the header and the rows
Arrow cannot split. Lines are exact: the header is line 1, a quoted value with line breaks
advances the count by its breaks, blank lines are counted and skipped, a malformed row is a
problem on its own line.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from mittari.engine.types import I64, BoolArr
from mittari.errors import InputError, Problem
from mittari.importers.eventlog.model import CsvModel
from mittari.importers.eventlog.rawlog import CASE, RawLog, trimmed


def read_csv(path: Path, section: CsvModel, mapping_file: str) -> RawLog:
    """The columns that `section` names, trimmed, with each row's line."""
    file = str(path)
    header = _header(path, section.delimiter)
    wanted = {CASE: section.case, **section.fields}
    _check_header(file, header, wanted, mapping_file)
    try:
        table, malformed = _read(path, header, section.delimiter)
    except (UnicodeDecodeError, pa.ArrowInvalid) as exc:
        raise InputError(
            [Problem(file, None, "file", None, f"cannot read it as CSV: {exc}")]
        ) from exc
    lines, bad_lines = _line_numbers(table, [number for number, _ in malformed])
    fields = len(header)
    problems = [
        Problem(
            file, line, "row", text, f"expected {fields} fields separated by {section.delimiter!r}"
        )
        for line, (_, text) in zip(bad_lines, malformed, strict=True)
    ]
    columns = {name: trimmed(table.column(header.index(col))) for name, col in wanted.items()}
    keep = ~_blank(table)
    columns = {name: column.filter(pa.array(keep)) for name, column in columns.items()}
    n_read = int(keep.sum()) + len(malformed)
    return RawLog(file, columns, wanted, lines[keep], None, n_read, problems)


def _header(path: Path, delimiter: str) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [name.strip() for name in next(csv.reader(handle, delimiter=delimiter), [])]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            [Problem(str(path), None, "file", None, f"cannot read it: {exc}")]
        ) from exc


def _check_header(file: str, header: list[str], wanted: dict[str, str], mapping: str) -> None:
    missing = [(name, column) for name, column in wanted.items() if column not in header]
    if missing:
        shown = ", ".join(repr(h) for h in header)
        raise InputError(
            [
                Problem(
                    file,
                    1,
                    column,
                    None,
                    f"the column of `{name}` in {mapping} is not in the header; it has {shown}",
                )
                for name, column in missing
            ]
        )


def _read(
    path: Path, header: list[str], delimiter: str
) -> tuple[pa.Table, list[tuple[int | None, str]]]:
    """Every column as text (columns are taken by position: a header may repeat a name);
    rows with the wrong number of fields set aside."""
    malformed: list[tuple[int | None, str]] = []

    def skip_malformed(row: pacsv.InvalidRow) -> str:
        malformed.append((row.number, row.text))  # Arrow counts records; header = 1
        return "skip"

    names = [f"c{i}" for i in range(len(header))]
    table = pacsv.read_csv(
        path,
        # one thread: Arrow knows a bad row's number only when it reads in order
        read_options=pacsv.ReadOptions(use_threads=False, column_names=names, skip_rows=1),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,  # a blank line stays a (blank) row: numbering holds
            invalid_row_handler=skip_malformed,
        ),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
    )
    return table, malformed


def _line_numbers(table: pa.Table, bad_records: list[int | None]) -> tuple[I64, list[int | None]]:
    """Lines of the rows read and of the malformed records: a record's number plus the line
    breaks inside quoted values of the records before it."""
    known = np.array(sorted(b for b in bad_records if b is not None), dtype=np.int64)
    every = np.arange(2, table.num_rows + len(known) + 2, dtype=np.int64)
    record = every[~np.isin(every, known)]  # the rows read fill the numbers left over
    breaks = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        if _may_hold_a_break(column):
            breaks += pc.count_substring(column.fill_null(""), "\n").to_numpy().astype(np.int64)
    before = np.concatenate([[0], np.cumsum(breaks)])
    lines = record + before[:-1]
    bad_lines = [
        None if b is None else int(b + before[np.searchsorted(record, b)]) for b in bad_records
    ]
    return lines, bad_lines


def _may_hold_a_break(column: pa.ChunkedArray) -> bool:
    """False when no character of the column's buffers is a line break (the usual case)."""
    for chunk in column.chunks:
        data = chunk.buffers()[2]
        if data is not None and (np.frombuffer(data, dtype=np.uint8) == ord("\n")).any():
            return True
    return False


def _blank(table: pa.Table) -> BoolArr:
    """Rows whose every field is empty: blank lines."""
    blank = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        rows = np.flatnonzero(blank)
        if len(rows) == 0:
            break
        text = column.take(pa.array(rows))
        blank[rows] = pc.utf8_length(pc.utf8_trim_whitespace(text.fill_null(""))).to_numpy() == 0
    return blank
