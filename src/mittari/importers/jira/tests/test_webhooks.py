"""`events_from_webhook`: one body at a time, as live ingestion will call it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from mittari.errors import Problem
from mittari.importers.jira import events_from_webhook, load_rules, read
from mittari.importers.jira.tests import SAMPLES, rows


def _body(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return body


def test_issue_created() -> None:
    extract = events_from_webhook(_body("test__webhook__issue_created.json"))
    assert [(r[2], r[3], r[6]) for r in rows(extract)] == [
        ("created", None, "TEST-4 fields.created"),
        ("status", "new", "TEST-4 fields.status"),
        ("priority", "P3", "TEST-4 fields.priority"),
    ]
    assert set(extract.events.column("file").to_pylist()) == {"<webhook>"}
    assert (extract.source, extract.n_read, extract.problems) == ("jira", 1, [])


def test_issue_updated() -> None:
    body = _body("test__webhook__issue_updated_status_updated.json")
    extract = events_from_webhook(body, file="hook-7")
    assert rows(extract) == [
        ("TEST-11", "2016-01-14T23:06:37.049Z", "status", "resolved", None, "Done",
         "TEST-11 changelog 10202 item 1"),
    ]  # fmt: skip
    assert extract.events.column("file").to_pylist() == ["hook-7"]


def test_comment_created() -> None:
    extract = events_from_webhook(_body("test__webhook__cloud_comment_added.json"))
    assert rows(extract) == [
        ("TEST-24", "2018-04-20T06:24:52.300Z", "reply", None, "agent", None,
         "TEST-24 comment 10021"),
    ]  # fmt: skip


def test_a_replayed_body_gives_identical_events(tmp_path: Path) -> None:
    body = _body("test__webhook__issue_updated_fields_updated.json")
    rules = load_rules()  # loaded once, as a live receiver would
    first = events_from_webhook(body, mapping=rules)
    again = events_from_webhook(copy.deepcopy(body), mapping=rules)
    assert first.events.equals(again.events)
    assert first.tickets.equals(again.tickets)
    replays = tmp_path / "hooks.jsonl"
    replays.write_text(json.dumps(body) + "\n" + json.dumps(body) + "\n", encoding="utf-8")
    both = read(replays)  # in one input, the same event is taken once
    assert rows(both) == rows(first)
    assert (both.events.column("line").to_pylist(), both.n_read) == ([1], 2)
    assert both.tickets.column("ignored_changes").to_pylist() == ["3"]  # not 6


def test_the_changelog_created_is_preferred_to_the_body_timestamp() -> None:
    body = _body("test__webhook__issue_updated_status_updated.json")
    body["changelog"]["created"] = "2016-01-15T01:06:37.000+0200"
    assert rows(events_from_webhook(body))[0][1] == "2016-01-14T23:06:37.000Z"


def test_an_update_without_a_time_is_a_problem() -> None:
    body = _body("test__webhook__issue_updated_status_updated.json")
    del body["timestamp"]
    extract = events_from_webhook(body)
    assert rows(extract) == []
    message = "TEST-11 changelog 10202: no timestamp; expected e.g. 2017-07-06T16:58:09.000+0300"
    assert extract.problems == [Problem("<webhook>", None, "timestamp", None, message)]


def test_a_new_status_is_mapped_by_the_category_the_body_carries() -> None:
    body = _body("test__webhook__issue_updated_status_updated.json")
    item = body["changelog"]["items"][1]
    item["to"], item["toString"] = "10999", "QA Review"
    body["issue"]["fields"]["status"].update(
        {"id": "10999", "name": "QA Review", "statusCategory": {"key": "indeterminate"}}
    )
    assert [(r[3], r[5]) for r in rows(events_from_webhook(body))] == [("open", "QA Review")]


def test_other_webhook_events_give_nothing() -> None:
    body = _body("test__webhook__issue_created.json")
    body["webhookEvent"] = "jira:issue_deleted"
    extract = events_from_webhook(body)
    assert (rows(extract), extract.problems, extract.n_read) == ([], [], 1)
    assert extract.tickets.num_rows == 0


def test_a_webhook_issue_without_a_key_is_a_problem() -> None:
    body = _body("test__webhook__issue_created.json")
    del body["issue"]["key"]
    extract = events_from_webhook(body)
    assert rows(extract) == []
    message = "an issue without a key is skipped"
    assert extract.problems == [Problem("<webhook>", None, "key", None, message)]
