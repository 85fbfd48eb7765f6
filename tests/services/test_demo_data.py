"""The synthetic year: deterministic, canonical, fast, shaped like a real service desk, and
carrying the stories the demo plants (each checked here on the generated events; that the
product finds them is tests/services/test_demo.py)."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from mittari.engine.types import Actor, EventLog, Kind, Status
from mittari.importers.canonical import EVENT_COLUMNS, events_from_table
from mittari.services.demo_data import (
    DEMO_CUSTOMERS,
    TICKET_FIELDS,
    DemoYear,
    Window,
    generate,
    generate_year,
)
from mittari.services.demo_subjects import RECURRING_FAULT, SUBJECTS
from mittari.spec.load import load_contract

Year = tuple[pa.Table, pa.Table]
CONTRACTS = Path(__file__).parents[2] / "src/mittari/services/demo_contracts"
END = datetime(2026, 11, 24, 3, tzinfo=UTC)
HOUR = 3_600_000_000


@pytest.fixture(scope="module")
def year() -> Year:
    return generate_year(seed=11)


@pytest.fixture(scope="module")
def log(year: Year) -> EventLog:
    return events_from_table(year[0], strict=True).log  # strict: every row is canonical


@pytest.fixture(scope="module")
def window() -> DemoYear:
    return generate(3, Window.months_to(END))


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


def test_a_year_of_five_customers_is_generated_in_about_a_second(year: Year) -> None:
    started = time.process_time()  # CPU time: the machine may be busy with other work
    generate_year(seed=5)
    assert time.process_time() - started < 2.0


def test_columns_are_the_canonical_format(year: Year) -> None:
    events, tickets = year
    assert events.column_names == list(EVENT_COLUMNS)
    assert events.schema.field("ts").type == pa.timestamp("us", tz="UTC")
    assert tickets.column_names == list(TICKET_FIELDS)
    assert events.column("ts").null_count == 0


def test_five_customers_four_finnish_one_swedish_one_round_the_clock() -> None:
    assert len(DEMO_CUSTOMERS) == 5
    assert sorted(c.country for c in DEMO_CUSTOMERS) == ["FI", "FI", "FI", "FI", "SE"]
    swedish = next(c for c in DEMO_CUSTOMERS if c.country == "SE")
    assert swedish.timezone == "Europe/Stockholm" and swedish.language == "sv"
    assert all(s in SUBJECTS for c in DEMO_CUSTOMERS for s in c.services)
    assert "E-post" in swedish.services  # its services carry Swedish names
    assert sorted(c.round_the_clock for c in DEMO_CUSTOMERS) == [1, 1, 1, 2, 4]


def test_the_generator_knows_each_contracts_targets_and_hours() -> None:
    """Hidden breaches are placed on the share of the target used: the generator's targets
    and office hours must be the contract's (of its latest version)."""
    for c in DEMO_CUSTOMERS:
        latest = load_contract(CONTRACTS / f"{c.slug}.yaml")[-1]
        assert latest.timezone == c.timezone
        resolution = next(m for m in latest.metrics if m.name == "resolution")
        hours = tuple(resolution.targets[p].seconds // 3600 for p in (1, 2, 3, 4))
        assert hours == c.resolution_h, c.slug
        always = [resolution.targets[p].calendar == "always" for p in (1, 2, 3, 4)]
        assert always == [p <= c.round_the_clock for p in (1, 2, 3, 4)], c.slug
        weeks = [latest.calendars[t.calendar].weekly for t in resolution.targets.values()]
        office = {week[0] if week else () for week in weeks}
        opens, closes = c.hours[0] * 60, c.hours[1] * 60
        assert office <= {((opens, closes),), ()}, c.slug  # Monday's hours, or 24x7


def test_sizes_are_those_of_a_real_msp(year: Year) -> None:
    events, tickets = year
    per_customer = pc.value_counts(tickets.column("customer")).to_pylist()
    assert {c["values"] for c in per_customer} == {c.slug for c in DEMO_CUSTOMERS}
    assert all(2_500 <= c["counts"] <= 8_000 for c in per_customer)
    assert 21_000 <= tickets.num_rows <= 27_000
    assert 180_000 <= events.num_rows <= 270_000


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
    assert 0.04 < (reopened > 0).mean() < 0.10
    assert (reopened > 1).sum() > 50
    assert 0.01 < cancelled.mean() < 0.03
    statuses = log.value[log.kind == Kind.STATUS]
    assert (statuses == Status.PENDING_CUSTOMER).sum() > 0.2 * log.n_tickets
    assert (statuses == Status.PENDING_VENDOR).sum() > 0.02 * log.n_tickets


def test_a_wait_for_the_customer_follows_an_agents_question(year: Year, log: EventLog) -> None:
    """Outside the team that hides its breaches, every pause comes right after an agent's
    reply: the integrity flag for a pause nobody asked for must have nothing to find."""
    teams = dict(zip(year[1]["ticket_id"].to_pylist(), year[1]["team"].to_pylist(), strict=True))
    pauses = np.flatnonzero((log.kind == Kind.STATUS) & (log.value == Status.PENDING_CUSTOMER))
    public = (log.kind == Kind.REPLY) & np.isin(log.actor, [Actor.AGENT, Actor.CUSTOMER])
    asked = 0
    for i in pauses:  # test code: one pause at a time
        if teams[log.ticket_ids[log.ticket[i]]] == "Field Support":
            continue
        before = np.flatnonzero(public[:i] & (log.ticket[:i] == log.ticket[i]))
        assert len(before), log.ticket_ids[log.ticket[i]]
        asked += log.actor[before[-1]] == Actor.AGENT
    assert asked == sum(teams[log.ticket_ids[log.ticket[i]]] != "Field Support" for i in pauses)


def test_auto_acknowledgements_come_from_the_system_right_after_creation(log: EventLog) -> None:
    system = (log.kind == Kind.REPLY) & (log.actor == Actor.SYSTEM)
    first = _first(log, system)
    has = first >= 0
    assert 0.2 < has.mean() < 0.6
    created = log.ts[_first(log, log.kind == Kind.CREATED)]
    assert (log.ts[first[has]] - created[has] <= 60_000_000).all()


def test_lowered_priorities_are_the_gaming_teams(year: Year, log: EventLog) -> None:
    priority_rows = np.flatnonzero(log.kind == Kind.PRIORITY)
    later = priority_rows[log.kind[priority_rows - 1] != Kind.CREATED]
    lowered = later[np.isin(log.value[later], [3, 4])]  # a raise goes to P2
    teams = year[1].column("team").to_pylist()
    by_team = pc.value_counts(pa.array([teams[log.ticket[i]] for i in lowered])).to_pylist()
    counts = {r["values"]: r["counts"] for r in by_team}
    assert counts["Field Support"] > 30
    assert counts["Field Support"] > 2 * sum(n for t, n in counts.items() if t != "Field Support")
    assign_counts = np.bincount(log.ticket[log.kind == Kind.ASSIGN], minlength=log.n_tickets)
    assert (assign_counts > 1).mean() > 0.03
    assert set(log.strings) >= {"Service Desk", "Network", "Workplace", "Applications"}


def test_the_recurring_fault_comes_back_and_more_often_lately(window: DemoYear) -> None:
    part = next(p for p in window.parts if p.customer.recurring)
    tickets = part.tickets
    mine = pc.is_in(tickets.column("subject"), value_set=pa.array(RECURRING_FAULT))
    created = part.facts["created"][np.asarray(mine)]
    months = created.astype("datetime64[us]").astype("datetime64[M]")
    assert len(np.unique(months)) >= 11  # about every month of the year
    end = window.window.end_local_us(part.customer.timezone)
    day = 86_400_000_000
    recent = (created > end - 90 * day).sum()
    before = ((created > end - 180 * day) & (created <= end - 90 * day)).sum()
    assert recent > 2 * before
    long = [o for o in part.plan.occurrences if o.long]
    assert len(long) == 1 and long[0].minutes > 9 * 60
    assert part.plan.credit_month == "2026-08"  # three months before November
    other = [p for p in window.parts if not p.customer.recurring]
    assert all(p.plan.occurrences == [] for p in other)


def test_open_tickets_near_their_deadline_at_the_end(window: DemoYear) -> None:
    """The at-risk feed has countdowns: P1s (and 24x7 P2s) open at the end, most of their
    target used, nothing after the end."""
    for part in window.parts:
        c = part.customer
        end_utc = int(END.timestamp()) * 1_000_000
        ts = pc.cast(part.events.column("ts"), pa.int64()).to_numpy()
        assert ts.max() < end_utc
        still = part.facts["resolved_at"] == np.iinfo(np.int64).min
        urgent = still & (part.facts["priority"] <= min(c.round_the_clock, 2))
        age = window.window.end_local_us(c.timezone) - part.facts["created"][urgent]
        target = c.target_us(part.facts["priority"][urgent])
        near = (age > 0.5 * target) & (age < target)
        assert near.sum() >= 3, c.slug


def test_follow_ups_bring_the_same_requester_back_on_the_same_service(
    window: DemoYear,
) -> None:
    part = next(p for p in window.parts if p.customer.slug == "kalliokone")
    subjects = part.tickets.column("subject").to_pylist()
    again = [i for i, s in enumerate(subjects) if s.startswith("Sama vika uudestaan: ")]
    assert len(again) > 100
    requesters = part.tickets.column("requester").to_pylist()
    services = part.tickets.column("service").to_pylist()
    created = part.facts["created"]
    for i in again[:50]:
        earlier = [
            j
            for j in range(i)
            if requesters[j] == requesters[i] and services[j] == services[i]
            and subjects[i].endswith(subjects[j]) and created[i] - created[j] <= 7 * 86_400e6
        ]  # fmt: skip
        assert earlier, subjects[i]


def test_customers_and_years_can_be_chosen() -> None:
    stockholm = replace(DEMO_CUSTOMERS[2], tickets=300)
    events, tickets = generate_year(seed=1, year=2024, customers=[stockholm])
    assert set(tickets.column("customer").to_pylist()) == {"saaristo"}
    local = events.column("ts").cast(pa.timestamp("us", tz="Europe/Stockholm"))
    assert pc.min(local).as_py().year == 2024 and pc.max(local).as_py().year == 2024
    assert len(events_from_table(events, strict=True).log) == events.num_rows


def test_customers_need_distinct_ticket_id_prefixes_and_a_window() -> None:
    twin = replace(DEMO_CUSTOMERS[0], slug="kallio", tickets=10)
    with pytest.raises(ValueError, match="distinct ticket id prefixes"):
        generate_year(seed=1, customers=[DEMO_CUSTOMERS[0], twin])
    events, _ = generate_year(seed=1, customers=[replace(twin, prefix="KLO")])
    assert events.column("ticket_id")[0].as_py().startswith("KLO-")
    with pytest.raises(ValueError, match="ends"):
        generate(1, Window(date(2026, 3, 1), datetime(2026, 2, 1, tzinfo=UTC)))


def test_a_window_ends_at_an_instant_and_starts_on_a_month() -> None:
    found = Window.months_to(datetime(2026, 1, 15, 9, 30, tzinfo=UTC))
    assert found.start == date(2025, 1, 1)
    assert found.end_local_us("Europe/Helsinki") - found.end_local_us("UTC") == 2 * HOUR
