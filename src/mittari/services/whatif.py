"""What if a past month had been measured under another contract version?

Read-only: nothing is stored. The stored side is a measurement run of the customer (the
latest by default) with its compliance per metric and priority of the month, counted as
`services.stored.compliance` counts it. The other side measures the customer's event log
under the chosen version alone, at the run's as-of instant, as if that version had been in
force for every ticket (its effective range is set aside: that is the question asked), and
counts the month in that version's time zone.

The work is bounded to the month: a measurement counts in a month by its `stop_at`, which
is the instant of one of its ticket's events, so only tickets with an event in the month
are measured. The result equals measuring the whole log under the version and keeping the
month (the tests check this).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.db import repository as repo
from mittari.db.models import ContractVersion, MeasurementRun
from mittari.db.scope import Scoped
from mittari.engine.types import ContractPolicy, EventLog
from mittari.services.availability import month_range
from mittari.services.measure import compliance_table, measure_versions
from mittari.services.stored import policies_of, run_table
from mittari.services.stored_inputs import stored_inputs

ALWAYS = -(2**62)  # an effective start before any ticket
BY = ["month", "metric", "priority"]
COUNTED = ("met", "breached")
SHOWN_CHANGES = 200
Clock = tuple[str, str, int]  # ticket, metric, cycle


@dataclass(frozen=True)
class Figures:
    count: int
    met: int
    breached: int
    compliance_pct: float | None
    objective_pct: float | None
    objective_met: bool | None


@dataclass(frozen=True)
class WhatIfRow:
    """One metric (priority None: all priorities together) or one metric and priority."""

    metric: str
    priority: str | None
    stored: Figures | None
    what_if: Figures | None

    @property
    def difference_pp(self) -> float | None:
        """What-if minus stored compliance, in percentage points."""
        if self.stored is None or self.what_if is None:
            return None
        if self.stored.compliance_pct is None or self.what_if.compliance_pct is None:
            return None
        return self.what_if.compliance_pct - self.stored.compliance_pct


@dataclass(frozen=True)
class ChangedOutcome:
    """A clock counted in the month whose outcome differs between the two sides."""

    ticket: str
    metric: str
    cycle: int
    stored: str | None  # met, breached; None: not counted in the month on that side
    what_if: str | None
    stored_elapsed_s: float | None
    what_if_elapsed_s: float | None
    what_if_target_s: float | None


@dataclass(frozen=True)
class WhatIf:
    month: str
    version: ContractVersion
    run: MeasurementRun | None
    as_of_us: int
    timezone: str  # the chosen version's
    tickets_measured: int
    rows: list[WhatIfRow]
    changed: list[ChangedOutcome]  # at most SHOWN_CHANGES
    changed_total: int


def as_if_always(policy: ContractPolicy) -> ContractPolicy:
    """The version in force for every ticket, whenever created."""
    return dataclasses.replace(policy, effective_from_us=ALWAYS, effective_to_us=None)


def policy_of(version: ContractVersion) -> ContractPolicy:
    """The engine policy of one stored version."""
    return policies_of([version])[0]


def what_if(
    scope: Scoped,
    owner: int,
    customer: str,
    version: ContractVersion,
    month: str,
    run: MeasurementRun | None,
    now_us: int,
) -> WhatIf:
    """Compliance of `month` per metric and priority under `version` beside `run`'s
    (`run` None: no stored side, measured at now)."""
    as_of = run.as_of_us if run is not None else now_us
    policy = as_if_always(policy_of(version))
    found = stored_inputs(scope, owner)
    log = tickets_in_month(found.log, month_range(month, policy.timezone), as_of)
    customers = np.full(log.n_tickets, policy.customer, dtype=object)
    measured = measure_versions(log, [policy], customers, as_of).table
    mine = _month(compliance_table(measured, [policy], BY), month)
    mine_all = _month(compliance_table(measured, [policy], BY[:2]), month)
    stored_rows, stored_all = pa.table({}), pa.table({})
    theirs: dict[Clock, dict[str, object]] = {}
    if run is not None:
        stored = run_table(scope.conn, owner, customer, run.id)
        contracts = policies_of(repo.run_contracts(scope.conn, run.id))
        stored_rows = _month(compliance_table(stored, contracts, BY), month)
        stored_all = _month(compliance_table(stored, contracts, BY[:2]), month)
        theirs = counted_clocks(stored, contracts, month)
    rows = _joined(stored_all, mine_all) + _joined(stored_rows, mine)
    rows.sort(key=lambda r: (r.metric, r.priority is not None, r.priority or ""))
    changed = _changed(theirs, counted_clocks(measured, [policy], month))
    measured_tickets = int(np.unique(log.ticket).size)
    return WhatIf(
        month,
        version,
        run,
        as_of,
        policy.timezone,
        measured_tickets,
        rows,
        changed[:SHOWN_CHANGES],
        len(changed),
    )


def tickets_in_month(log: EventLog, bounds: tuple[int, int], as_of_us: int) -> EventLog:
    """The log of the tickets with an event in [lo, hi) at or before as-of."""
    lo, hi = bounds
    inside = (log.ts >= lo) & (log.ts < hi) & (log.ts <= as_of_us)
    keep = np.zeros(log.n_tickets, dtype=bool)
    keep[log.ticket[inside]] = True
    return log.select_tickets(keep)


def _month(table: pa.Table, month: str) -> pa.Table:
    if table.num_rows == 0:
        return table
    return table.filter(pc.equal(table.column("month"), month))


def _joined(stored: pa.Table, mine: pa.Table) -> list[WhatIfRow]:
    left = {_key(r): _figures(r) for r in stored.to_pylist()}
    right = {_key(r): _figures(r) for r in mine.to_pylist()}
    keys = sorted(set(left) | set(right), key=lambda k: (k[0], k[1] or ""))
    return [WhatIfRow(m, p, left.get((m, p)), right.get((m, p))) for m, p in keys]


def _key(row: dict[str, object]) -> tuple[str, str | None]:
    priority = row.get("priority")
    return str(row["metric"]), None if priority is None else str(priority)


def _figures(row: dict[str, Any]) -> Figures:
    pct, objective, met = row["compliance_pct"], row["objective_pct"], row["objective_met"]
    return Figures(
        int(row["count"]),
        int(row["met"]),
        int(row["breached"]),
        None if pct is None or math.isnan(pct) else float(pct),  # NaN: nothing counted
        None if objective is None else float(objective),
        None if met is None else bool(met),
    )


def _changed(
    theirs: dict[Clock, dict[str, object]], ours: dict[Clock, dict[str, object]]
) -> list[ChangedOutcome]:
    """Clocks counted in the month on either side whose outcome differs."""
    out = []
    for key in sorted(set(theirs) | set(ours)):
        a, b = theirs.get(key), ours.get(key)
        if a is not None and b is not None and a["state"] == b["state"]:
            continue
        out.append(
            ChangedOutcome(
                key[0],
                key[1],
                key[2],
                None if a is None else str(a["state"]),
                None if b is None else str(b["state"]),
                None if a is None else _float(a["elapsed_s"]),
                None if b is None else _float(b["elapsed_s"]),
                None if b is None else _float(b["target_s"]),
            )
        )
    return out


def counted_clocks(
    measured: pa.Table, contracts: Sequence[ContractPolicy], month: str
) -> dict[Clock, dict[str, object]]:
    """Met or breached rows stopping in `month` (each version's own zone), by clock."""
    out: dict[Clock, dict[str, object]] = {}
    stop = pc.cast(measured.column("stop_at"), pa.int64())
    counted = pc.is_in(measured.column("state"), value_set=pa.array(COUNTED))
    shown = ["ticket_id", "metric", "cycle", "state", "elapsed_s", "target_s"]
    for c in contracts:
        lo, hi = month_range(month, c.timezone)
        mine = pc.equal(measured.column("contract_version"), c.version)
        inside = pc.and_(pc.greater_equal(stop, lo), pc.less(stop, hi))
        rows = measured.filter(pc.and_(pc.and_(mine, counted), inside)).select(shown)
        for r in rows.to_pylist():
            out[(str(r["ticket_id"]), str(r["metric"]), int(str(r["cycle"])))] = r
    return out


def _float(value: object) -> float:
    return float(str(value))


def run_months(scope: Scoped, owner: int, customer: str, run: MeasurementRun) -> list[str]:
    """The months in which clocks of `run` stopped (each version's zone), oldest first."""
    measured = run_table(scope.conn, owner, customer, run.id)
    contracts = policies_of(repo.run_contracts(scope.conn, run.id))
    table = compliance_table(measured, contracts, ["month"])
    return sorted(m for m in table.column("month").to_pylist() if m is not None)
