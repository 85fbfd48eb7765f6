"""Every sample's events pass the canonical reader cleanly: the importer's output contract."""

from __future__ import annotations

import pytest

from mittari.engine.types import Kind, Status
from mittari.importers.canonical import events_from_table
from mittari.importers.servicenow import read
from mittari.importers.servicenow.tests import SAMPLES


@pytest.mark.parametrize(
    ("name", "timezone", "n_tickets", "n_events"),
    [
        ("incidents.json", None, 6, 28),
        ("incidents_display_all.json", None, 3, 16),
        ("incident_history.csv", "Europe/Helsinki", 6, 50),
        ("incident_history_errors.csv", "Europe/Helsinki", 2, 15),
    ],
)
def test_the_canonical_reader_takes_every_event(
    name: str, timezone: str | None, n_tickets: int, n_events: int
) -> None:
    extract = read(SAMPLES / name, timezone=timezone)
    columns = ["ticket_id", "ts", "kind", "value", "actor"]
    result = events_from_table(extract.events.select(columns), file=name, strict=True)
    assert result.problems == []
    assert (result.n_read, result.n_kept) == (n_events, n_events)
    assert len(result.log.ticket_ids) == n_tickets == extract.tickets.num_rows
    assert set(result.log.ticket_ids) == set(extract.tickets.column("ticket_id").to_pylist())


def test_the_paused_and_resumed_incident_reads_as_such() -> None:
    extract = read(SAMPLES / "incident_history.csv", timezone="Europe/Helsinki")
    log = events_from_table(
        extract.events.select(["ticket_id", "ts", "kind", "value", "actor"])
    ).log
    first = log.ticket == 0
    statuses = log.value[first & (log.kind == Kind.STATUS)].tolist()
    assert statuses == [
        Status.NEW,
        Status.OPEN,
        Status.PENDING_CUSTOMER,
        Status.OPEN,
        Status.RESOLVED,
        Status.CLOSED,
    ]
