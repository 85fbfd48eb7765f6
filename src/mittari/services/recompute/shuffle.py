"""The split stage: each piece of the log is cut by partition into the scratch folder.

A task reads one piece (whole row groups), hashes each distinct ticket of it once
(`hashing.py`), orders its rows by partition (a stable sort: rows keep their input order
within a partition) and writes one small Parquet file per partition it has rows for. A
measure task then reads its partition's files in piece order, so each ticket's events
arrive whole and in input order: same-instant events keep the order the log gave them,
as in a one-piece read. This hash shuffle reads and writes every event once; it is what
lets a partition be any set of whole tickets whatever order the log is in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mittari.engine.types import I64
from mittari.importers.canonical.parser import EVENT_COLUMNS
from mittari.services.recompute.hashing import partition_of
from mittari.services.recompute.job import Routing, TaskContext, TaskStats, start_task, task_stats
from mittari.services.recompute.source import SHUFFLE_WORD, read_piece

ROW = "_row"  # the row's number over all files of the log, for problems
_PLAIN = ("ticket_id", "value")  # many distinct words: let Parquet encode what a slice holds


@dataclass(frozen=True)
class SplitResult:
    rows: I64  # rows written per partition
    stats: TaskStats


def split_piece(index: int, ctx: TaskContext) -> SplitResult:
    """Write piece `index` of the log into the shuffle, one file per partition it feeds."""
    started = start_task()
    job = ctx.job
    piece = job.source.pieces[index]
    table = read_piece(job.source, piece)
    part = row_partitions(table.column("ticket_id"), job.routing, job.partitions)
    order = np.argsort(part, kind="stable")
    rows = np.bincount(part, minlength=job.partitions).astype(np.int64)
    table = table.take(pa.array(order))
    for name in _PLAIN:
        i = table.schema.get_field_index(name)
        table = table.set_column(i, name, table.column(i).cast(pa.string()))
    table = table.append_column(ROW, pa.array(piece.first_row + order, pa.int64()))
    start = 0
    for k in np.flatnonzero(rows).tolist():
        path = ctx.shuffle_file(k, index)
        path.parent.mkdir(parents=True, exist_ok=True)
        # a retried task rewrites the same file with the same rows
        pq.write_table(
            table.slice(start, int(rows[k])),
            path,
            use_dictionary=["ticket_id", "kind", "value", "actor"],
            column_encoding={ROW: "DELTA_BINARY_PACKED"},  # ascending within a slice: tiny
        )
        start += int(rows[k])
    return SplitResult(rows, task_stats(started))


def shuffle_schema(ts_type: pa.DataType) -> pa.Schema:
    """The columns of a partition as read back from the shuffle (text as dictionaries)."""
    fields = [(c, ts_type if c == "ts" else SHUFFLE_WORD) for c in EVENT_COLUMNS]
    return pa.schema([*fields, (ROW, pa.int64())])


def row_partitions(ticket_id: pa.ChunkedArray, routing: Routing, n: int) -> I64:
    """The partition of each row: each distinct ticket id hashed once, with its customer.

    The column comes dictionary-encoded (one dictionary per row group): each chunk's
    dictionary is hashed and its rows look their partition up, with no re-encoding.
    """
    if not pa.types.is_dictionary(ticket_id.type):
        ticket_id = pa.chunked_array([pc.dictionary_encode(ticket_id.combine_chunks())])
    parts = [_chunk_partitions(chunk, routing, n) for chunk in ticket_id.chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _chunk_partitions(chunk: pa.DictionaryArray, routing: Routing, n: int) -> I64:
    words = pc.utf8_trim_whitespace(chunk.dictionary.cast(pa.string()))
    words = pa.concat_arrays([words, pa.array([""], pa.string())])  # last: a null's ("")
    of_word = partition_of(routing.customers(words), words, n)
    index = chunk.indices.fill_null(len(words) - 1)
    return np.asarray(of_word[np.asarray(index.to_numpy(), dtype=np.int64)], dtype=np.int64)
