"""The Parquet event log to recompute: its files, and the pieces the split stage reads.

The log is one Parquet file or a directory of them (read recursively, in path order, names
starting with `_` or `.` skipped), on the local disk or behind any fsspec URL (`s3://`,
`gs://`, `abfs://`, … with the matching fsspec package installed). Only the footers are
read here; a piece is a run of whole row groups of one file, about `PIECE_ROWS` rows, so
the split stage's tasks are of a size whatever the files' sizes.

Rows are numbered over all files in order (a file's rows follow the previous file's):
the split stage carries that number through the shuffle, so that a bad row is reported
with its file and row, as `read_events` reports it for one file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mittari.errors import InputError, Problem
from mittari.importers.canonical.parser import EVENT_COLUMNS, REQUIRED_COLUMNS

PIECE_ROWS = 1_000_000
WORD_COLUMNS = ("ticket_id", "kind", "value", "actor")  # text, read dictionary-encoded
SHUFFLE_WORD = pa.dictionary(pa.int32(), pa.string())


@dataclass(frozen=True)
class Piece:
    """Whole row groups of one file: the unit of work of the split stage."""

    file: int  # index into EventSource.files
    row_groups: tuple[int, ...]
    first_row: int  # the number of its first row over all files
    rows: int


@dataclass(frozen=True)
class EventSource:
    url: str
    files: tuple[str, ...]  # local paths or fsspec URLs
    first_rows: tuple[int, ...]  # the number of each file's first row
    columns: tuple[tuple[str, ...], ...]  # per file: its names of EVENT_COLUMNS (None-less)
    ts_type: pa.DataType
    pieces: tuple[Piece, ...]
    rows: int

    def order(self, problem: Problem) -> tuple[int, int]:
        """A sort key: problems of the log's files in file and row order, others first."""
        file = self.files.index(problem.file) if problem.file in self.files else -1
        return file, problem.line or 0

    def where(self, problem: Problem, row: int) -> Problem:
        """`problem` placed at its file and (1-based) row, from its number over all files."""
        f = int(np.searchsorted(self.first_rows, row, side="right")) - 1
        return replace(problem, file=self.files[f], line=row - self.first_rows[f] + 1)


def open_source(url: str) -> EventSource:
    """The files, columns and pieces of the log at `url`; an InputError names what is wrong."""
    files = list_files(url)
    first_rows: list[int] = []
    columns: list[tuple[str, ...]] = []
    pieces: list[Piece] = []
    rows = 0
    ts_type: pa.DataType | None = None
    for i, file in enumerate(files):
        with parquet_file(file) as pf:
            names = _canonical_names(file, pf.schema_arrow)
            ts = pf.schema_arrow.field(names[1]).type
            if ts_type is not None and ts != ts_type:
                raise InputError([_problem(file, "ts", str(ts), f"not {ts_type} as in {files[0]}")])
            ts_type = ts
            first_rows.append(rows)
            columns.append(names)
            sizes = [pf.metadata.row_group(g).num_rows for g in range(pf.num_row_groups)]
        pieces += _pieces(i, rows, sizes)
        rows += sum(sizes)
    assert ts_type is not None  # list_files gives at least one file
    return EventSource(
        url, tuple(files), tuple(first_rows), tuple(columns), ts_type, tuple(pieces), rows
    )


def _pieces(file: int, first_row: int, sizes: list[int]) -> Iterator[Piece]:
    groups: list[int] = []
    start = rows = 0
    for g, n in enumerate(sizes):
        if groups and rows + n > PIECE_ROWS:
            yield Piece(file, tuple(groups), first_row + start, rows)
            groups, start, rows = [], start + rows, 0
        groups.append(g)
        rows += n
    if groups:
        yield Piece(file, tuple(groups), first_row + start, rows)


def _canonical_names(file: str, schema: pa.Schema) -> tuple[str, ...]:
    """The file's own name of each canonical column ("" for an optional one it lacks);
    names are matched as the importer matches them: trimmed, in any case."""
    found = {name.strip().lower(): name for name in schema.names}
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    if missing:
        raise InputError([_problem(file, c, None, "required column is missing") for c in missing])
    return tuple(found.get(c, "") for c in EVENT_COLUMNS)


def read_piece(source: EventSource, piece: Piece) -> pa.Table:
    """The piece's rows with the canonical columns (a lacking optional one as nulls)."""
    names = source.columns[piece.file]
    wanted = [n for n in names if n]
    words = [n for n, c in zip(names, EVENT_COLUMNS, strict=True) if n and c in WORD_COLUMNS]
    with parquet_file(source.files[piece.file], read_dictionary=words) as pf:
        table = pf.read_row_groups(list(piece.row_groups), columns=wanted)
    columns = [
        table.column(n) if n else pa.chunked_array([pa.nulls(table.num_rows, pa.string())])
        for n in names  # in EVENT_COLUMNS order
    ]
    columns = [
        _as_words(col) if c in WORD_COLUMNS else col
        for col, c in zip(columns, EVENT_COLUMNS, strict=True)
    ]
    return pa.table(columns, names=list(EVENT_COLUMNS))


def _as_words(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A text column as dictionary<int32, string>, whatever type the file gave it, so
    that the pieces of every file concatenate into one partition."""
    if column.type == SHUFFLE_WORD:
        return column
    text = column.cast(pa.string()) if not pa.types.is_string(column.type) else column
    return pa.chunked_array([pc.dictionary_encode(text.combine_chunks())])


# --- files: local paths or fsspec URLs ---------------------------------------------------


def _local(url: str) -> str | None:
    """The local path of `url`, None when it needs fsspec."""
    if url.startswith("file://"):
        return url[len("file://") :]
    return None if "://" in url else url


def _fsspec(url: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs  # type: ignore[import-untyped]
    except ImportError as exc:  # fsspec comes with the dask extra
        raise InputError(
            [
                _problem(
                    url, "events", url, "reading a URL needs fsspec: pip install 'mittari[dask]'"
                )
            ]
        ) from exc
    try:
        return url_to_fs(url)  # type: ignore[no-any-return]
    except (ImportError, ValueError) as exc:  # e.g. s3:// without s3fs
        raise InputError([_problem(url, "events", url, str(exc))]) from exc


def list_files(url: str) -> list[str]:
    local = _local(url)
    if local is not None:
        path = Path(local)
        if path.is_dir():
            files = [
                str(p) for p in sorted(path.rglob("*.parquet")) if _visible(p.relative_to(path))
            ]
        elif path.exists():
            files = [str(path)]
        else:
            raise InputError([_problem(url, "events", url, "no such file or directory")])
    else:
        fs, root = _fsspec(url)
        if fs.isdir(root):
            found = sorted(f for f in fs.find(root) if f.endswith(".parquet"))
            found = [f for f in found if _visible(Path(f).relative_to(root))]
            files = [fs.unstrip_protocol(f) for f in found]
        elif fs.exists(root):
            files = [url]
        else:
            raise InputError([_problem(url, "events", url, "no such file or directory")])
    if not files:
        raise InputError([_problem(url, "events", url, "no .parquet file in it")])
    return files


def _visible(relative: Path) -> bool:
    return not any(part.startswith(("_", ".")) for part in relative.parts)


@contextmanager
def parquet_file(file: str, read_dictionary: list[str] | None = None) -> Iterator[pq.ParquetFile]:
    local = _local(file)
    try:
        if local is not None:
            with pq.ParquetFile(local, read_dictionary=read_dictionary) as pf:
                yield pf
        else:
            fs, path = _fsspec(file)
            with (
                fs.open(path, "rb") as handle,
                pq.ParquetFile(handle, read_dictionary=read_dictionary) as pf,
            ):
                yield pf
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(
            [_problem(file, "file", None, f"cannot read it as Parquet: {exc}")]
        ) from exc


def _problem(file: str, field: str, value: object, message: str) -> Problem:
    return Problem(file, None, field, value, message)
