"""Comments of event webhooks (`ticket.comment_added`): reply or note, who wrote it, and the
description that is part of `created`."""

from __future__ import annotations

from typing import Any

import pytest

from mittari.importers.zendesk import events_from_event_webhook
from mittari.importers.zendesk.tests.webhook_bodies import (
    AT,
    CREATED_AT,
    DESCRIPTION,
    body,
    comment,
    rows,
    run,
)


@pytest.mark.parametrize(
    ("author", "extra", "actor"),
    [
        ({"id": "1001", "is_staff": False, "name": "Requester"}, {}, "customer"),
        ({"id": 1001, "is_staff": True}, {}, "customer"),  # the requester, though staff
        ({"id": "1009", "is_staff": False}, {}, "customer"),  # an end-user in CC
        ({"id": "2002", "is_staff": True, "name": "Agent"}, {}, "agent"),
        ({"id": "2009"}, {}, "agent"),  # not the requester, staff unknown
        (None, {}, "agent"),
        ({"id": "-1", "is_staff": True, "name": "Zendesk"}, {}, "system"),
        ({"id": -1}, {}, "system"),
        ({"id": "2002", "is_staff": True}, {"via": {"channel": "rule"}}, "system"),
    ],
)
def test_comment_actors(author: dict[str, Any] | None, extra: dict[str, Any], actor: str) -> None:
    extract = run(body("comment_added", comment(author, **extra)))
    assert rows(extract) == [(AT, "reply", None, actor, None)]


def test_a_private_comment_is_a_note() -> None:
    staff = run(body("comment_added", comment({"id": "2002", "is_staff": True}, public=False)))
    requester = run(body("comment_added", comment({"id": "1001"}, public=False)))
    assert rows(staff) + rows(requester) == [
        (AT, "note", None, "agent", None),
        (AT, "note", None, "customer", None),
    ]


@pytest.mark.parametrize(
    ("time", "updated_at"),
    [
        ("2025-04-17T17:18:10.498765432Z", CREATED_AT),
        ("2025-04-17T17:18:11.020000000Z", CREATED_AT),  # delivered a second later
        ("2025-04-17T17:18:10.900000000Z", "2025-04-17T17:18:12Z"),  # a trigger updated it
    ],
)
def test_the_first_comment_is_the_description_part_of_created(time: str, updated_at: str) -> None:
    agent = {"id": "2002", "is_staff": True}  # an agent's ticket for a caller
    extract = run(body("comment_added", comment(agent), time=time, updated_at=updated_at))
    assert (rows(extract), extract.ignored) == ([], {DESCRIPTION: 1})


def test_comment_problems() -> None:
    bad = events_from_event_webhook(body("comment_added", comment({"id": "1001"}, "yes")))
    none = events_from_event_webhook(body("comment_added", {}))
    assert [(p.field, p.value, p.message) for p in bad.problems + none.problems] == [
        ("event.comment.is_public", "yes", "expected true or false"),
        ("event.comment", None, "no comment; its event is skipped"),
    ]
    assert bad.events.num_rows == none.events.num_rows == 0
