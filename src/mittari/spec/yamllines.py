"""YAML documents with the line of every field, for errors that point at the right place.

PyYAML composes each document into nodes that carry marks (0-based line numbers) before it
constructs Python values; we index the nodes by path (mapping keys as written, list indexes
as ints) and then construct the values from the same nodes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import yaml

Loc = tuple[str | int, ...]


class LineIndex:
    """1-based line of each path of one document: a key's line for mapping entries."""

    def __init__(self, root: yaml.Node) -> None:
        self.lines: dict[Loc, int] = {(): root.start_mark.line + 1}
        self.duplicates: list[tuple[Loc, int]] = []
        self._walk(root, (), set())

    def line_of(self, loc: Sequence[str | int]) -> int:
        """The line of `loc`, or of its nearest parent that exists in the document."""
        found: Loc = ()
        for part in loc:
            candidates = ((*found, part), (*found, str(part)))
            step = next((c for c in candidates if c in self.lines), None)
            if step is None:
                break
            found = step
        return self.lines[found]

    def _walk(self, node: yaml.Node, path: Loc, open_nodes: set[int]) -> None:
        if id(node) in open_nodes:  # a recursive alias: stop rather than loop forever
            return
        open_nodes.add(id(node))
        for part, line, child in _children(node):
            here = (*path, part)
            if here in self.lines:
                self.duplicates.append((here, line))
            self.lines[here] = line
            self._walk(child, here, open_nodes)
        open_nodes.discard(id(node))


def _children(node: yaml.Node) -> Iterator[tuple[str | int, int, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield key.value, key.start_mark.line + 1, value
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield i, item.start_mark.line + 1, item


@dataclass(frozen=True)
class YamlDocument:
    data: object
    lines: LineIndex


@dataclass(frozen=True)
class YamlSyntaxProblem:
    line: int | None
    message: str


def read_documents(text: str) -> tuple[list[YamlDocument], YamlSyntaxProblem | None]:
    """Every document of a YAML stream, and the syntax error that stopped reading, if any.

    Documents before a syntax error are kept, so that their problems are reported too.
    Empty documents (a stray `---`) are skipped.
    """
    documents: list[YamlDocument] = []
    loader = yaml.SafeLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            lines = LineIndex(node)  # before constructing: merge keys rewrite the nodes
            data = loader.construct_document(node)
            if data is not None:
                documents.append(YamlDocument(data, lines))
    except yaml.MarkedYAMLError as error:
        return documents, _syntax_problem(error, text.rstrip())
    except yaml.YAMLError as error:
        return documents, YamlSyntaxProblem(None, str(error))
    finally:
        loader.dispose()
    return documents, None


def _syntax_problem(error: yaml.MarkedYAMLError, content: str) -> YamlSyntaxProblem:
    """The error's line; for an error at the end of the stream, where the trouble began."""
    line = None if error.problem_mark is None else error.problem_mark.line + 1
    at_end = error.problem_mark is None or error.problem_mark.index >= len(content)
    if at_end:
        # "got <stream end>": where the unclosed thing opened, else the last written line
        opened = error.context_mark
        if opened is not None and opened.index < len(content):
            line = opened.line + 1
        else:
            line = content.count("\n") + 1
    parts = [error.context, error.problem]
    return YamlSyntaxProblem(line, "invalid YAML: " + ", ".join(p for p in parts if p))
