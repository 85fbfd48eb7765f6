"""Event identity: the rank among identical events, and keys stable across runs."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from mittari.db.identity import event_keys, ranks


def slow_ranks(group: list[int], key: list[int]) -> list[int]:
    seen: dict[tuple[int, int], int] = {}
    out = []
    for g, k in zip(group, key, strict=True):
        out.append(seen.get((g, k), 0))
        seen[(g, k)] = out[-1] + 1
    return out


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=60))
def test_ranks_count_earlier_identical_rows(rows: list[tuple[int, int]]) -> None:
    group = np.array([g for g, _ in rows], dtype=np.int64)
    key = np.array([k for _, k in rows], dtype=np.uint64)
    assert ranks(group, key).tolist() == slow_ranks(group.tolist(), key.tolist())


def keys(values: list[str | None], ts: list[int], ticket: list[int] | None = None) -> list[int]:
    n = len(ts)
    return event_keys(
        np.array(ticket or [0] * n, dtype=np.int64),
        np.array(ts, dtype=np.int64),
        np.ones(n, dtype=np.int8),
        pa.array(values, pa.string()),
        np.full(n, -1, dtype=np.int8),
    ).tolist()


def test_keys_are_the_same_in_every_process_and_release() -> None:
    # golden values: a change here re-keys every stored event, so it must be deliberate
    assert keys(["open"], [1_700_000_000_000_000]) == [-2047720207657966043]


def test_every_field_and_the_rank_change_the_key() -> None:
    base = keys(["open"], [10])[0]
    assert keys(["closed"], [10])[0] != base
    assert keys([None], [10])[0] != base
    assert keys(["open"], [11])[0] != base
    twice = keys(["open", "open"], [10, 10])
    assert twice[0] == base and twice[1] != base
    # the rank counts within a ticket: the same event of two tickets has the same key
    assert keys(["open", "open"], [10, 10], ticket=[0, 1]) == [base, base]
