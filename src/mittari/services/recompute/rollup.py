"""The compliance table in parts: per partition, merged, then exact percentiles.

`partial_compliance` groups one partition's measurements exactly as `compliance_table`
groups them (it calls the same helpers) and returns, per group, its labels, objective and
the figures that add up (`engine.partials`), with the group's sorted elapsed values kept
aside for the percentile pass. `merge_compliance` numbers the groups of all partitions by
their labels and adds them up; `plan_percentiles` hands each group to one reducer, which
reads that group's values from every partition; `compliance_from_parts` builds the table,
row for row what `compliance_table` gives for all measurements at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.partials import (
    GroupValues,
    PartialRollup,
    finish_rollup,
    group_percentiles,
    merge_partials,
    partial_rollup,
)
from mittari.engine.types import F64, I64, ContractPolicy

# The grouping of `compliance_table`, reused (not copied) so that both group alike.
from mittari.services.measure import (
    GROUPABLE,
    _elapsed_us,
    _row_objectives,
    _with_months,
    _with_ticket_columns,
    figure_columns,
)
from mittari.services.recompute.job import TaskContext, TaskStats, start_task, task_stats

OBJECTIVE = "objective_pct"
FIGURES = ("count", "met", "total_us")


def partial_compliance(
    measured: pa.Table,
    contracts: Sequence[ContractPolicy],
    by: Sequence[str],
    tickets: pa.Table | None = None,
) -> tuple[pa.Table, GroupValues]:
    """Per group of `by` in these measurements: labels, objective, count, met, total_us."""
    table = _with_months(measured, contracts)
    table = _with_ticket_columns(table, tickets, [k for k in by if k not in GROUPABLE])
    codes, labels = [], []
    for key in by:
        enc = pc.dictionary_encode(table.column(key).cast(pa.string())).combine_chunks()
        codes.append(np.asarray(enc.indices.fill_null(-1).to_numpy(), dtype=np.int64))
        labels.append(pa.concat_arrays([enc.dictionary, pa.nulls(1, pa.string())]))
    row_objectives = _row_objectives(table, contracts)
    objectives = np.unique(row_objectives)
    if "metric" in by:  # a hidden last key, as in compliance_table
        codes.append(np.searchsorted(objectives, row_objectives))
    state = pc.index_in(table.column("state"), value_set=pa.array(["met", "breached"]))
    state_codes = np.asarray(state.fill_null(9), dtype=np.int8)
    part, values = partial_rollup(codes, state_codes, _elapsed_us(table))
    cols = {key: _labels(labels[i], part.keys[i]) for i, key in enumerate(by)}
    objective = objectives[part.keys[-1]] if "metric" in by else np.full(len(part), np.nan)
    cols[OBJECTIVE] = pa.array(objective, pa.float64())
    cols.update(
        count=pa.array(part.count), met=pa.array(part.met), total_us=pa.array(part.total_us)
    )
    return pa.table(cols), values


def _labels(words: pa.Array, codes: I64) -> pa.Array:
    """The word of each code; code -1 (a null key) takes the null after the words.

    (compliance_table labels such a group with the last word instead: a known quirk.)"""
    return words.take(pa.array(np.where(codes < 0, len(words) - 1, codes)))


@dataclass(frozen=True)
class MergedCompliance:
    groups: pa.Table  # one row per global group: the `by` labels and the objective
    merged: PartialRollup
    global_of: list[I64]  # per partition, the global group of each of its groups


def merge_compliance(parts: Sequence[pa.Table], by: Sequence[str]) -> MergedCompliance:
    """Number the groups of all parts by (labels, objective) and add their figures up."""
    every = pa.concat_tables(parts) if parts else _empty_part(by)
    codes = []
    for key in by:
        enc = pc.dictionary_encode(every.column(key)).combine_chunks()
        codes.append(np.asarray(enc.indices.fill_null(-1).to_numpy(), dtype=np.int64))
    objective = np.asarray(every.column(OBJECTIVE).to_numpy(), dtype=np.float64)
    _, objective_code = np.unique(objective, return_inverse=True)  # NaNs are one value
    codes.append(objective_code.reshape(-1).astype(np.int64))
    uniq, first, number = np.unique(
        np.stack(codes, axis=1), axis=0, return_index=True, return_inverse=True
    )
    number = number.reshape(-1)
    ends = np.cumsum([p.num_rows for p in parts]).tolist()
    global_of = [number[start:end] for start, end in zip([0, *ends], ends, strict=False)]
    partials = [_partial(p) for p in parts]
    merged = merge_partials(partials, global_of, len(uniq))
    groups = every.select([*by, OBJECTIVE]).take(pa.array(first))
    return MergedCompliance(groups, merged, global_of)


def _partial(part: pa.Table) -> PartialRollup:
    count, met, total = (np.asarray(part.column(n).to_numpy(), np.int64) for n in FIGURES)
    return PartialRollup((), count, met, total)


def _empty_part(by: Sequence[str]) -> pa.Table:
    fields = [(k, pa.string()) for k in by] + [(OBJECTIVE, pa.float64())]
    fields += [(n, pa.int64()) for n in FIGURES]
    return pa.schema(fields).empty_table()


def compliance_from_parts(
    merged: MergedCompliance, p50_us: np.ndarray, p90_us: np.ndarray, by: Sequence[str]
) -> pa.Table:
    """The compliance table: the columns, values and row order of `compliance_table`."""
    r = finish_rollup(merged.merged, p50_us, p90_us)
    objective = np.asarray(merged.groups.column(OBJECTIVE).to_numpy(), dtype=np.float64)
    cols: dict[str, pa.Array] = {key: merged.groups.column(key).combine_chunks() for key in by}
    cols.update(figure_columns(r, objective))
    # compliance_table's rows come out of np.unique, objective (NaN last) deciding between
    # equal labels, and its sort is stable: the same first order gives the same last one.
    out = pa.table(cols).take(pa.array(np.argsort(objective, kind="stable")))
    return out.sort_by([(k, "ascending") for k in by]) if by else out


# --- the percentile pass ------------------------------------------------------------------


@dataclass(frozen=True)
class PercentileTask:
    """Groups for one reducer, and where their values are: per partition (partition,
    its local group numbers, their global numbers)."""

    groups: I64
    sources: tuple[tuple[int, I64, I64], ...]


def plan_percentiles(merged: MergedCompliance, reducers: int) -> list[PercentileTask]:
    """Split the groups into about `reducers` runs of similar value counts."""
    count = merged.merged.count
    if len(count) == 0:
        return []
    before = np.concatenate(([0], np.cumsum(count)[:-1]))
    reducer = (before * reducers // max(int(count.sum()), 1)).astype(np.int64)
    tasks = []
    for r in np.unique(reducer).tolist():
        mine = np.flatnonzero(reducer == r)
        sources = []
        for p, glob in enumerate(merged.global_of):
            local = np.flatnonzero(np.isin(glob, mine))
            if len(local):
                sources.append((p, local, glob[local]))
        tasks.append(PercentileTask(mine, tuple(sources)))
    return tasks


@dataclass(frozen=True)
class PercentileResult:
    groups: I64
    p50_us: F64
    p90_us: F64
    stats: TaskStats


def percentile_task(task: PercentileTask, ctx: TaskContext) -> PercentileResult:
    """The p50 and p90 of each of the task's groups, from its values in every partition."""
    started = start_task()
    gathered: dict[int, list[I64]] = {g: [] for g in task.groups.tolist()}
    for partition, local, glob in task.sources:
        offsets_file, values_file = ctx.values_files(partition)
        offsets = np.load(offsets_file)
        values = np.load(values_file, mmap_mode="r")  # only the task's groups are read
        for g_local, g in zip(local.tolist(), glob.tolist(), strict=True):
            gathered[g].append(np.asarray(values[offsets[g_local] : offsets[g_local + 1]]))
        del values
    p50, p90 = group_percentiles([np.concatenate(gathered[g]) for g in task.groups.tolist()])
    return PercentileResult(task.groups, p50, p90, task_stats(started))
