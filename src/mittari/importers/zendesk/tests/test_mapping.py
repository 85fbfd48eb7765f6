"""A user's mapping file replaces the default; a bad one is an error with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mittari.errors import InputError
from mittari.importers.zendesk import DEFAULT_MAPPING, load_zendesk_mapping, read
from mittari.importers.zendesk.tests import EXPORT
from mittari.importers.zendesk.tests.conftest import events_of

CUSTOM = """\
statuses:
  new: new
  open: open
  pending: pending_customer
  hold: pending_vendor
  solved: resolved
  closed: closed
  deleted: cancelled
custom_statuses:
  Waiting on vendor: pending_vendor
priorities: {urgent: P1, high: P2, normal: P3, low: P5}
assign_fields: [group_id]
category_fields: [type, 360000111]
service: {source: custom_field, field_id: 360000111}
customer_from: none
system_user_ids: [-1, 8002]
system_channels: [rule, system]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_mapping_loads() -> None:
    mapping = load_zendesk_mapping()
    assert mapping == load_zendesk_mapping(DEFAULT_MAPPING)
    assert mapping.statuses["hold"] == "on_hold"
    assert mapping.custom_statuses == {}


def test_a_custom_mapping_file(tmp_path: Path) -> None:
    extract = read(EXPORT, mapping=write(tmp_path, CUSTOM))
    assert extract.problems == []
    events = events_of(extract)
    assert [e for e in events if e[0] == "104"] == [
        ("104", "2025-03-12T09:00:00Z", "created", None, None),
        ("104", "2025-03-12T09:00:00Z", "status", "new", None),
        ("104", "2025-03-12T09:00:00Z", "priority", "P3", None),
        ("104", "2025-03-12T09:00:00Z", "category", "incident", None),
        ("104", "2025-03-12T09:00:00Z", "assign", "Field Service", None),  # no agents
        ("104", "2025-03-12T09:00:00Z", "category", "printing", None),
        ("104", "2025-03-12T10:00:00Z", "reply", None, "agent"),
        ("104", "2025-03-12T10:00:00Z", "status", "pending_vendor", None),  # by label
        ("104", "2025-03-14T12:00:00Z", "status", "open", None),
        ("104", "2025-03-14T12:30:00Z", "category", "hardware", None),
        ("104", "2025-03-14T12:30:00Z", "priority", "P5", None),
    ]
    on_hold_102 = [e for e in events if e[0] == "102" and e[2] == "status"][1]
    assert on_hold_102 == ("102", "2025-03-05T22:25:00Z", "status", "pending_vendor", None)
    by_8002 = [e for e in events if e[0] == "102" and e[2] == "note"]
    assert by_8002 == [("102", "2025-03-05T22:25:00Z", "note", None, "system")]
    service = dict(
        zip(*extract.tickets.select(["ticket_id", "service"]).to_pydict().values(), strict=True)
    )
    assert (service["104"], service["101"]) == ("hardware", None)
    assert set(extract.tickets.column("customer").to_pylist()) == {None}


def test_a_custom_status_named_by_label_keeps_its_label_as_raw_value(tmp_path: Path) -> None:
    events = read(EXPORT, mapping=write(tmp_path, CUSTOM)).events.to_pylist()
    vendor = [e for e in events if e["value"] == "pending_vendor" and e["ticket_id"] == "104"]
    assert [(e["raw_value"], e["ref"]) for e in vendor] == [
        ("Waiting on vendor", "audits[1].events[2]")
    ]


@pytest.mark.parametrize(
    ("change", "line", "field", "value"),
    [
        (("  hold: pending_vendor", "  hold: paused"), 5, "statuses.hold", "paused"),
        (("low: P5}", "low: P9}"), 11, "priorities.low", "P9"),
        (("assign_fields: [group_id]", "assign_fields: [team]"), 12, "assign_fields.0", "team"),
        (("field_id: 360000111}", "field_id: null}"), 14, "service", None),
        (("customer_from: none", "customer_from: org"), 15, "customer_from", "org"),
        (("system_channels", "system_channel"), 17, "system_channel", None),  # unknown key
        (("system_channels", "system_channel"), 1, "system_channels", None),  # missing one
    ],
)
def test_a_bad_mapping_file_names_line_field_and_value(
    tmp_path: Path, change: tuple[str, str], line: int, field: str, value: object
) -> None:
    path = write(tmp_path, CUSTOM.replace(*change))
    with pytest.raises(InputError) as raised:
        read(EXPORT, mapping=path)
    found = {p.field: p for p in raised.value.problems}
    assert (found[field].file, found[field].line) == (str(path), line)
    if value is not None:
        assert found[field].value == value


def test_a_mapping_that_is_not_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "statuses: [open\n")
    with pytest.raises(InputError) as raised:
        load_zendesk_mapping(path)
    assert raised.value.problems[0].line is not None
