"""The made-up JSM search result (samples/search_result.json), worked out by hand.

Times in the file are Helsinki winter time (+0200); the events are in UTC.
"""

from __future__ import annotations

from mittari.importers.canonical import events_from_table
from mittari.importers.jira import read
from mittari.importers.jira.tests import SAMPLES, rows, tickets

AGENT_A = "712020:0a1b2c3d-0000-4000-8000-00000000a001"
AGENT_B = "712020:0a1b2c3d-0000-4000-8000-00000000a002"

SD_1 = [  # paused for the customer, resumed by automation, resolved
    ("SD-1", "2025-03-03T07:00:00.000Z", "created", None, None, None, "SD-1 fields.created"),
    ("SD-1", "2025-03-03T07:00:00.000Z", "status", "open", None, "Waiting for support",
     "SD-1 changelog 10101 item 0 from"),
    ("SD-1", "2025-03-03T07:00:00.000Z", "priority", "P3", None, "Medium",
     "SD-1 fields.priority"),
    ("SD-1", "2025-03-03T07:05:00.000Z", "assign", AGENT_A, None, "Agent A",
     "SD-1 changelog 10100 item 0"),
    ("SD-1", "2025-03-03T07:20:00.000Z", "reply", None, "agent", None, "SD-1 comment 20100"),
    ("SD-1", "2025-03-03T07:20:30.000Z", "status", "pending_customer", None,
     "Waiting for customer", "SD-1 changelog 10101 item 0"),
    ("SD-1", "2025-03-03T09:00:00.000Z", "reply", None, "customer", None, "SD-1 comment 20101"),
    ("SD-1", "2025-03-03T09:00:01.000Z", "status", "open", None, "Waiting for support",
     "SD-1 changelog 10102 item 0"),
    ("SD-1", "2025-03-03T09:00:02.000Z", "reply", None, "system", None, "SD-1 comment 20102"),
    ("SD-1", "2025-03-03T11:30:00.000Z", "status", "resolved", None, "Resolved",
     "SD-1 changelog 10103 item 0"),
]  # fmt: skip
SD_2 = [  # priority lowered, reassigned, resolved, reopened by the customer, closed
    ("SD-2", "2025-03-04T08:15:00.000Z", "created", None, None, None, "SD-2 fields.created"),
    ("SD-2", "2025-03-04T08:15:00.000Z", "status", "open", None, "Waiting for support",
     "SD-2 changelog 10203 item 0 from"),
    ("SD-2", "2025-03-04T08:15:00.000Z", "priority", "P2", None, "High",
     "SD-2 changelog 10201 item 0 from"),
    ("SD-2", "2025-03-04T08:20:00.000Z", "assign", AGENT_A, None, "Agent A",
     "SD-2 changelog 10200 item 0"),
    ("SD-2", "2025-03-04T08:45:00.000Z", "priority", "P3", None, "Medium",
     "SD-2 changelog 10201 item 0"),
    ("SD-2", "2025-03-04T08:50:00.000Z", "reply", None, "agent", None, "SD-2 comment 20200"),
    ("SD-2", "2025-03-04T09:30:00.000Z", "assign", AGENT_B, None, "Agent B",
     "SD-2 changelog 10202 item 0"),
    ("SD-2", "2025-03-04T12:00:00.000Z", "status", "resolved", None, "Resolved",
     "SD-2 changelog 10203 item 0"),
    ("SD-2", "2025-03-05T06:10:00.000Z", "reply", None, "customer", None, "SD-2 comment 20201"),
    ("SD-2", "2025-03-05T06:10:05.000Z", "status", "open", None, "Waiting for support",
     "SD-2 changelog 10204 item 0"),
    ("SD-2", "2025-03-05T07:00:00.000Z", "status", "resolved", None, "Resolved",
     "SD-2 changelog 10205 item 0"),
    ("SD-2", "2025-03-07T07:00:00.000Z", "status", "closed", None, "Closed",
     "SD-2 changelog 10206 item 0"),
]  # fmt: skip
SD_3 = [  # "Investigating" is not in mapping.yaml: its category (indeterminate) maps it
    ("SD-3", "2025-03-05T11:00:00.000Z", "created", None, None, None, "SD-3 fields.created"),
    ("SD-3", "2025-03-05T11:00:00.000Z", "status", "open", None, "Waiting for support",
     "SD-3 changelog 10301 item 0 from"),
    ("SD-3", "2025-03-05T11:00:00.000Z", "priority", "P2", None, "High",
     "SD-3 fields.priority"),
    ("SD-3", "2025-03-05T11:02:00.000Z", "assign", AGENT_B, None, "Agent B",
     "SD-3 changelog 10300 item 0"),
    ("SD-3", "2025-03-05T11:10:00.000Z", "status", "open", None, "Investigating",
     "SD-3 changelog 10301 item 0"),
    ("SD-3", "2025-03-05T11:15:00.000Z", "note", None, "agent", None, "SD-3 comment 20300"),
    # item 0 removes the component Email (counted, not an event), item 1 adds Network
    ("SD-3", "2025-03-05T11:40:00.000Z", "category", "Network", None, "Network",
     "SD-3 changelog 10302 item 1"),
    ("SD-3", "2025-03-05T11:45:00.000Z", "reply", None, "agent", None, "SD-3 comment 20301"),
]  # fmt: skip
SD_4 = [  # cancelled by the customer, never assigned
    ("SD-4", "2025-03-06T06:30:00.000Z", "created", None, None, None, "SD-4 fields.created"),
    ("SD-4", "2025-03-06T06:30:00.000Z", "status", "open", None, "Waiting for support",
     "SD-4 changelog 10400 item 0 from"),
    ("SD-4", "2025-03-06T06:30:00.000Z", "priority", "P4", None, "Low", "SD-4 fields.priority"),
    ("SD-4", "2025-03-06T06:40:00.000Z", "reply", None, "customer", None, "SD-4 comment 20400"),
    ("SD-4", "2025-03-06T06:41:00.000Z", "status", "cancelled", None, "Canceled",
     "SD-4 changelog 10400 item 0"),
]  # fmt: skip
SD_5 = [  # raised to Highest by automation, auto-acknowledged, waiting for a vendor
    ("SD-5", "2025-03-07T05:55:00.000Z", "created", None, None, None, "SD-5 fields.created"),
    ("SD-5", "2025-03-07T05:55:00.000Z", "status", "open", None, "Waiting for support",
     "SD-5 changelog 10501 item 0 from"),
    ("SD-5", "2025-03-07T05:55:00.000Z", "priority", "P2", None, "High",
     "SD-5 changelog 10500 item 0 from"),
    # two items of one history keep their order; the comment of the same instant follows
    ("SD-5", "2025-03-07T05:56:00.000Z", "priority", "P1", None, "Highest",
     "SD-5 changelog 10500 item 0"),
    ("SD-5", "2025-03-07T05:56:00.000Z", "assign", AGENT_A, None, "Agent A",
     "SD-5 changelog 10500 item 1"),
    ("SD-5", "2025-03-07T05:56:00.000Z", "reply", None, "system", None, "SD-5 comment 20500"),
    ("SD-5", "2025-03-07T06:05:00.000Z", "status", "pending_vendor", None, "Pending",
     "SD-5 changelog 10501 item 0"),
    ("SD-5", "2025-03-07T06:06:00.000Z", "note", None, "agent", None, "SD-5 comment 20501"),
    ("SD-5", "2025-03-07T06:07:00.000Z", "reply", None, "agent", None, "SD-5 comment 20502"),
]  # fmt: skip


def test_every_event_of_the_search_result() -> None:
    extract = read(SAMPLES / "search_result.json")
    assert rows(extract) == SD_1 + SD_2 + SD_3 + SD_4 + SD_5
    assert (extract.source, extract.n_read, extract.problems) == ("jira", 5, [])
    assert extract.feedback is None


def test_events_name_their_file() -> None:
    extract = read(SAMPLES / "search_result.json")
    files = set(extract.events.column("file").to_pylist())
    assert files == {str(SAMPLES / "search_result.json")}
    assert set(extract.events.column("line").to_pylist()) == {None}


def test_the_tickets_of_the_search_result() -> None:
    found = tickets(read(SAMPLES / "search_result.json"))
    assert found["SD-1"] == {
        "ticket_id": "SD-1",
        "customer": None,
        "service": "VPN",
        "type": "IT Help",
        "requester": "qm:00000000-0000-4000-8000-0000000c0001",
        "subject": "VPN does not connect",
        "project": "SD",
        "labels": "remote-work",
        "ignored_changes": "1",  # the resolution
    }
    assert {k: (t["service"], t["type"], t["ignored_changes"]) for k, t in found.items()} == {
        "SD-1": ("VPN", "IT Help", "1"),
        "SD-2": ("Hardware", "IT Help", "3"),  # three resolution changes
        "SD-3": ("Network", "Incident", "1"),  # the removed component
        "SD-4": (None, "Service Request", "1"),
        "SD-5": ("Payroll", "Incident", "2"),  # the description and a custom field
    }


def test_the_events_read_clean_as_a_canonical_log() -> None:
    extract = read(SAMPLES / "search_result.json")
    table = extract.events.select(["ticket_id", "ts", "kind", "value", "actor"])
    result = events_from_table(table, strict=True)
    assert (result.problems, result.n_kept) == ([], len(extract.events))
    assert result.log.ticket_ids == ("SD-1", "SD-2", "SD-3", "SD-4", "SD-5")
