"""What the tickets page lists for a filter: the tickets, or the clocks, behind a number.

Clocks come from the customer's latest stored run, as every compliance figure does, and a
clock's month is the local month of its stop in its contract version's zone, exactly as
`services.measure.compliance_table` counts it. So `?metric=resolution&month=2025-03&
state=breached` lists exactly the breaches a compliance tile of that month counts.

The filters:
- `metric`, `state` (met, breached, running, paused, cancelled; judged: met or breached, what
  compliance counts; open: running or paused):
  with either, each row is one clock (ticket, metric, cycle), and `priority` and `month`
  select clocks (the clock's priority; the month of its stop);
- without them, each row is a ticket: `month` keeps the tickets with a clock that stopped in
  that month, `priority` the tickets whose priority is that now (their last priority event);
- `flag`: the tickets with an integrity hit of that flag or rule (docs/integrity.md), in
  `month` by the hit's instant when a month is given;
- `service`, `team` (the group of the ticket's last `assign` event), `q` (a part of the
  ticket's id or subject, any case).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.db import repository as repo
from mittari.db.models import MeasurementRun
from mittari.db.scope import Scoped
from mittari.engine.compliance import month_periods
from mittari.engine.integrity import FLAG_NAMES, RULE_NAMES
from mittari.engine.types import NULL_TS, Kind, priority_name
from mittari.services.stored import policies_of, run_table
from mittari.services.stored_reports import integrity_report
from mittari.services.vocabulary import FLAG_OF_RULE

PAGE_SIZE = 50
STATES = ("met", "breached", "judged", "running", "paused", "cancelled", "open")
EITHER = {"judged": ("met", "breached"), "open": ("running", "paused")}
FLAGS = tuple(sorted({*FLAG_NAMES, *RULE_NAMES}))
# The filter's choices: each flag, then the rules it fires by (the honest page's order).
FLAG_CHOICES = tuple(
    name
    for flag in FLAG_NAMES
    for name in (flag, *(r for r in RULE_NAMES if FLAG_OF_RULE.get(r) == flag))
)
MONTH_SHAPE = "YYYY-MM"


@dataclass(frozen=True)
class Filters:
    metric: str | None = None
    month: str | None = None
    state: str | None = None
    priority: str | None = None
    service: str | None = None
    team: str | None = None
    flag: str | None = None
    q: str | None = None

    @property
    def by_clock(self) -> bool:
        return self.metric is not None or self.state is not None

    def query(self, **changes: Any) -> str:
        """The query string of these filters with `changes` (None drops one)."""
        values = asdict(replace(self, **{k: v for k, v in changes.items() if k in NAMES}))
        values |= {k: v for k, v in changes.items() if k not in NAMES}
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def any(self) -> bool:
        return any(v is not None for v in asdict(self).values())


NAMES = tuple(Filters.__dataclass_fields__)


def parse_filters(params: Mapping[str, str]) -> tuple[Filters, list[tuple[str, str, str]]]:
    """The filters of a query string, and its problems as (field, value, what was expected)."""
    values = {n: (params.get(n) or "").strip() or None for n in NAMES}
    problems = []
    month = values["month"]
    if month is not None and not _is_month(month):
        problems.append(("month", month, MONTH_SHAPE))
    state = values["state"]
    if state is not None and state not in STATES:
        problems.append(("state", state, ", ".join(STATES)))
    priority = values["priority"]
    if priority is not None:
        priority = priority.upper()
        if priority not in {f"P{i}" for i in range(1, 10)}:
            problems.append(("priority", values["priority"] or "", "P1 … P5"))
        values["priority"] = priority
    flag = values["flag"]
    if flag is not None and flag not in FLAGS:
        problems.append(("flag", flag, ", ".join(FLAGS)))
    for name in NAMES:
        text = values[name]
        if text is not None and len(text) > 200:
            problems.append((name, text[:20] + "…", "at most 200 characters"))
    return Filters(**values), problems


def _is_month(text: str) -> bool:
    parts = text.split("-")
    return (
        len(parts) == 2
        and len(parts[0]) == 4
        and len(parts[1]) == 2
        and parts[0].isdigit()
        and parts[1].isdigit()
        and 1 <= int(parts[1]) <= 12
    )


@dataclass
class Row:
    ticket: str
    subject: str | None
    service: str | None
    team: str | None
    priority: str | None
    created_us: int | None
    status: str | None
    metric: str | None = None
    cycle: int | None = None
    state: str | None = None
    elapsed_s: float | None = None
    target_s: float | None = None
    stop_us: int | None = None
    month: str | None = None


@dataclass
class Listing:
    rows: list[Row]  # the page asked for
    total: int  # rows over every page
    by_clock: bool
    run: MeasurementRun | None
    zone: str
    options: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class TicketFacts:
    """Per ticket (store id): its source and id there, subject, service, and from its events
    the instant it was created, its priority, team (last assign) and status now."""

    table: pa.Table  # id, source, external_id, service, subject, created_us, priority, team, …


def ticket_facts(scope: Scoped, owner: int) -> TicketFacts:
    tickets = scope.ticket_table(owner)
    events = scope.event_table(owner)
    ids = np.asarray(tickets.column("id").to_numpy(), dtype=np.int64)
    tid = repo.numpy_column(events, "ticket_id", -1)
    ts = repo.numpy_column(events, "ts_us", NULL_TS)
    order = np.lexsort((repo.numpy_column(events, "id", 0), ts, tid))
    kind = repo.numpy_column(events, "kind", -1)[order]
    tid, ts = tid[order], ts[order]
    values = events.column("value").combine_chunks().take(pa.array(order))
    codes = repo.numpy_column(events, "code", -1)[order]
    created = _last(ids, tid, ts, kind == Kind.CREATED, first=True)
    priority = _last(ids, tid, codes, kind == Kind.PRIORITY)
    team = _last_text(ids, tid, values, kind == Kind.ASSIGN)
    status = _last_text(ids, tid, values, kind == Kind.STATUS)
    return TicketFacts(
        pa.table(
            {
                "id": tickets.column("id"),
                "source": tickets.column("source"),
                "external_id": tickets.column("external_id"),
                "service": tickets.column("service"),
                "subject": tickets.column("subject"),
                "created_us": pa.array(created, pa.int64(), mask=created == NULL_TS),
                "priority": pa.array(
                    [priority_name(int(p)) if p != NULL_TS else None for p in priority.tolist()],
                    pa.string(),
                ),
                "team": pa.array(team, pa.string()),
                "status": pa.array(status, pa.string()),
            }
        )
    )


def _positions(ids: np.ndarray, tid: np.ndarray, mask: np.ndarray, first: bool) -> np.ndarray:
    """Per ticket of `ids`: the position (in the sorted events) of its first or last event
    of `mask`, -1 where it has none."""
    rows = np.flatnonzero(mask)
    if not first:
        rows = rows[::-1]
    found, where = np.unique(tid[rows], return_index=True)
    out = np.full(len(ids), -1, dtype=np.int64)
    if len(found) == 0:
        return out
    index = np.searchsorted(found, ids)
    hit = (index < len(found)) & (found[np.minimum(index, len(found) - 1)] == ids)
    out[hit] = rows[where[index[hit]]]
    return out


def _last(
    ids: np.ndarray, tid: np.ndarray, values: np.ndarray, mask: np.ndarray, first: bool = False
) -> np.ndarray:
    at = _positions(ids, tid, mask, first)
    return np.where(at >= 0, values[np.maximum(at, 0)] if len(values) else NULL_TS, NULL_TS)


def _last_text(ids: np.ndarray, tid: np.ndarray, values: pa.Array, mask: np.ndarray) -> list[Any]:
    at = _positions(ids, tid, mask, first=False)
    taken = values.take(pa.array(np.maximum(at, 0))) if len(values) else pa.nulls(len(at))
    return [v if a >= 0 else None for v, a in zip(taken.to_pylist(), at.tolist(), strict=True)]


def clocks(scope: Scoped, owner: int, key: str) -> tuple[pa.Table | None, MeasurementRun | None]:
    """The clocks of the customer's latest run, with `month` (its stop's, in the zone of
    its contract version) and `stop_us`; None before the first run."""
    runs = scope.runs(owner)
    if not runs:
        return None, None
    run = runs[-1]
    table = run_table(scope.conn, owner, key, run.id)
    zones = {p.version: p.timezone for p in policies_of(repo.run_contracts(scope.conn, run.id))}
    stop = np.asarray(pc.cast(table.column("stop_at"), pa.int64()).fill_null(NULL_TS))
    versions = np.asarray(table.column("contract_version").to_pylist(), dtype=object)
    month = np.full(table.num_rows, None, dtype=object)
    for version, zone in zones.items():
        rows = np.flatnonzero(versions == version)
        code, labels = month_periods(stop[rows], zone)
        month[rows] = np.array([*labels, None], dtype=object)[code]
    table = table.append_column("month", pa.array(month, pa.string()))
    return table.append_column("stop_us", pa.array(stop, pa.int64(), mask=stop == NULL_TS)), run


def listing(
    scope: Scoped, owner: int, key: str, filters: Filters, page: int, now_us: int
) -> Listing:
    """The rows of `filters` (page `page`, from 1) and the options of the filter form."""
    facts = ticket_facts(scope, owner).table
    measured, run = clocks(scope, owner, key)
    zone = _zone(scope, run)
    keep = _ticket_mask(facts, filters)
    if filters.flag is not None:
        flagged = _flagged(scope, owner, filters, now_us)
        # the report names a ticket `source:id` where two sources share an id
        both = pc.binary_join_element_wise(facts.column("source"), facts.column("external_id"), ":")
        keep &= np.isin(facts.column("external_id").to_pylist(), flagged) | np.isin(
            both.to_pylist(), flagged
        )
    selected = None
    if measured is not None and (filters.by_clock or filters.month is not None):
        if filters.by_clock or filters.flag is None:  # with a flag alone, month is the hit's
            selected = measured.filter(pa.array(_clock_mask(measured, filters)))
            chosen = set(selected.column("ticket_id").to_pylist())
            keep &= np.isin(facts.column("external_id").to_pylist(), list(chosen))
    elif measured is None and (filters.by_clock or (filters.month and not filters.flag)):
        keep &= False  # nothing measured: no clock matches
    kept = facts.filter(pa.array(keep))
    if filters.by_clock and selected is not None:
        rows = _clock_rows(selected, kept)
    else:
        rows = _ticket_rows(kept)
    size = PAGE_SIZE
    start = (max(page, 1) - 1) * size
    options = _options(facts, measured)
    return Listing(rows[start : start + size], len(rows), filters.by_clock, run, zone, options)


def _zone(scope: Scoped, run: MeasurementRun | None) -> str:
    if run is not None:
        found = policies_of(repo.run_contracts(scope.conn, run.id))
        if found:
            return found[-1].timezone
    return "UTC"


def _ticket_mask(facts: pa.Table, filters: Filters) -> np.ndarray:
    keep = np.ones(facts.num_rows, dtype=bool)
    for name in ("service", "team"):
        wanted = getattr(filters, name)
        if wanted is not None:
            keep &= _equal(facts.column(name), wanted)
    if filters.priority is not None and not filters.by_clock:
        keep &= _equal(facts.column("priority"), filters.priority)
    if filters.q is not None:
        needle = filters.q.lower()
        ids = pc.utf8_lower(facts.column("external_id"))
        subjects = pc.utf8_lower(facts.column("subject").fill_null(""))
        either = pc.or_(pc.match_substring(ids, needle), pc.match_substring(subjects, needle))
        keep &= np.asarray(either.to_numpy(zero_copy_only=False), dtype=bool)
    return keep


def _equal(column: pa.ChunkedArray, wanted: str) -> np.ndarray:
    same = pc.fill_null(pc.equal(column, wanted), False)
    return np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool)


def _clock_mask(measured: pa.Table, filters: Filters) -> np.ndarray:
    keep = np.ones(measured.num_rows, dtype=bool)
    if filters.metric is not None:
        keep &= _equal(measured.column("metric"), filters.metric)
    if filters.month is not None:
        keep &= _equal(measured.column("month"), filters.month)
    if filters.state is not None:
        states = EITHER.get(filters.state, (filters.state,))
        keep &= np.isin(measured.column("state").to_pylist(), states)
    if filters.priority is not None and filters.by_clock:
        keep &= _equal(measured.column("priority"), filters.priority)
    return keep


def _flagged(scope: Scoped, owner: int, filters: Filters, now_us: int) -> list[str]:
    """The tickets with a hit of the flag (or rule), in the month when one is given."""
    flags = integrity_report(scope, owner, now_us, filters.month).flags
    if flags.num_rows == 0:
        return []
    name = filters.flag
    hit = pc.or_(pc.equal(flags.column("flag"), name), pc.equal(flags.column("rule"), name))
    return sorted(set(flags.filter(hit).column("ticket_id").to_pylist()))


def _ticket_rows(kept: pa.Table) -> list[Row]:
    ordered = kept.sort_by([("created_us", "descending"), ("external_id", "ascending")])
    return [
        Row(
            ticket=r["external_id"],
            subject=r["subject"],
            service=r["service"],
            team=r["team"],
            priority=r["priority"],
            created_us=r["created_us"],
            status=r["status"],
        )
        for r in ordered.to_pylist()
    ]


def _clock_rows(selected: pa.Table, kept: pa.Table) -> list[Row]:
    facts = {r["external_id"]: r for r in kept.to_pylist()}
    rows = [r for r in selected.to_pylist() if r["ticket_id"] in facts]
    # open clocks first, then the latest stops; a ticket's clocks together
    rows.sort(key=lambda r: (r["stop_us"] is not None, -(r["stop_us"] or 0), r["ticket_id"]))
    out = []
    for r in rows:
        f = facts[r["ticket_id"]]
        out.append(
            Row(
                ticket=r["ticket_id"],
                subject=f["subject"],
                service=f["service"],
                team=f["team"],
                priority=r["priority"],
                created_us=f["created_us"],
                status=f["status"],
                metric=r["metric"],
                cycle=r["cycle"],
                state=r["state"],
                elapsed_s=r["elapsed_s"],
                target_s=r["target_s"],
                stop_us=r["stop_us"],
                month=r["month"],
            )
        )
    return out


def _options(facts: pa.Table, measured: pa.Table | None) -> dict[str, list[str]]:
    def distinct(column: pa.ChunkedArray, reverse: bool = False) -> list[str]:
        found = {v for v in column.to_pylist() if v not in (None, "")}
        return sorted(found, reverse=reverse)

    options = {
        "service": distinct(facts.column("service")),
        "team": distinct(facts.column("team")),
        "priority": distinct(facts.column("priority")),
        "metric": [],
        "month": [],
        "state": list(STATES),
        "flag": list(FLAG_CHOICES),
    }
    if measured is not None:
        options["metric"] = distinct(measured.column("metric"))
        options["month"] = distinct(measured.column("month"), reverse=True)
        options["priority"] = sorted({*options["priority"], *distinct(measured.column("priority"))})
    return options
