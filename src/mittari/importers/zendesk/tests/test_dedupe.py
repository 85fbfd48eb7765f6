"""Pages that overlap (incremental exports repeat what changed) give each event once."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from mittari.importers.zendesk import read
from mittari.importers.zendesk.tests import EXPORT
from mittari.importers.zendesk.tests.conftest import audit, change, comment, create, events_of


def test_a_repeated_audits_page_adds_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "export"
    shutil.copytree(EXPORT, copy)
    shutil.copy(copy / "audits-102.json", copy / "audits-102-again.json")
    shutil.copy(copy / "tickets-0002.json", copy / "tickets-0003.json")
    once, twice = read(EXPORT), read(copy)
    assert events_of(twice) == events_of(once)
    assert twice.tickets.to_pylist() == once.tickets.to_pylist()
    assert twice.problems == []
    assert twice.n_read == once.n_read + 7 + 4  # records read, duplicates included


def test_overlapping_pages_share_one_audit(export: Callable[..., Path]) -> None:
    first = [
        audit(
            1,
            7,
            "2025-03-03T08:00:00Z",
            9001,
            comment(11, 9001),
            create(12, "status", "new"),
            create(13, "requester_id", "9001"),
        ),
        audit(
            2, 7, "2025-03-03T09:00:00Z", 8001, comment(21, 8001), change(22, "status", "pending")
        ),
    ]
    second = [first[1], audit(3, 7, "2025-03-03T10:00:00Z", 9001, comment(31, 9001))]
    extract = read(export(p1={"audits": first}, p2={"audits": second}))
    assert [row[2:] for row in events_of(extract)] == [
        ("created", None, None),
        ("status", "new", None),
        ("reply", None, "agent"),
        ("status", "pending_customer", None),
        ("reply", None, "customer"),
    ]


def test_events_are_told_apart_by_audit_and_event_id(export: Callable[..., Path]) -> None:
    one = audit(1, 7, "2025-03-03T08:00:00Z", 8001, comment(11, 8001))
    same_event_id_other_audit = audit(2, 7, "2025-03-03T09:00:00Z", 8001, comment(11, 8001))
    same_audit_more_events = audit(
        1, 7, "2025-03-03T08:00:00Z", 8001, comment(11, 8001), comment(12, 8001, public=False)
    )
    extract = read(
        export(
            a={"audits": [one, same_event_id_other_audit]}, b={"audits": [same_audit_more_events]}
        )
    )
    assert [row[1:3] for row in events_of(extract)] == [
        ("2025-03-03T08:00:00Z", "reply"),
        ("2025-03-03T08:00:00Z", "note"),
        ("2025-03-03T09:00:00Z", "reply"),
    ]


def test_a_longer_copy_of_the_creating_audit_adds_only_its_new_events(
    export: Callable[..., Path],
) -> None:
    events = [comment(11, 9001), create(12, "status", "new"), create(13, "requester_id", "9001")]
    short = audit(1, 7, "2025-03-03T08:00:00Z", 9001, *events)
    longer = audit(1, 7, "2025-03-03T08:00:00Z", 9001, *events, comment(14, 9001))
    extract = read(export(a={"audits": [short]}, b={"audits": [longer]}))
    assert [row[2:] for row in events_of(extract)] == [
        ("created", None, None),
        ("status", "new", None),
        ("reply", None, "customer"),  # not taken for the description: that was event 0
    ]
