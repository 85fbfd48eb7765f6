from __future__ import annotations

from mittari.spec.yamllines import read_documents

TEXT = """\
top: 1
nested:
  list:
    - a: 1
    - b: 2
  flow: {x: [1, 2]}
base: &base
  shared: 1
merged:
  <<: *base
  own: 2
---
second: true
"""


def test_lines_of_keys_items_and_documents() -> None:
    (first, second), syntax = read_documents(TEXT)
    assert syntax is None
    lines = first.lines
    assert lines.line_of(()) == 1
    assert lines.line_of(("nested", "list", 1, "b")) == 5
    assert lines.line_of(("nested", "flow", "x", 1)) == 6
    assert second.lines.line_of(("second",)) == 13


def test_missing_paths_fall_back_to_the_nearest_parent() -> None:
    (first, _), _ = read_documents(TEXT)
    assert first.lines.line_of(("nested", "list", 7, "c")) == 3
    assert first.lines.line_of(("merged", "shared")) == 9  # merged in: the mapping's line
    assert first.data["merged"] == {"shared": 1, "own": 2}  # type: ignore[index]


def test_integer_like_keys_are_found() -> None:
    (document,), _ = read_documents("targets:\n  1: x\n")
    assert document.lines.line_of(("targets", 1)) == 2


def test_documents_before_a_syntax_error_are_kept() -> None:
    documents, syntax = read_documents("a: 1\n---\nb: [\n")
    assert [d.data for d in documents] == [{"a": 1}]
    assert syntax is not None and syntax.line == 3


def test_duplicate_keys_are_recorded() -> None:
    (document,), _ = read_documents("a: 1\nb: 2\na: 3\n")
    assert document.lines.duplicates == [(("a",), 3)]
