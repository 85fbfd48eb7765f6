"""A CSV export read into rows of cells, with exact lines and headers found through the mapping.

Headers may be field names (`incident_state`) or display labels (`Incident state`), matched
trimmed and case-insensitively; for each field the first name of its `columns:` list that the
header has wins.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from mittari.errors import InputError, Problem
from mittari.importers.servicenow.cells import Cell
from mittari.importers.servicenow.settings import Columns, fold

REQUIRED = ("number", "state", "updated")


@dataclass(frozen=True)
class CsvRow:
    """One data row: its first line in the file and its cells by field."""

    line: int
    cells: dict[str, Cell]

    def cell(self, field: str) -> Cell:
        return self.cells.get(field, Cell("", "", field))


@dataclass(frozen=True)
class CsvRows:
    rows: list[CsvRow]
    problems: list[Problem]  # malformed rows
    n_read: int  # data rows, malformed ones included
    found: frozenset[str]  # the fields the header has


def read_rows(file: str, text: str, columns: Columns, delimiter: str) -> CsvRows:
    lines = _records(file, text, delimiter)
    first = next(lines, None)
    if first is None:
        raise InputError([Problem(file, None, "header", None, "the file is empty")])
    header = first[1]
    where = _header_index(file, header, columns)
    rows, problems, n_read = [], [], 0
    for line, fields in lines:
        n_read += 1
        if len(fields) != len(header):
            message = f"expected {len(header)} {delimiter!r}-separated fields, found {len(fields)}"
            problems.append(Problem(file, line, "row", delimiter.join(fields), message))
            continue
        cells = {name: _cell(fields, header, at) for name, at in where.items()}
        rows.append(CsvRow(line, cells))
    return CsvRows(rows, problems, n_read, frozenset(where))


def _cell(fields: list[str], header: list[str], columns: list[int]) -> Cell:
    """The field's first non-empty column (`business_service`, else `cmdb_ci`), else its first."""
    at = next((i for i in columns if fields[i].strip()), columns[0])
    return Cell(fields[at].strip(), fields[at].strip(), header[at].strip())


def _records(file: str, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of each non-blank record; quoted line breaks keep lines exact."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    end = 0
    try:
        for fields in reader:
            start, end = end + 1, reader.line_num
            if fields:
                yield start, fields
    except csv.Error as exc:
        raise InputError([Problem(file, end + 1, "row", None, f"not CSV: {exc}")]) from exc


def _header_index(file: str, header: list[str], columns: Columns) -> dict[str, list[int]]:
    """Field → its column indexes in `columns:` order, for the fields the header has; a
    required field without a column is fatal."""
    position: dict[str, int] = {}
    for i, name in enumerate(header):
        position.setdefault(fold(name), i)
    where: dict[str, list[int]] = {}
    for field, names in columns:
        found = [position[fold(n)] for n in names if fold(n) in position]
        if found:
            where[field] = list(dict.fromkeys(found))
    missing = [f for f in REQUIRED if f not in where]
    if missing:
        problems = [
            Problem(
                file,
                1,
                f,
                None,
                f"no column for {f}; expected one of {getattr(columns, f)} "
                "(add the header to `columns:` in the mapping)",
            )
            for f in missing
        ]
        raise InputError(problems)
    return where
