"""Input files to JSON documents, and the shape of each document.

A path is a JSON file (one document, or an array of documents), a JSON Lines file (one
document a line; `.jsonl`/`.ndjson`, or a `.json` file that is not one JSON value), or a
directory of such files, read in order of name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mittari.errors import InputError, Problem

SUFFIXES = (".json", ".jsonl", ".ndjson")
SHAPES = "a search result, an issue, a webhook body, a status list or CSAT feedback"


@dataclass(frozen=True)
class Document:
    file: str
    line: int | None  # the line of a JSON Lines document
    data: object


def load_documents(path: Path) -> tuple[list[Document], list[Problem]]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in SUFFIXES)
        if not files:
            empty = Problem(str(path), None, "path", None, "no .json or .jsonl files here")
            return [], [empty]
    elif path.is_file():
        files = [path]
    else:
        raise InputError([Problem(str(path), None, "path", None, "no such file or directory")])
    documents: list[Document] = []
    problems: list[Problem] = []
    for file in files:
        found, problem = _read(file)
        documents.extend(found)
        problems.extend([problem] if problem is not None else [])
    return documents, problems


def _read(file: Path) -> tuple[list[Document], Problem | None]:
    try:
        content = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return [], Problem(str(file), None, "file", None, f"cannot read: {error}")
    if file.suffix != ".json":
        return _lines(str(file), content)
    try:
        return _spread(str(file), None, json.loads(content)), None
    except json.JSONDecodeError as error:
        documents, problem = _lines(str(file), content)
        if documents:  # JSON Lines (whose first line is JSON) in a .json file
            return documents, problem
        return [], Problem(str(file), error.lineno, "json", None, f"not JSON: {error.msg}")


def _lines(file: str, content: str) -> tuple[list[Document], Problem | None]:
    documents: list[Document] = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.extend(_spread(file, number, json.loads(line)))
        except json.JSONDecodeError as error:
            return documents, Problem(file, number, "json", None, f"not JSON: {error.msg}")
    return documents, None


def _spread(file: str, line: int | None, data: object) -> list[Document]:
    """A JSON array holds documents; anything else is one."""
    items = data if isinstance(data, list) else [data]
    return [Document(file, line, item) for item in items]


def shape(data: object) -> str:
    """search, issue, webhook, status, feedback, or unknown."""
    if not isinstance(data, dict):
        return "unknown"
    if "webhookEvent" in data:
        return "webhook"
    if isinstance(data.get("issues"), list):
        return "search"
    if "key" in data and isinstance(data.get("fields"), dict):
        return "issue"
    if "statusCategory" in data and "name" in data:
        return "status"
    if "rating" in data:
        return "feedback"
    return "unknown"
