"""The fast paths of the reader give what the plain ones give, row for row.

Parquet text is read dictionary-encoded (a dictionary per row group), a clean file is
checked in a few passes and the checks are worded for failing rows only, rows already in
(ticket, ts) order are not sorted, and `rows` is built when asked for. The same table read
as plain strings, in memory, is the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mittari.engine.types import Kind
from mittari.importers.canonical import ReadResult, events_from_table, read_events
from mittari.importers.canonical.rows import _checked, checks, decode, failing
from mittari.importers.canonical.source import from_table

_KINDS = ["created", "Created ", "status", "priority", "reply", "note", "assign", "category"]
_ODD_KINDS = ["escalate", "", None]
_VALUES = ["open", " Pending_Customer", "closed", "waiting", "P2", "p3", "4", "P7", "Network",
           " Network ", "Service Desk", "", None]  # fmt: skip
_ACTORS = ["agent", " Customer", "SYSTEM", "bot", "", None]
_STAMPS = ["2025-03-03T08:00:00Z", "2025-03-03T09:30:00+02:00", "2025-03-03 07:15:00.5Z",
           "2025-03-03T08:00:00", "03.03.2025", "", None]  # fmt: skip


def _messy(n: int, seed: int) -> pa.Table:
    """Rows of every kind of mistake, tickets interleaved, some ids padded or missing."""
    rng = np.random.default_rng(seed)

    def pick(words: Sequence[str | None], odd: Sequence[str | None] = ()) -> pa.Array:
        chosen = [words[i] for i in rng.integers(0, len(words), n)]
        for row in np.flatnonzero(rng.random(n) < (0.05 if odd else 0.0)):
            chosen[row] = odd[int(rng.integers(0, len(odd)))]
        return pa.array(chosen, pa.string())

    ids = [f"T{t}" for t in rng.integers(0, n // 6 + 1, n)]
    for row in np.flatnonzero(rng.random(n) < 0.03):
        ids[row] = rng.choice([" " + ids[row], "", "  "])
    return pa.table(
        {
            "ticket_id": pa.array(ids, pa.string()),
            "ts": pick(_STAMPS),
            "kind": pick(_KINDS, _ODD_KINDS),
            "value": pick(_VALUES),
            "actor": pick(_ACTORS),
            "channel": pick(["web", "mail", None]),
        }
    )


def _same(a: ReadResult, b: ReadResult) -> None:
    for name in ("ticket", "ts", "kind", "value", "actor"):
        x, y = getattr(a.log, name), getattr(b.log, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y, err_msg=name)
    assert (a.log.ticket_ids, a.log.strings) == (b.log.ticket_ids, b.log.strings)
    assert a.problems == b.problems
    assert (a.n_read, a.n_kept) == (b.n_read, b.n_kept)
    assert a.rows.equals(b.rows)
    assert a.raw_value.equals(b.raw_value)


@pytest.mark.parametrize("row_group_size", [64, 1000, 10_000])
def test_parquet_read_as_dictionaries_equals_the_plain_table(
    tmp_path: Path, row_group_size: int
) -> None:
    table = _messy(3000, seed=row_group_size)
    path = tmp_path / "events.parquet"
    pq.write_table(table, path, row_group_size=row_group_size)
    _same(read_events(path), events_from_table(table, file=str(path)))
    zoned = read_events(path, timezone="Europe/Helsinki")
    _same(zoned, events_from_table(table, file=str(path), timezone="Europe/Helsinki"))


def test_a_dictionary_table_equals_the_plain_one() -> None:
    table = _messy(2000, seed=7)
    encoded = pa.table([c.dictionary_encode() for c in table.columns], names=table.column_names)
    chunked = pa.Table.from_batches(encoded.to_batches(max_chunksize=300))
    _same(events_from_table(chunked), events_from_table(table))


def test_the_quick_mask_is_every_check_at_once() -> None:
    rows = decode(from_table(_messy(5000, seed=3), "<table>"), None)
    everything = np.arange(len(rows.ts))
    each = np.zeros(len(everything), dtype=bool)
    for failed, _field, _message in checks(_checked(rows, everything)):
        each |= failed
    assert each.any() and not each.all()
    np.testing.assert_array_equal(failing(rows), each)


def test_sorted_and_unsorted_files_give_the_same_log() -> None:
    clean = events_from_table(_messy(4000, seed=11)).rows.drop_columns(["line"])
    assert events_from_table(clean).log.n_tickets > 100
    shuffled = clean.take(np.random.default_rng(5).permutation(clean.num_rows))
    by_ticket = events_from_table(shuffled).rows.drop_columns(["line"])  # sorted on reading
    a, b = events_from_table(shuffled), events_from_table(by_ticket)
    assert a.log.ticket_ids == b.log.ticket_ids
    for name in ("ticket", "ts", "kind", "actor"):
        np.testing.assert_array_equal(getattr(a.log, name), getattr(b.log, name), err_msg=name)
    assert _values(a) == _values(b)  # labels are numbered by first appearance: decoded


def _values(result: ReadResult) -> list[object]:
    log = result.log
    labelled = (log.kind == Kind.ASSIGN) | (log.kind == Kind.CATEGORY)
    return [
        log.strings[v] if is_label else v for v, is_label in zip(log.value, labelled, strict=True)
    ]


def test_tickets_are_numbered_by_first_appearance_even_in_a_bad_row() -> None:
    table = pa.table(
        {
            "ticket_id": ["A", "B", "A", "B"],
            "ts": ["x", "2025-03-03T08:00:00Z", "2025-03-03T08:00:00Z", "2025-03-03T09:00:00Z"],
            "kind": ["note", "created", "created", "note"],
            "actor": ["agent"] * 4,
        }
    )
    result = events_from_table(table)
    assert result.log.ticket_ids == ("A", "B")
    assert result.rows.column("line").to_pylist() == [3, 2, 4]


def test_parquet_instants_are_the_ts_column_and_writable(tmp_path: Path) -> None:
    stamps = pa.array([1_740_988_800_000_000 + i for i in range(5)], pa.timestamp("us", "UTC"))
    table = pa.table({"ticket_id": ["T"] * 5, "ts": stamps, "kind": ["created"] + ["note"] * 4})
    table = table.append_column("actor", pa.array(["agent"] * 5))
    pq.write_table(table, tmp_path / "e.parquet", row_group_size=2)
    result = read_events(tmp_path / "e.parquet", strict=True)
    assert result.log.ts.flags.writeable
    assert result.rows.column("ts").equals(table.column("ts"))
    np.testing.assert_array_equal(result.log.ts, stamps.cast(pa.int64()).to_numpy())
