"""Real Jira payloads (samples/README.md names their sources), worked out by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

from mittari.errors import Problem
from mittari.importers.jira import read
from mittari.importers.jira.tests import SAMPLES, rows, tickets


def test_a_rest_issue_without_changelog_starts_with_its_current_values() -> None:
    extract = read(SAMPLES / "test__rest-sample__issue_with_customfield.json")
    assert rows(extract) == [
        ("TEST-136", "2015-12-26T12:00:38.891Z", "created", None, None, None,
         "TEST-136 fields.created"),
        ("TEST-136", "2015-12-26T12:00:38.891Z", "status", "new", None, "To Do",
         "TEST-136 fields.status"),
        ("TEST-136", "2015-12-26T12:00:38.891Z", "priority", "P3", None, "Medium",
         "TEST-136 fields.priority"),
    ]  # fmt: skip
    assert tickets(extract)["TEST-136"] == {
        "ticket_id": "TEST-136",
        "customer": None,
        "service": None,  # no components
        "type": "Task",
        "requester": "admin",
        "subject": "summary content",
        "project": "TEST",
        "labels": "testlabel",
        "ignored_changes": "0",
    }
    assert (extract.n_read, extract.problems) == (1, [])


def test_the_issue_created_webhook() -> None:
    extract = read(SAMPLES / "test__webhook__issue_created.json")
    assert rows(extract) == [
        ("TEST-4", "2015-12-20T18:25:09.582Z", "created", None, None, None,
         "TEST-4 fields.created"),
        ("TEST-4", "2015-12-20T18:25:09.582Z", "status", "new", None, "To Do",
         "TEST-4 fields.status"),
        ("TEST-4", "2015-12-20T18:25:09.582Z", "priority", "P3", None, "Medium",
         "TEST-4 fields.priority"),
    ]  # fmt: skip


def test_an_update_webhook_takes_its_changelog_at_the_body_timestamp() -> None:
    # timestamp 1452812797049 ms; items: resolution (counted), status To Do -> Done
    extract = read(SAMPLES / "test__webhook__issue_updated_status_updated.json")
    assert rows(extract) == [
        ("TEST-11", "2016-01-14T23:06:37.049Z", "status", "resolved", None, "Done",
         "TEST-11 changelog 10202 item 1"),
    ]  # fmt: skip
    assert tickets(extract)["TEST-11"]["ignored_changes"] == "1"


def test_an_update_webhook_of_several_fields_keeps_only_the_priority() -> None:
    # summary, description, priority Major -> Blocker, resolution
    extract = read(SAMPLES / "test__webhook__issue_updated_fields_updated.json")
    assert rows(extract) == [
        ("TEST-11", "2016-01-14T23:01:40.356Z", "priority", "P1", None, "Blocker",
         "TEST-11 changelog 10201 item 2"),
    ]  # fmt: skip
    assert tickets(extract)["TEST-11"]["ignored_changes"] == "3"


def test_a_custom_field_update_gives_no_event_but_is_counted() -> None:
    extract = read(SAMPLES / "integrationTest__integration__updateCustomField.json")
    assert (rows(extract), extract.problems, extract.n_read) == ([], [], 1)
    assert tickets(extract)["TEST-16"]["ignored_changes"] == "1"


def test_the_cloud_comment_created_webhook() -> None:
    # the author is an Atlassian account, and the body names no reporter: an agent
    extract = read(SAMPLES / "test__webhook__cloud_comment_added.json")
    assert rows(extract) == [
        ("TEST-24", "2018-04-20T06:24:52.300Z", "reply", None, "agent", None,
         "TEST-24 comment 10021"),
    ]  # fmt: skip


def test_a_server_update_webhook_with_a_comment_by_the_reporter() -> None:
    # Jira Server sends jira:issue_updated with `comment` and no changelog; admin reported
    extract = read(SAMPLES / "integrationTest__integration__addComment.json")
    assert rows(extract) == [
        ("TEST-1", "2016-12-08T07:51:55.204Z", "reply", None, "customer", None,
         "TEST-1 comment 10000"),
    ]  # fmt: skip


def test_a_v3_issue_without_created_is_a_problem_and_its_restricted_comment_a_note() -> None:
    extract = read(SAMPLES / "jira__get-issue.json")
    assert rows(extract) == [
        ("ED-1", "2021-02-24T06:43:46.031Z", "note", None, "agent", None, "ED-1 comment 10000"),
    ]  # fmt: skip
    file = str(SAMPLES / "jira__get-issue.json")
    message = "ED-1 fields.created: no timestamp; expected e.g. 2017-07-06T16:58:09.000+0300"
    assert extract.problems == [Problem(file, None, "created", None, message)]


def test_a_status_list_gives_no_events() -> None:
    extract = read(SAMPLES / "all_statuses.json")
    assert (rows(extract), extract.problems, extract.n_read) == ([], [], 0)


def test_csat_feedback_needs_the_request_key_in_its_file_name(tmp_path: Path) -> None:
    anonymous = read(SAMPLES / "sm__get-customer-feedback.json")
    assert anonymous.feedback is None
    assert [(p.field, p.value) for p in anonymous.problems] == [("feedback", None)]
    named = tmp_path / "SD-4.feedback.json"
    shutil.copy(SAMPLES / "sm__get-customer-feedback.json", named)
    extract = read(named)
    assert extract.problems == []
    assert extract.feedback is not None
    assert extract.feedback.to_pylist() == [
        {
            "ticket_id": "SD-4",
            "ts": None,
            "rating": 4,
            "scale": "1-5",
            "comment": "Great work!",
            "source": "jira",
        }
    ]
