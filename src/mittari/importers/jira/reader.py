"""`read`: Jira files to an `Extract`; `events_from_webhook`: one webhook body."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mittari.importers.extract import Extract
from mittari.importers.jira.collector import Collector, Place
from mittari.importers.jira.documents import SHAPES, Document, load_documents, shape
from mittari.importers.jira.feedback import key_in_file_name
from mittari.importers.jira.issues import add_issue
from mittari.importers.jira.rules import JiraRules, load_rules
from mittari.importers.jira.statuses import StatusCategories
from mittari.importers.jira.values import Json, obj, text
from mittari.importers.jira.webhooks import add_webhook
from mittari.importers.mapping import check_zone


def read(
    path: str | Path,
    *,
    mapping: str | Path | JiraRules | None = None,
    timezone: str | None = None,
) -> Extract:
    """Read Jira JSON (see README.md): a file or a directory of files, each document
    recognised by its shape. `mapping` replaces the default `mapping.yaml`; `timezone`
    (IANA) is the zone of timestamps written without an offset."""
    check_zone(str(path), timezone)
    rules = load_rules(mapping)
    documents, problems = load_documents(Path(path))
    c = Collector(rules, timezone, _categories(documents))
    c.problems.extend(problems)
    for document in documents:
        _add(c, document)
    return c.extract()


def events_from_webhook(
    body: Json, *, mapping: str | Path | JiraRules | None = None, file: str = "<webhook>"
) -> Extract:
    """One webhook body, mapped as `read` maps it (for live ingestion)."""
    document = Document(file, None, body)
    c = Collector(load_rules(mapping), None, _categories([document]))
    _add(c, document)
    return c.extract()


def _categories(documents: Sequence[Document]) -> StatusCategories:
    """Status categories from every status the input shows, before any is needed."""
    categories = StatusCategories()
    for document in documents:
        data, kind = obj(document.data), shape(document.data)
        if kind == "status":
            categories.learn(data)
        issues = data.get("issues") if kind == "search" else [data.get("issue", data)]
        for issue in issues if isinstance(issues, list) else []:
            categories.learn(obj(obj(issue).get("fields")).get("status"))
    return categories


def _add(c: Collector, document: Document) -> None:
    place = Place(document.file, document.line)
    data, kind = obj(document.data), shape(document.data)
    if kind == "status":
        return
    if kind == "search":
        for issue in data["issues"]:
            c.n_read += 1
            add_issue(c, obj(issue), place)
        return
    c.n_read += 1
    if kind == "issue":
        add_issue(c, data, place)
    elif kind == "webhook":
        add_webhook(c, data, place)
    elif kind == "feedback":
        _add_feedback(c, data, place)
    else:
        c.problem(place, "document", None, f"not a Jira document; expected {SHAPES}")


def _add_feedback(c: Collector, data: Json, place: Place) -> None:
    key = text(data.get("issueKey")) or text(data.get("key")) or key_in_file_name(place.file)
    rating = data.get("rating")
    if key is None:
        message = "CSAT feedback without a request key; name the file after it (SD-12.json)"
        c.problem(place, "feedback", None, message)
    elif not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        c.problem(place, "rating", rating, f"{key}: a CSAT rating is a whole number 1..5")
    else:
        created = data.get("created")
        ts = None if created is None else c.instant(created, place, "created", f"{key} feedback")
        comment = text(obj(data.get("comment")).get("body"))
        c.feedback.add(key, ts, rating, comment)
