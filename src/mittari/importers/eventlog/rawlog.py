"""A log as read, before mapping: one row per event, one text column per mapped field.

The CSV and XES readers both produce a `RawLog`; everything after (timestamps, rules,
changes, tickets) works on it column-wise and does not know which format it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I64
from mittari.errors import Problem

CASE = "case"  # the column of case ids, beside the mapping's own field names


@dataclass(frozen=True)
class RawLog:
    """Rows of a log: trimmed text (no nulls: "" where absent) per logical field.

    `sources` gives each column's name in the file (a CSV header, an XES attribute key), so
    that a problem names what the user sees. A row's place is its CSV `line`, or the XES
    `ref` (`trace 12 event 3`, both 1-based).
    """

    file: str
    columns: dict[str, pa.Array]
    sources: dict[str, str]
    lines: I64 | None
    refs: pa.Array | None
    n_read: int  # records read, unreadable ones included
    problems: list[Problem]  # records that could not be read at all (malformed CSV rows)

    @property
    def num_rows(self) -> int:
        return len(self.columns[CASE])

    def column(self, name: str) -> pa.Array:
        return self.columns[name]

    def problem(self, row: int, name: str, value: object, message: str) -> Problem:
        """A problem at `row` in the column of field `name`."""
        field = self.sources.get(name, name)
        if self.lines is not None:
            return Problem(self.file, int(self.lines[row]), field, value, message)
        ref = "" if self.refs is None else f"{self.refs[row].as_py()}: "
        return Problem(self.file, None, field, value, ref + message)


def trimmed(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A text column in one piece, trimmed, with "" for null."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    return pc.utf8_trim_whitespace(column.fill_null(""))
