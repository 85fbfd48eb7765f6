"""A CSV or Parquet file as a table of text columns, each row with its line number.

Arrow reads the file; Python only touches the header and the rows Arrow cannot split.
Line numbers are exact for CSV: the header is line 1, a quoted value with line breaks
advances the count by its breaks, malformed rows keep theirs. For Parquet (and tables
handed over in memory) the "line" is the 1-based row number.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from mittari.engine.types import I64, BoolArr
from mittari.errors import InputError, Problem
from mittari.importers.canonical.words import Words, absent, encode

_KEEP_TYPED = frozenset({"ts"})  # a Parquet `ts` may be a real timestamp column; keep it


@dataclass(frozen=True)
class Source:
    """The rows of one file: text columns (names stripped, lower case) and line numbers.

    A text column is `string`, or `dictionary<string>` where the file or table gave it so
    (Parquet columns named in `load(..., dictionary=...)`): each distinct word is then
    stored once.
    """

    file: str
    table: pa.Table
    lines: I64 | None  # the line of each row; None: the 1-based row number (a table)
    problems: list[Problem]  # rows that could not be split into the header's columns

    def line_at(self, rows: I64 | None = None) -> I64:
        """The line of each of `rows` (of every row when None)."""
        if rows is None:
            every = np.arange(1, self.table.num_rows + 1, dtype=np.int64)
            return every if self.lines is None else self.lines
        return rows + 1 if self.lines is None else self.lines[rows]

    def words(self, name: str) -> Words:
        """Column `name` as codes into its distinct trimmed words ("" for null or absent)."""
        if name not in self.table.column_names:
            return absent(self.table.num_rows)
        return encode(self.table.column(name))

    def text(self, name: str) -> pa.Array:
        """Column `name`, trimmed, with "" for nulls and for a column the file lacks."""
        if name in self.table.column_names:
            return _trimmed(self.table.column(name).combine_chunks())
        return pa.array([""] * self.table.num_rows, pa.string())

    def text_at(self, name: str, rows: I64) -> list[str]:
        """The trimmed text of column `name` at `rows` only (a typed column is cast here)."""
        if name not in self.table.column_names:
            return [""] * len(rows)
        return list(_trimmed(self.table.column(name).take(pa.array(rows))).to_pylist())


def as_read(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column as the file has it: text stored as a dictionary becomes `string` again."""
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def _trimmed(column: pa.Array) -> pa.Array:
    if not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    return pc.utf8_trim_whitespace(column.fill_null(""))


def load(path: str | Path, required: Sequence[str], dictionary: Collection[str] = ()) -> Source:
    """Read `path` (`.csv` or `.parquet`) and check that its header has `required`.

    The Parquet text columns named in `dictionary` are read dictionary-encoded.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        source = _load_csv(path)
    elif suffix in (".parquet", ".pq"):
        source = from_table(_read_parquet(path, dictionary), str(path))
    else:
        problem = Problem(str(path), None, "file", suffix, "expected a .csv or .parquet file")
        raise InputError([problem])
    _check_columns(source, required)
    return source


def from_table(table: pa.Table, file: str) -> Source:
    """An in-memory table (or a Parquet file's): every column as text except `ts`."""
    table = table.rename_columns([_column_name(c) for c in table.column_names])
    columns = [
        col if name in _KEEP_TYPED or _is_text(col.type) else col.cast(pa.string())
        for name, col in zip(table.column_names, table.columns, strict=True)
    ]
    return Source(file, pa.table(columns, names=table.column_names), None, [])


def _column_name(header: str) -> str:
    return header.strip().lower()


def _is_text(column_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(column_type):
        return bool(pa.types.is_string(column_type.value_type))
    return bool(pa.types.is_string(column_type))


def _read_parquet(path: Path, dictionary: Collection[str]) -> pa.Table:
    """The file's columns; the text ones named in `dictionary` dictionary-encoded.

    A timestamp `ts` is read first, on its own, and put in one piece: its instants are then
    read in place (`timestamps.py`: one copy of them, not two), and the memory of its
    chunks serves the reading of the other columns.
    """
    schema = pq.read_schema(path)
    encoded = [f.name for f in schema if _is_column(f, dictionary)]
    stamps = [i for i, f in enumerate(schema) if _is_column(f, _KEEP_TYPED, pa.types.is_timestamp)]
    if not stamps or len(stamps) == len(schema):
        return _read(path, None, encoded)
    first = {i: _read(path, [schema.names[i]], []).column(0).combine_chunks() for i in stamps}
    table = _read(path, [f.name for i, f in enumerate(schema) if i not in first], encoded)
    for i, column in first.items():
        table = table.add_column(i, schema.field(i), column)
    return table


def _read(path: Path, columns: list[str] | None, encoded: list[str]) -> pa.Table:
    # pre_buffer (whole column chunks read up front) costs ~90 MB more for 10 M rows and
    # is no faster from a local disk
    return pq.read_table(path, columns=columns, read_dictionary=encoded, pre_buffer=False)


def _is_column(
    field: pa.Field,
    names: Collection[str],
    is_type: Callable[[pa.DataType], bool] = pa.types.is_string,
) -> bool:
    return _column_name(field.name) in names and bool(is_type(field.type))


def _check_columns(source: Source, required: Sequence[str]) -> None:
    missing = [c for c in required if c not in source.table.column_names]
    if missing:
        problems = [
            Problem(source.file, 1, column, None, "required column is missing from the header")
            for column in missing
        ]
        raise InputError(problems)


def _load_csv(path: Path) -> Source:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), [])
        table, malformed = _read_csv(path, header)
    except (UnicodeDecodeError, pa.ArrowInvalid) as exc:
        raise InputError(
            [Problem(str(path), None, "file", None, f"cannot read it as UTF-8 CSV: {exc}")]
        ) from exc
    table = table.rename_columns([_column_name(c) for c in table.column_names])
    line, bad_lines = _line_numbers(table, [n for n, _ in malformed])
    expected = len(header)
    problems = [
        Problem(str(path), bad_line, "row", text, f"expected {expected} comma-separated fields")
        for bad_line, (_, text) in zip(bad_lines, malformed, strict=True)
    ]
    blank = _blank_rows(table)
    return Source(str(path), table.filter(pa.array(~blank)), line[~blank], problems)


def _read_csv(path: Path, header: list[str]) -> tuple[pa.Table, list[tuple[int | None, str]]]:
    """All columns as strings; rows with the wrong number of fields set aside."""
    malformed: list[tuple[int | None, str]] = []

    def skip_malformed(row: pacsv.InvalidRow) -> str:
        malformed.append((row.number, row.text))  # Arrow counts records; header = 1
        return "skip"

    table = pacsv.read_csv(
        path,
        # One thread: Arrow knows a bad row's number only when it reads in order.
        read_options=pacsv.ReadOptions(use_threads=False),
        parse_options=pacsv.ParseOptions(
            newlines_in_values=True,
            ignore_empty_lines=False,  # a blank line stays a (blank) row: numbering holds
            invalid_row_handler=skip_malformed,
        ),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string())),
    )
    return table, malformed


def _line_numbers(table: pa.Table, bad_records: list[int | None]) -> tuple[I64, list[int | None]]:
    """Physical lines of the kept rows and of the malformed records Arrow skipped.

    Arrow numbers records (the header is 1); a record's line is its number plus the line
    breaks inside quoted values of the records before it.
    """
    known = np.array(sorted(b for b in bad_records if b is not None), dtype=np.int64)
    every = np.arange(2, table.num_rows + len(known) + 2, dtype=np.int64)
    record = every[~np.isin(every, known)]  # the kept records fill the numbers left over
    breaks = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        if _may_hold_a_break(column):
            breaks += pc.count_substring(column.fill_null(""), "\n").to_numpy().astype(np.int64)
    before = np.concatenate([[0], np.cumsum(breaks)])  # breaks in the first k kept records
    line = record + before[:-1]
    bad_lines = [
        None if b is None else int(b + before[np.searchsorted(record, b)]) for b in bad_records
    ]
    return line, bad_lines


def _may_hold_a_break(column: pa.ChunkedArray) -> bool:
    """False when no value of the column can hold a line break: its characters have none.

    (A sliced chunk's buffer may hold characters of other rows too: then True, falsely.)
    """
    for chunk in column.chunks:
        data = chunk.buffers()[2]
        if data is not None and (np.frombuffer(data, dtype=np.uint8) == ord("\n")).any():
            return True
    return False


def _blank_rows(table: pa.Table) -> BoolArr:
    """Rows whose every field is empty: blank lines, which carry nothing to report.

    Each column is looked at only in the rows blank in the columns before it.
    """
    blank = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        rows = np.flatnonzero(blank)
        text = column if len(rows) == len(blank) else column.take(pa.array(rows))
        blank[rows] = pc.utf8_length(pc.utf8_trim_whitespace(text.fill_null(""))).to_numpy() == 0
    return blank
