"""The compliance rollup in mergeable parts, for a history split by ticket into partitions.

A partition holds whole tickets, so its measurements are final; only the rollup spans
partitions. `partial_rollup` gives per group of one partition the figures that merge
exactly by addition (count, met and the integer sum of elapsed µs) and the group's elapsed
values, sorted. `merge_partials` adds the parts up per global group. Percentiles do not
merge from counts: `group_percentiles` computes them in a second pass over each group's
values, gathered from every partition, with the interpolation `rollup` itself uses
(docs/scale-out.md says why an exact pass and not a sketch). `finish_rollup` turns the
merged parts and the percentiles into the `Rollup` of the whole, equal to `rollup` over all
measurements at once.

The later experience and integrity metrics are meant to follow the same pattern: a
function of whole tickets, and aggregates that merge by addition or by an exact pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mittari.engine.compliance import Rollup, _percentiles
from mittari.engine.errors import EngineError
from mittari.engine.types import F64, I8, I64, US, State

PERCENTILES = (0.5, 0.9)  # the p50 and p90 of `rollup`


@dataclass(frozen=True)
class PartialRollup:
    """Per group: the figures that add up across partitions, exactly (integers only)."""

    keys: tuple[I64, ...]  # per key, the code of each group (merged: the global group number)
    count: I64
    met: I64
    total_us: I64  # the exact sum of elapsed µs (a float sum would depend on the order)

    def __len__(self) -> int:
        return len(self.count)


@dataclass(frozen=True)
class GroupValues:
    """Each group's elapsed µs, ascending: group g holds `values[offsets[g]:offsets[g + 1]]`."""

    offsets: I64
    values: I64

    def of(self, groups: I64) -> list[I64]:
        """The values of each of `groups` (views, not copies)."""
        o = self.offsets
        return [self.values[o[g] : o[g + 1]] for g in groups.tolist()]


def partial_rollup(
    keys: Sequence[I64], state: I8, elapsed_us: I64
) -> tuple[PartialRollup, GroupValues]:
    """The mergeable figures and the sorted values per group, grouped as `rollup` groups."""
    for k in keys:
        if len(k) != len(state):
            raise EngineError("rollup keys and measurements differ in length")
    rows = np.flatnonzero((state == State.MET) | (state == State.BREACHED))
    columns = [np.asarray(k, dtype=np.int64)[rows] for k in keys]
    distinct, group = _groups(columns or [np.zeros(len(rows), dtype=np.int64)])
    n = len(group) and int(group.max()) + 1
    count = np.bincount(group, minlength=n).astype(np.int64)
    met = np.zeros(n, dtype=np.int64)
    np.add.at(met, group, state[rows] == State.MET)
    elapsed = np.asarray(elapsed_us[rows], dtype=np.int64)
    order = np.lexsort((elapsed, group))  # the order `rollup` sorts in for its percentiles
    values = elapsed[order]
    offsets = np.concatenate(([0], np.cumsum(count))).astype(np.int64)
    total = _exact_sums(values, offsets)
    key_cols = tuple(distinct[: len(keys)])
    return PartialRollup(key_cols, count, met, total), GroupValues(offsets, values)


def _groups(columns: list[I64]) -> tuple[list[I64], I64]:
    """The distinct key tuples, in the lexicographic order of `np.unique(axis=0)`, and the
    group of each row. Key codes are small integers (dictionary codes, months), so a tuple
    becomes one mixed-radix integer, numbered through a table when the radix space is
    small: no sort of the rows, which `np.unique(axis=0)` spends most of its time on."""
    if len(columns[0]) == 0:
        return [c[:0] for c in columns], np.zeros(0, dtype=np.int64)
    lows = [int(c.min()) for c in columns]
    sizes = [int(c.max()) - low + 1 for c, low in zip(columns, lows, strict=True)]
    space = 1
    for size in sizes:
        space *= size
    if space >= 2**62:  # too many combinations for one int64: sort the tuples
        uniq, group = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)
        return [uniq[:, i].copy() for i in range(len(columns))], group.reshape(-1)
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for c, low, size in zip(columns, lows, sizes, strict=True):
        code = code * size + (c - low)  # the first key most significant: lexicographic
    if space <= max(8 * len(code), 1 << 16):
        present = np.zeros(space, dtype=bool)
        present[code] = True
        number = np.cumsum(present, dtype=np.int64) - 1
        distinct, group = np.flatnonzero(present), number[code]
    else:
        distinct, group = np.unique(code, return_inverse=True)
    keys: list[I64] = []
    for low, size in zip(reversed(lows), reversed(sizes), strict=True):
        keys.insert(0, distinct % size + low)
        distinct = distinct // size
    return keys, np.asarray(group, dtype=np.int64).reshape(-1)


def _exact_sums(values: I64, offsets: I64) -> I64:
    """Per group, the int64 sum of its values; an error rather than a silent overflow."""
    if len(values) == 0:
        return np.zeros(len(offsets) - 1, dtype=np.int64)
    largest = max(abs(int(values.max())), abs(int(values.min())))
    if largest * len(values) >= 2**63:  # ~292,000 years of elapsed time in one group
        raise EngineError("elapsed sums exceed int64: split the groups further")
    return np.add.reduceat(values, offsets[:-1]).astype(np.int64)


def merge_partials(
    parts: Sequence[PartialRollup], global_group: Sequence[I64], n_groups: int
) -> PartialRollup:
    """Sum the parts per global group; `global_group[i][g]` is the global number of group g
    of part i. The result's only key is the global group number 0..n_groups-1."""
    if len(parts) != len(global_group):
        raise EngineError("one global group map per part is needed")
    count = np.zeros(n_groups, dtype=np.int64)
    met = np.zeros(n_groups, dtype=np.int64)
    total = np.zeros(n_groups, dtype=np.int64)
    for part, to in zip(parts, global_group, strict=True):
        if len(to) != len(part):
            raise EngineError("a global group map differs in length from its part")
        np.add.at(count, to, part.count)
        np.add.at(met, to, part.met)
        np.add.at(total, to, part.total_us)
    if (count <= 0).any():
        raise EngineError("every global group needs a part that counts in it")
    return PartialRollup((np.arange(n_groups, dtype=np.int64),), count, met, total)


def group_percentiles(values: Sequence[I64], qs: tuple[float, ...] = PERCENTILES) -> list[F64]:
    """The `qs` percentiles (µs) of each group's values, `values[g]` being all of group g's
    (from every partition, in any order): `rollup`'s interpolation, so the same floats."""
    count = np.array([len(v) for v in values], dtype=np.int64)
    if (count == 0).any():
        raise EngineError("a group without values has no percentiles")
    group = np.repeat(np.arange(len(values), dtype=np.int64), count)
    flat = np.concatenate(values).astype(np.int64) if values else np.zeros(0, dtype=np.int64)
    return list(_percentiles(group, flat, count, qs))


def finish_rollup(merged: PartialRollup, p50_us: F64, p90_us: F64) -> Rollup:
    """The `Rollup` of the whole from the merged parts and the groups' percentiles (µs)."""
    count, met = merged.count, merged.met
    # A float of the exact sum: equal to `rollup`'s float sum wherever that one is exact
    # (every running sum below 2**53 µs, ~285 years per group), closer where it is not.
    total = merged.total_us.astype(np.float64)
    return Rollup(
        keys=merged.keys,
        count=count,
        met=met,
        breached=count - met,
        compliance_pct=100.0 * met / np.maximum(count, 1),
        p50_s=p50_us / US,
        p90_s=p90_us / US,
        mean_s=total / np.maximum(count, 1) / US,
    )
