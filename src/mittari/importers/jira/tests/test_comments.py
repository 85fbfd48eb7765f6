"""Comments: public or internal, and who wrote them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mittari.importers.jira import read
from mittari.importers.jira.tests import issue, rows

REPORTER = {"accountId": "r-1", "displayName": "Reporter", "accountType": "atlassian"}
AGENT = {"accountId": "a-1", "displayName": "Agent", "accountType": "atlassian"}


def _comment_row(tmp_path: Path, comment: dict[str, object]) -> tuple[str, str | None]:
    """(kind, actor) of one comment on an issue reported by REPORTER."""
    comment = {"id": "7", "created": "2025-03-03T10:00:00.000+0200"} | comment
    document = issue("X-1", reporter=REPORTER, comment={"comments": [comment], "total": 1})
    path = tmp_path / "issue.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    extract = read(path)
    assert extract.problems == []
    (found,) = [r for r in rows(extract) if r[6] == "X-1 comment 7"]
    return found[2], found[4]


@pytest.mark.parametrize(
    ("comment", "kind"),
    [
        ({"jsdPublic": True}, "reply"),
        ({"jsdPublic": False}, "note"),
        ({}, "reply"),  # plain Jira: public
        ({"visibility": {"type": "role", "value": "Developers"}}, "note"),
        ({"jsdPublic": True, "visibility": {"type": "group", "value": "x"}}, "reply"),
        ({"properties": [{"key": "sd.public.comment", "value": {"internal": True}}]}, "note"),
        ({"properties": [{"key": "sd.public.comment", "value": {"internal": False}}]}, "reply"),
    ],
    ids=["jsd-public", "jsd-internal", "plain", "restricted", "jsd-wins", "prop-in", "prop-out"],
)
def test_public_or_internal(tmp_path: Path, comment: dict[str, object], kind: str) -> None:
    assert _comment_row(tmp_path, comment | {"author": AGENT}) == (kind, "agent")


@pytest.mark.parametrize(
    ("author", "actor"),
    [
        (AGENT, "agent"),
        (REPORTER, "customer"),
        ({"accountId": "c-9", "accountType": "customer"}, "customer"),
        ({"accountId": "b-1", "displayName": "Some app", "accountType": "app"}, "system"),
        ({"accountId": "b-2", "displayName": "AUTOMATION FOR JIRA"}, "system"),
        ({"name": "jira-service-management-widget", "key": "w"}, "agent"),
        (None, "customer"),  # no author: not someone of the service desk
    ],
    ids=["agent", "reporter", "jsm-customer", "app", "listed-name", "unlisted", "anonymous"],
)
def test_who_wrote_it(tmp_path: Path, author: object, actor: str) -> None:
    assert _comment_row(tmp_path, {"author": author}) == ("reply", actor)
