"""The synthetic year: deterministic, canonical, fast, and shaped like a real service desk."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from mittari.engine.types import Actor, EventLog, Kind, Status
from mittari.importers.canonical import EVENT_COLUMNS, events_from_table
from mittari.services.demo_data import DEMO_CUSTOMERS, TICKET_FIELDS, generate_year

Year = tuple[pa.Table, pa.Table]


@pytest.fixture(scope="module")
def year() -> Year:
    return generate_year(seed=11)


@pytest.fixture(scope="module")
def log(year: Year) -> EventLog:
    return events_from_table(year[0], strict=True).log  # strict: every row is canonical


def _first(log: EventLog, rows: np.ndarray) -> np.ndarray:
    """Per ticket, the index of its first row in `rows` (-1 where none)."""
    first = np.full(log.n_tickets, -1)
    where = np.flatnonzero(rows)[::-1]
    first[log.ticket[where]] = where
    return first


def _status_walk(log: EventLog) -> tuple[np.ndarray, np.ndarray]:
    """Per ticket: how often it was reopened, and whether it was cancelled."""
    reopened = np.zeros(log.n_tickets, dtype=np.int64)
    status = np.zeros(log.n_tickets, dtype=np.int64)
    done = (Status.RESOLVED, Status.CLOSED, Status.CANCELLED)
    for i in np.flatnonzero(log.kind == Kind.STATUS):  # test code: a plain loop is clearer
        t, new = log.ticket[i], log.value[i]
        reopened[t] += status[t] in done and new not in done
        status[t] = new
    cancelled = np.zeros(log.n_tickets, dtype=bool)
    cancelled[log.ticket[(log.kind == Kind.STATUS) & (log.value == Status.CANCELLED)]] = True
    return reopened, cancelled


def test_the_same_seed_gives_the_same_year(year: Year) -> None:
    events, tickets = generate_year(seed=11)
    assert events.equals(year[0]) and tickets.equals(year[1])
    assert not generate_year(seed=12)[0].equals(year[0])


def test_a_year_is_generated_well_under_two_seconds(year: Year) -> None:
    started = time.perf_counter()
    generate_year(seed=5)
    assert time.perf_counter() - started < 2.0


def test_columns_are_the_canonical_format(year: Year) -> None:
    events, tickets = year
    assert events.column_names == list(EVENT_COLUMNS)
    assert events.schema.field("ts").type == pa.timestamp("us", tz="UTC")
    assert tickets.column_names == list(TICKET_FIELDS)
    assert events.column("ts").null_count == 0


def test_sizes_are_those_of_a_real_msp(year: Year) -> None:
    events, tickets = year
    per_customer = pc.value_counts(tickets.column("customer")).to_pylist()
    assert {c["values"] for c in per_customer} == {c.slug for c in DEMO_CUSTOMERS}
    assert all(4_000 <= c["counts"] <= 8_500 for c in per_customer)
    assert 17_000 <= tickets.num_rows <= 22_000
    assert 130_000 <= events.num_rows <= 220_000


def test_every_ticket_starts_with_created_and_has_attributes(year: Year, log: EventLog) -> None:
    starts = np.concatenate([[0], np.flatnonzero(np.diff(log.ticket)) + 1])
    assert (log.kind[starts] == Kind.CREATED).all()
    assert log.ticket_ids == tuple(year[1].column("ticket_id").to_pylist())
    for name in ("service", "type", "requester", "subject", "team"):
        assert year[1].column(name).null_count == 0


def test_the_priority_mix(log: EventLog) -> None:
    initial = log.value[_first(log, log.kind == Kind.PRIORITY)]
    share = np.bincount(initial, minlength=6)[1:5] / log.n_tickets
    np.testing.assert_allclose(share, [0.03, 0.15, 0.50, 0.32], atol=0.015)


def test_arrivals_peak_in_office_hours_and_p1s_come_at_night(year: Year, log: EventLog) -> None:
    created = pa.array(log.ts[log.kind == Kind.CREATED], pa.timestamp("us", tz="Europe/Helsinki"))
    hour = pc.hour(created).to_numpy()
    weekend = pc.day_of_week(created).to_numpy() >= 5
    night = (hour >= 22) | (hour < 6)
    assert 0.01 < weekend.mean() < 0.10 and 0.01 < night.mean() < 0.10
    assert ((hour >= 8) & (hour < 16)).mean() > 0.6
    initial = log.value[_first(log, log.kind == Kind.PRIORITY)]
    assert night[initial == 1].mean() > 0.2  # 24x7 incidents


def test_reopens_cancellations_and_pauses(log: EventLog) -> None:
    reopened, cancelled = _status_walk(log)
    assert 0.03 < (reopened > 0).mean() < 0.08
    assert (reopened > 1).sum() > 50
    assert 0.01 < cancelled.mean() < 0.03
    statuses = log.value[log.kind == Kind.STATUS]
    assert (statuses == Status.PENDING_CUSTOMER).sum() > 0.2 * log.n_tickets
    assert (statuses == Status.PENDING_VENDOR).sum() > 0.02 * log.n_tickets


def test_auto_acknowledgements_come_from_the_system_right_after_creation(log: EventLog) -> None:
    system = (log.kind == Kind.REPLY) & (log.actor == Actor.SYSTEM)
    first = _first(log, system)
    has = first >= 0
    assert 0.2 < has.mean() < 0.6
    created = log.ts[_first(log, log.kind == Kind.CREATED)]
    assert (log.ts[first[has]] - created[has] <= 60_000_000).all()


def test_some_p2s_are_lowered_and_some_tickets_reassigned(log: EventLog) -> None:
    priority_rows = np.flatnonzero(log.kind == Kind.PRIORITY)
    later = priority_rows[log.kind[priority_rows - 1] != Kind.CREATED]
    assert (log.value[later] == 3).sum() > 30  # lowered to P3
    assign_counts = np.bincount(log.ticket[log.kind == Kind.ASSIGN], minlength=log.n_tickets)
    assert (assign_counts > 1).mean() > 0.03
    assert set(log.strings) >= {"Service Desk", "Network", "Workplace"}


def test_customers_and_years_can_be_chosen() -> None:
    stockholm = replace(DEMO_CUSTOMERS[2], tickets=300)
    events, tickets = generate_year(seed=1, year=2024, customers=[stockholm])
    assert set(tickets.column("customer").to_pylist()) == {"saaristo"}
    local = events.column("ts").cast(pa.timestamp("us", tz="Europe/Stockholm"))
    assert pc.min(local).as_py().year == 2024 and pc.max(local).as_py().year == 2024
    assert len(events_from_table(events, strict=True).log) == events.num_rows


def test_customers_need_distinct_ticket_id_prefixes() -> None:
    twin = replace(DEMO_CUSTOMERS[0], slug="kallio", tickets=10)
    with pytest.raises(ValueError, match="distinct ticket id prefixes"):
        generate_year(seed=1, customers=[DEMO_CUSTOMERS[0], twin])
    events, _ = generate_year(seed=1, customers=[replace(twin, prefix="KLO")])
    assert events.column("ticket_id")[0].as_py().startswith("KLO-")
