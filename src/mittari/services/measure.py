"""Measure an event log under versioned contracts: route tickets, run the engine, roll up.

A ticket is measured under the contract version of its customer that was in force at its
`created` instant (docs/semantics.md). Tickets of a customer without a contract, or created
outside every version, are counted as unmeasured, never silently dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.calendar import BusinessCalendar
from mittari.engine.clock import measure
from mittari.engine.compliance import Rollup, month_periods, rollup
from mittari.engine.types import (
    I64,
    NULL_TS,
    CalendarSpec,
    ContractPolicy,
    EventLog,
    Kind,
    Measurements,
)
from mittari.errors import InputError, Problem
from mittari.importers.canonical.writer import measurements_table


@dataclass
class MeasureResult:
    table: pa.Table  # one row per (ticket, metric, cycle), with customer and contract version
    unmeasured: dict[str, int] = field(default_factory=dict)  # reason -> tickets


def created_at(log: EventLog) -> I64:
    """Per ticket index, the instant of its first `created` event (NULL_TS if none)."""
    out = np.full(log.n_tickets, NULL_TS, dtype=np.int64)
    rows = np.flatnonzero(log.kind == Kind.CREATED)[::-1]  # reversed: the first one wins
    out[log.ticket[rows]] = log.ts[rows]
    return out


def measure_versions(
    log: EventLog,
    contracts: Sequence[ContractPolicy],
    customers: np.ndarray,
    as_of_us: int,
) -> MeasureResult:
    created = created_at(log)
    covered = np.zeros(log.n_tickets, dtype=bool)
    tables: list[pa.Table] = []
    for version in contracts:
        mine = (customers == version.customer) & (created != NULL_TS)
        mine &= created >= version.effective_from_us
        if version.effective_to_us is not None:
            mine &= created < version.effective_to_us
        mine &= created <= as_of_us
        covered |= mine
        if mine.any():
            tables.append(_measure_one(log.select_tickets(mine), version, as_of_us))
    contracted = np.isin(customers, [c.customer for c in contracts])
    unmeasured = {
        "customer without a contract": int((~contracted).sum()),
        "created outside every contract version": int((contracted & ~covered).sum()),
    }
    table = pa.concat_tables(tables) if tables else _empty_table()
    return MeasureResult(table, {k: v for k, v in unmeasured.items() if v})


@functools.lru_cache(maxsize=256)
def calendar_of(spec: CalendarSpec) -> BusinessCalendar:
    """A compiled calendar per spec, kept: compiling one costs milliseconds, and a live
    service measures one ticket at a time under the same few calendars."""
    return BusinessCalendar(spec)


def _measure_one(log: EventLog, version: ContractPolicy, as_of_us: int) -> pa.Table:
    calendars = {name: calendar_of(spec) for name, spec in version.calendars.items()}
    m = measure(log, version.metrics, calendars, as_of_us)
    table = measurements_table(m, log, [x.name for x in version.metrics])
    n = table.num_rows
    table = table.append_column("customer", pa.array([version.customer] * n, pa.string()))
    return table.append_column("contract_version", pa.array([version.version] * n, pa.string()))


def _empty_table() -> pa.Table:
    z = np.zeros(0, dtype=np.int64)
    empty = Measurements(z, z, z, z, z, z, z, z.astype(np.int8), z, z, z, z)
    log = EventLog(z, z, z.astype(np.int8), z, z.astype(np.int8), ())
    table = measurements_table(empty, log, [])
    table = table.append_column("customer", pa.array([], pa.string()))
    return table.append_column("contract_version", pa.array([], pa.string()))


# --- compliance -----------------------------------------------------------------------------

GROUPABLE = ("month", "metric", "priority", "customer", "contract_version")


def compliance_table(
    measured: pa.Table,
    contracts: Sequence[ContractPolicy],
    by: Sequence[str],
    tickets: pa.Table | None = None,
) -> pa.Table:
    """Compliance per group of `by` (month, metric, priority, customer or a ticket column).

    Grouped by metric, each row carries its objective; where versions or customers hold
    different objectives for one metric, their measurements form separate rows, each
    judged against its own objective. Without metric in `by` there is no objective.
    """
    table = _with_months(measured, contracts)
    # Keys the measured table carries itself (e.g. a team added beside each row) need no
    # tickets file; the rest are ticket attributes.
    from_tickets = [k for k in by if k not in GROUPABLE and k not in table.column_names]
    table = _with_ticket_columns(table, tickets, from_tickets)
    codes, labels = [], []
    for key in by:
        enc = pc.dictionary_encode(table.column(key).cast(pa.string())).combine_chunks()
        codes.append(np.asarray(enc.indices.fill_null(-1).to_numpy(), dtype=np.int64))
        labels.append(enc.dictionary.to_pylist())
    row_objectives = _row_objectives(table, contracts)
    objectives = np.unique(row_objectives)
    if "metric" in by:  # a hidden last key: the objective of each row
        codes.append(np.searchsorted(objectives, row_objectives))
    state = np.asarray(
        pc.index_in(table.column("state"), value_set=pa.array(["met", "breached"])).fill_null(9)
    )
    r = rollup(codes, state.astype(np.int8), _elapsed_us(table))
    cols: dict[str, pa.Array] = {
        # a null key has code -1: it is shown as null, never as the last label
        key: pa.array([labels[i][c] if c >= 0 else None for c in r.keys[i]], pa.string())
        for i, key in enumerate(by)
    }
    objective = objectives[r.keys[-1]] if "metric" in by else np.full(len(r), np.nan)
    cols.update(figure_columns(r, objective))
    out = pa.table(cols)
    return out.sort_by([(k, "ascending") for k in by]) if by else out


def figure_columns(r: Rollup, objective: np.ndarray) -> dict[str, pa.Array]:
    """The figures of each group of a rollup, beside its objective (NaN: none). Judged on
    the counts, not on the rounded percentage shown. Shared by the one-piece table and the
    partitioned recompute, which must give the same columns."""
    return {
        "count": pa.array(r.count),
        "met": pa.array(r.met),
        "breached": pa.array(r.breached),
        "compliance_pct": pa.array(np.round(r.compliance_pct, 4)),
        "objective_pct": pa.array(objective, mask=np.isnan(objective)),
        "p50_s": pa.array(r.p50_s),
        "p90_s": pa.array(r.p90_s),
        "mean_s": pa.array(r.mean_s),
        "objective_met": pa.array(r.met * 100.0 >= objective * r.count, mask=np.isnan(objective)),
    }


def _row_objectives(table: pa.Table, contracts: Sequence[ContractPolicy]) -> np.ndarray:
    """The objective % of each measurement row's metric in its contract version."""
    sep = "\x1f"  # a unit separator: never part of a name
    keys = [sep.join((c.customer, c.version, m.name)) for c in contracts for m in c.metrics]
    values = np.array([m.objective_pct for c in contracts for m in c.metrics] + [np.nan])
    cols = [table.column(n).cast(pa.string()) for n in ("customer", "contract_version", "metric")]
    row_keys = pc.binary_join_element_wise(*cols, sep)
    found = pc.index_in(row_keys, value_set=pa.array(keys, pa.string())).fill_null(len(keys))
    return values[np.asarray(found.to_numpy())]


def _elapsed_us(table: pa.Table) -> I64:
    secs = table.column("elapsed_s").to_numpy()
    return np.rint(np.asarray(secs) * 1_000_000).astype(np.int64)


def _with_months(table: pa.Table, contracts: Sequence[ContractPolicy]) -> pa.Table:
    """Month of stop_at in each contract version's own time zone."""
    stop = pc.cast(table.column("stop_at"), pa.int64()).fill_null(NULL_TS)
    stop_us = np.asarray(stop.to_numpy())
    month = np.full(table.num_rows, None, dtype=object)
    cust = np.asarray(table.column("customer").to_numpy(zero_copy_only=False), dtype=object)
    ver = np.asarray(table.column("contract_version").to_numpy(zero_copy_only=False), dtype=object)
    for c in contracts:
        rows = np.flatnonzero((cust == c.customer) & (ver == c.version))
        code, labels = month_periods(stop_us[rows], c.timezone)
        named = np.array([*labels, None], dtype=object)
        month[rows] = named[code]
    return table.append_column("month", pa.array(month, pa.string()))


def _with_ticket_columns(table: pa.Table, tickets: pa.Table | None, names: list[str]) -> pa.Table:
    if not names:
        return table
    if tickets is None:
        raise InputError([Problem("--by", None, n, n, "needs a tickets file") for n in names])
    missing = [n for n in names if n not in tickets.column_names]
    if missing:
        raise InputError(
            [Problem("--by", None, n, n, "not a column of the tickets file") for n in missing]
        )
    row = pc.index_in(table.column("ticket_id"), value_set=tickets.column("ticket_id"))
    for n in names:
        table = table.append_column(n, tickets.column(n).combine_chunks().take(row))
    return table
