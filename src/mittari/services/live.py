"""Live clocks: every new event recomputes its ticket's clocks at once.

The engine on one ticket is cheap, so a webhook's events are followed, in the same
transaction, by the ticket's open clocks (`open_clocks`): what is running or paused now, its
due instant and the instants it crosses 75 % and 90 % of its target. The at-risk feed and
the breach warnings read that table.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, delete, select

from mittari.db import bulk
from mittari.db import repository as repo
from mittari.db.models import ContractVersion, Customer, OpenClock
from mittari.engine.calendar import BusinessCalendar
from mittari.engine.types import NULL_TS, ContractPolicy, State
from mittari.services.measure import calendar_of, measure_versions
from mittari.services.stored import contract_hash, log_from_rows, policies_of

OPEN_STATES = ("running", "paused")


@dataclass(frozen=True)
class Contracts:
    """A customer's contract versions in force, resolved once and cached by their hash."""

    customer: str
    rows: tuple[ContractVersion, ...]
    policies: tuple[ContractPolicy, ...]

    @cached_property
    def calendars(self) -> dict[tuple[int, str], BusinessCalendar]:
        """(contract version id, calendar name) → calendar."""
        ids = {v.label: v.id for v in self.rows}
        return {
            (ids[p.version], name): calendar_of(spec)
            for p in self.policies
            for name, spec in p.calendars.items()
        }

    def calendar_of(self, version_id: int, metric: str, priority: int) -> str:
        label = next(v.label for v in self.rows if v.id == version_id)
        policy = next(p for p in self.policies if p.version == label)
        found = next(m for m in policy.metrics if m.name == metric)
        return found.targets[priority].calendar


_CACHE: dict[str, Contracts] = {}


_FRESH: dict[int, tuple[float, str]] = {}  # customer → (checked at, cache key)
FRESH_S = 2.0  # how long a customer's contract set is trusted without asking the database


def contracts_of(conn: Connection, customer: int) -> Contracts | None:
    """The customer's contracts in force (resolved once per set of texts). The set is read
    again at most every FRESH_S seconds: a hot feed must not re-read contracts per request,
    and a new contract version reaches the feed within seconds."""
    checked = _FRESH.get(customer)
    if checked is not None and time.monotonic() - checked[0] < FRESH_S and checked[1] in _CACHE:
        return _CACHE[checked[1]]
    rows = repo.active_contracts(conn, customer)
    if not rows:
        return None
    key = f"{customer}:{contract_hash(rows)}"
    if key not in _CACHE:
        if len(_CACHE) > 256:  # a bound, not a policy: contracts change rarely
            _CACHE.clear()
        name = conn.scalar(select(Customer.key).where(Customer.id == customer)) or ""
        _CACHE[key] = Contracts(name, tuple(rows), tuple(policies_of(rows)))
    _FRESH[customer] = (time.monotonic(), key)
    return _CACHE[key]


def forget(customer: int) -> None:
    """Read the customer's contracts again on next use (a new version was just stored)."""
    _FRESH.pop(customer, None)


def recompute(conn: Connection, customer: int, tickets: Sequence[int], now_us: int) -> int:
    """Replace the open clocks of `tickets` by what their events give now; returns how many
    clocks are open. Without a contract, the tickets simply have no clocks."""
    ids = sorted(set(tickets))
    if not ids:
        return 0
    conn.execute(delete(OpenClock).where(OpenClock.ticket_id.in_(ids)))
    contracts = contracts_of(conn, customer)
    if contracts is None:
        return 0
    events = ticket_events(conn, ids)
    if events.num_rows == 0:
        return 0
    log = log_from_rows(events)
    owners = np.full(log.n_tickets, contracts.customer, dtype=object)
    table = measure_versions(log, list(contracts.policies), owners, now_us).table
    table = table.filter(pc.is_in(table.column("state"), value_set=pa.array(OPEN_STATES)))
    rows = _open_rows(table, contracts, customer, now_us)
    return bulk.insert(conn, "open_clocks", rows)


def ticket_events(conn: Connection, ids: list[int]) -> pa.Table:
    """The stored events of these tickets (`repository.EVENT_LOAD_SCHEMA`), in chunks of
    ids so that no statement carries more parameters than a driver takes."""
    parts = []
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        marks = ", ".join(f":t{i}" for i in range(len(chunk)))
        sql = (
            "SELECT e.id, e.ticket_id, e.ts_us, e.kind, e.code, e.value, e.actor FROM events e "
            f"WHERE e.ticket_id IN ({marks})"
        )
        params = {f"t{i}": v for i, v in enumerate(chunk)}
        small = len(chunk) <= 50  # a webhook's ticket or two: no COPY set-up
        parts.append(bulk.select(conn, sql, params, repo.EVENT_LOAD_SCHEMA, small=small))
    return pa.concat_tables(parts) if parts else repo.EVENT_LOAD_SCHEMA.empty_table()


def _open_rows(table: pa.Table, contracts: Contracts, customer: int, now_us: int) -> pa.Table:
    version_ids = {v.label: v.id for v in contracts.rows}
    versions = [version_ids[v] for v in table.column("contract_version").to_pylist()]
    metrics = table.column("metric").to_pylist()
    priorities = [int(p[1:]) for p in table.column("priority").to_pylist()]
    calendars = [
        contracts.calendar_of(v, m, p)
        for v, m, p in zip(versions, metrics, priorities, strict=True)
    ]
    target = _us(table, "target_s")
    elapsed = _us(table, "elapsed_s")
    state = np.where(
        np.asarray(table.column("state").to_pylist()) == "paused", State.PAUSED, State.RUNNING
    )
    due = np.asarray(pc.cast(table.column("due_at"), pa.int64()).fill_null(NULL_TS))
    warn, critical = _crossings(contracts, versions, calendars, target, elapsed, state, now_us)
    n = table.num_rows
    return pa.table(
        {
            "customer_id": pa.array([customer] * n, pa.int64()),
            "ticket_id": pc.cast(table.column("ticket_id"), pa.int64()),
            "contract_version_id": pa.array(versions, pa.int64()),
            "metric": table.column("metric"),
            "cycle": table.column("cycle"),
            "priority": pa.array(priorities, pa.int64()),
            "calendar": pa.array(calendars, pa.string()),
            "target_us": pa.array(target),
            "elapsed_us": pa.array(elapsed),
            "state": pa.array(state.astype(np.int64)),
            "start_at_us": pc.cast(table.column("start_at"), pa.int64()),
            "due_at_us": pa.array(due),
            "warn_at_us": warn,
            "critical_at_us": critical,
            "computed_at_us": pa.array([now_us] * n, pa.int64()),
        }
    )


def _us(table: pa.Table, seconds: str) -> np.ndarray:
    return np.rint(np.asarray(table.column(seconds).to_numpy()) * 1_000_000).astype(np.int64)


def _crossings(
    contracts: Contracts,
    versions: list[int],
    calendars: list[str],
    target: np.ndarray,
    elapsed: np.ndarray,
    state: np.ndarray,
    now_us: int,
) -> tuple[pa.Array, pa.Array]:
    """When each running clock reaches 75 % and 90 % of its target (null when paused or
    already past): the calendar's inverse from now, over the budget still to go."""
    out = []
    for share in (0.75, 0.90):
        at = np.full(len(target), NULL_TS, dtype=np.int64)
        budget = np.rint(target * share).astype(np.int64) - elapsed
        ahead = (state == State.RUNNING) & (budget > 0)
        for key in set(zip(versions, calendars, strict=True)):
            rows = ahead & np.array(
                [(v, c) == key for v, c in zip(versions, calendars, strict=True)]
            )
            if rows.any():
                start = np.full(int(rows.sum()), now_us, dtype=np.int64)
                at[rows] = contracts.calendars[key].due(start, budget[rows])
        out.append(pa.array(at, pa.int64(), mask=at == NULL_TS))
    return out[0], out[1]
