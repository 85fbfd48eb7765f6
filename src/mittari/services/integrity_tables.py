"""Arrow tables of the integrity report: flags with their evidence in words, counts per
flag, the deadline-bunching test, and reported beside honest compliance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.compliance import month_periods
from mittari.engine.integrity import (
    FLAG_NAMES,
    FLAG_OF,
    RULE_NAMES,
    Flag,
    Flags,
    IntegrityPolicy,
    Rule,
    deadline_bunching,
)
from mittari.engine.types import (
    ACTOR_NAMES,
    I64,
    NULL_TS,
    STATUS_NAMES,
    ContractPolicy,
    EventLog,
    Kind,
    priority_name,
)

Policies = Mapping[tuple[str, str], IntegrityPolicy]  # (customer, version) → thresholds
_STATUS = {int(v): k for k, v in STATUS_NAMES.items()}
_ACTOR = {int(v): k for k, v in ACTOR_NAMES.items()}
_RULE_FLAG = np.array([int(FLAG_OF[r]) for r in Rule], dtype=np.int64)
UTC_US = pa.timestamp("us", tz="UTC")
UNASSIGNED = "(unassigned)"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def describe_event(log: EventLog, i: int) -> str:
    """One event in words: `T1 2026-03-02T17:30:00Z status:resolved`."""
    kind = Kind(int(log.kind[i]))
    value, actor = int(log.value[i]), int(log.actor[i])
    what = kind.name.lower()
    if kind == Kind.STATUS:
        what += f":{_STATUS[value]}"
    elif kind == Kind.PRIORITY:
        what += f":{priority_name(value)}"
    elif kind in (Kind.ASSIGN, Kind.CATEGORY):
        what += f":{log.strings[value]}"
    elif kind in (Kind.REPLY, Kind.NOTE):
        what += f":{_ACTOR.get(actor, '?')}"
    at = (_EPOCH + timedelta(microseconds=int(log.ts[i]))).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{log.ticket_ids[int(log.ticket[i])]} {at} {what}"


def flags_table(log: EventLog, found: Sequence[tuple[ContractPolicy, Flags]]) -> pa.Table:
    """One row per hit: customer, version, ticket, flag, rule, instant, evidence."""
    cols: dict[str, list[object]] = {k: [] for k in _FLAG_COLUMNS}
    for version, flags in found:
        for i in range(len(flags)):  # flagged rows only
            events = flags.events_of(i)
            cols["customer"].append(version.customer)
            cols["contract_version"].append(version.version)
            cols["ticket_id"].append(log.ticket_ids[int(flags.ticket[i])])
            cols["flag"].append(FLAG_NAMES[_RULE_FLAG[int(flags.rule[i])]])
            cols["rule"].append(RULE_NAMES[int(flags.rule[i])])
            cols["at"].append(int(flags.at[i]))
            cols["evidence"].append("; ".join(describe_event(log, int(e)) for e in events))
    table = pa.table({k: pa.array(v, _FLAG_COLUMNS[k]) for k, v in cols.items()})
    return table.sort_by(
        [("customer", "ascending"), ("ticket_id", "ascending"), ("at", "ascending")]
    )


_FLAG_COLUMNS = {
    "customer": pa.string(),
    "contract_version": pa.string(),
    "ticket_id": pa.string(),
    "flag": pa.string(),
    "rule": pa.string(),
    "at": UTC_US,
    "evidence": pa.string(),
}


def flag_counts(found: Sequence[tuple[ContractPolicy, Flags]], judged: int) -> pa.Table:
    """Per per-ticket flag: hits, distinct tickets, and their share of the judged tickets."""
    hits = np.zeros(len(Flag), dtype=np.int64)
    flagged: list[set[int]] = [set() for _ in Flag]
    for _, flags in found:
        kinds = _RULE_FLAG[flags.rule]
        hits += np.bincount(kinds, minlength=len(Flag))
        for k in np.unique(kinds):
            flagged[int(k)] |= set(flags.ticket[kinds == k].tolist())
    rows = [f for f in Flag if f != Flag.DEADLINE_BUNCHING]
    tickets = np.array([len(flagged[f]) for f in rows], dtype=np.int64)
    return pa.table(
        {
            "flag": [FLAG_NAMES[f] for f in rows],
            "hits": pa.array(hits[[int(f) for f in rows]]),
            "tickets": pa.array(tickets),
            "share_pct": pa.array(np.round(100.0 * tickets / max(judged, 1), 2)),
        }
    )


def with_assignee(table: pa.Table, log: EventLog, as_of_us: int) -> pa.Table:
    """`assignee`: the last `assign` value of each row's ticket at its stop (or as-of)."""
    ids = pa.array(list(log.ticket_ids), pa.string())
    ticket = np.asarray(pc.index_in(table.column("ticket_id"), value_set=ids).fill_null(-1))
    stop = np.asarray(pc.cast(table.column("stop_at"), pa.int64()).fill_null(NULL_TS))
    at = np.where(stop == NULL_TS, as_of_us, stop)
    found = last_assign(log, ticket.astype(np.int64), at.astype(np.int64))
    # A ticket never assigned gets a name, not a null: null keys never group or join.
    names = np.array([*log.strings, UNASSIGNED], dtype=object)
    return table.append_column("assignee", pa.array(names[found], pa.string()))


def last_assign(log: EventLog, ticket: I64, at: I64) -> I64:
    """Per query: the string index of the ticket's last `assign` event at or before `at`
    (-1: none). Assigns and queries sorted together by (ticket, instant, assigns first),
    then a forward fill of the last assign's position."""
    rows = np.flatnonzero(log.kind == Kind.ASSIGN)
    n, q = len(rows), len(ticket)
    keys_t = np.concatenate((log.ticket[rows], ticket))
    keys_s = np.concatenate((log.ts[rows], at))
    is_query = np.concatenate((np.zeros(n, np.int64), np.ones(q, np.int64)))
    order = np.lexsort((np.arange(n + q), is_query, keys_s, keys_t))
    pos = np.where(is_query[order] == 0, np.arange(n + q), -1)
    last = np.maximum.accumulate(pos)
    out = np.full(q, -1, dtype=np.int64)
    qpos = np.flatnonzero(is_query[order] == 1)
    src = last[qpos]
    same = (src >= 0) & (keys_t[order][np.maximum(src, 0)] == keys_t[order][qpos])
    query_number = order[qpos][same] - n
    out[query_number] = log.value[rows[order[src[same]]]]
    return out


def bunching_table(
    measured: pa.Table, contracts: Sequence[ContractPolicy], policies: Policies
) -> pa.Table:
    """The deadline-bunching test per version, assignee and month, on the resolution metric."""
    parts = []
    for c in contracts:
        part = _bunching_of(measured, c, policies.get((c.customer, c.version), IntegrityPolicy()))
        if part is not None:
            parts.append(part)
    return pa.concat_tables(parts) if parts else _BUNCHING_SCHEMA.empty_table()


_BUNCHING_SCHEMA = pa.schema(
    [
        ("customer", pa.string()),
        ("contract_version", pa.string()),
        ("assignee", pa.string()),
        ("month", pa.string()),
        ("resolutions", pa.int64()),
        ("in_last_window", pa.int64()),
        ("in_window_before", pa.int64()),
        ("p_value", pa.float64()),
        ("flagged", pa.bool_()),
        ("tickets_in_last_window", pa.string()),
    ]
)


def _bunching_of(measured: pa.Table, c: ContractPolicy, policy: IntegrityPolicy) -> pa.Table | None:
    pol = policy.deadline_bunching
    if not pol.enabled or policy.resolution_metric is None:
        return None
    rows = measured.filter(
        (pc.field("customer") == c.customer)
        & (pc.field("contract_version") == c.version)
        & (pc.field("metric") == policy.resolution_metric)
    )
    enc = pc.dictionary_encode(rows.column("assignee")).combine_chunks()
    stop = pc.cast(rows.column("stop_at"), pa.int64()).fill_null(NULL_TS)
    month, labels = month_periods(np.asarray(stop, dtype=np.int64), c.timezone)
    met_or_breached = pa.array(["met", "breached"])  # State codes 0 and 1
    state = pc.index_in(rows.column("state"), value_set=met_or_breached).fill_null(9)
    b = deadline_bunching(
        np.asarray(enc.indices, dtype=np.int64),
        month,
        np.asarray(state, dtype=np.int8),
        _us(rows.column("elapsed_s")),
        _us(rows.column("target_s")),
        pol,
    )
    ids, teams = rows.column("ticket_id").to_pylist(), enc.dictionary.to_pylist()
    shown = [
        " ".join(ids[r] for r in b.rows[b.offsets[i] : b.offsets[i + 1]]) for i in range(len(b))
    ]
    return pa.table(
        {
            "customer": [c.customer] * len(b),
            "contract_version": [c.version] * len(b),
            "assignee": [teams[g] for g in b.group],
            "month": [labels[m] for m in b.month],
            "resolutions": b.resolutions,
            "in_last_window": b.last,
            "in_window_before": b.before,
            "p_value": b.p_value,
            "flagged": b.flagged,
            "tickets_in_last_window": shown,
        },
        schema=_BUNCHING_SCHEMA,
    )


def _us(seconds: pa.ChunkedArray) -> I64:
    return np.rint(np.asarray(seconds, dtype=np.float64) * 1e6).astype(np.int64)


def side_by_side(reported: pa.Table, honest: pa.Table, by: Sequence[str]) -> pa.Table:
    """One row per group and objective: reported and honest counts and compliance."""
    shown = ["count", "met", "compliance_pct", "objective_met"]
    left = _for_join(reported, by, shown, "reported_")
    right = _for_join(honest, by, shown, "honest_")
    joined = left.join(right, keys=[*by, "_objective"], join_type="full outer")
    objective = joined.column("_objective")
    objective = pc.if_else(pc.equal(objective, -1.0), pa.scalar(None, pa.float64()), objective)
    table = joined.append_column("objective_pct", objective)
    paired = [f"{w}{c}" for c in shown for w in ("reported_", "honest_")]
    table = table.select([*by, "objective_pct", *paired])
    return table.sort_by([(k, "ascending") for k in [*by, "objective_pct"]])


def _for_join(table: pa.Table, by: Sequence[str], shown: list[str], prefix: str) -> pa.Table:
    """The key columns and the shown ones, renamed; an absent objective (no metric in the
    keys) becomes -1, since null keys never match in a join."""
    objective = table.column("objective_pct").fill_null(-1.0)
    columns = {k: table.column(k) for k in by}
    columns["_objective"] = objective
    columns.update({prefix + c: table.column(c) for c in shown})
    return pa.table(columns)
