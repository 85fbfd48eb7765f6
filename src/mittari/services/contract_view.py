"""A customer's contract versions as the dashboard shows them: where each stands now, its own
YAML document, and a line diff between two versions.

A version is stored with the whole file it came in (`ContractVersion.yaml`, whose SHA-256
is kept beside it); a file may hold several versions, one YAML document each. The text of a
version is its own document: the part of the file between document markers (`---` at the
start of a line) that, read alone, is that version. Where no part reads as that version
the whole file is its text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from mittari.db.models import ContractVersion

_MARKER = re.compile(r"^---(?:[ \t].*)?$")  # a document start marker, maybe with a comment


@dataclass(frozen=True)
class DiffLine:
    """One line of a unified diff: `kind` is file, hunk, add, remove or same; `old` and
    `new` are the line's numbers in the two texts (None where it is not in one)."""

    kind: str
    old: int | None
    new: int | None
    text: str


VERSION_STATES = ("in_force", "not_yet", "ended", "superseded")


def version_state(version: ContractVersion, now_us: int) -> str:
    """Where a version stands now: `superseded` (replaced by a later submission of the same
    version), else by its effective range against `now_us` (the end is exclusive):
    `not_yet` in force, `ended`, or `in_force`."""
    if version.superseded_at is not None:
        return "superseded"
    if version.effective_from_us > now_us:
        return "not_yet"
    if version.effective_to_us is not None and version.effective_to_us <= now_us:
        return "ended"
    return "in_force"


def version_text(version: ContractVersion) -> str:
    """The YAML document of `version` within the file it was stored with."""
    for part in documents(version.yaml):
        if _label_of(part) == version.label:
            return part
    return version.yaml


def documents(text: str) -> list[str]:
    """The parts of a YAML stream between document markers; the comments before the first
    document belong to it; a part without content is dropped."""
    parts: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if _MARKER.match(line.rstrip("\r\n")) and _has_content(parts[-1]):
            parts.append([])
            continue
        parts[-1].append(line)
    return ["".join(p) for p in parts if _has_content(p)]


def _has_content(lines: Sequence[str]) -> bool:
    return any(s.strip() and not s.lstrip().startswith(("#", "---")) for s in lines)


def _label_of(part: str) -> str | None:
    try:
        data = yaml.safe_load(part)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    metadata = data.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("version") is None:
        return None
    return str(metadata["version"])


def diff_lines(old: str, new: str, old_name: str, new_name: str) -> list[DiffLine]:
    """`difflib.unified_diff` of two texts (three lines of context), line by line, each
    line with its numbers in both texts; no lines when the texts are the same."""
    a, b = old.splitlines(), new.splitlines()
    out: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(3):
        if not out:
            out += [DiffLine("file", None, None, f"--- {old_name}")]
            out += [DiffLine("file", None, None, f"+++ {new_name}")]
        out.append(DiffLine("hunk", None, None, _hunk_header(group)))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [DiffLine("same", i + 1, j1 + i - i1 + 1, a[i]) for i in range(i1, i2)]
                continue
            out += [DiffLine("remove", i + 1, None, a[i]) for i in range(i1, i2)]
            out += [DiffLine("add", None, j + 1, b[j]) for j in range(j1, j2)]
    return out


def _hunk_header(group: Sequence[tuple[str, int, int, int, int]]) -> str:
    """`@@ -start,count +start,count @@` as `difflib.unified_diff` writes it."""
    first, last = group[0], group[-1]
    return f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@"


def _range(start: int, stop: int) -> str:
    length = stop - start
    begin = start + 1 if length else start
    return str(begin) if length == 1 else f"{begin},{length}"
