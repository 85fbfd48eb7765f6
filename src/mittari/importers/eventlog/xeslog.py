"""An XES event log (IEEE 1849; `.xes` or `.xes.gz`) as a `RawLog`, streamed.

`iterparse` hands over each event and trace when its end tag is read; an event's attributes
are copied out and the element cleared, and the log's root is emptied after each trace, so a
big log never sits in memory as a tree: only the text of the mapped attributes is kept.

Only the attributes directly inside an event or a trace are read (nested attributes and
lists are skipped). `<global>` defaults are not applied: an attribute an event lacks is
empty, so that a missing case id or timestamp is reported rather than replaced by a
placeholder such as `UNKNOWN`.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.errors import InputError, Problem
from mittari.importers.eventlog.model import XesModel
from mittari.importers.eventlog.rawlog import CASE, RawLog, trimmed

Attributes = dict[str, str]
Readable = BinaryIO | gzip.GzipFile


def read_xes(path: Path, section: XesModel) -> RawLog:
    """The attributes that `section` names, one row per event, in file order."""
    trace_keys = {CASE: section.case, **section.trace_fields}
    names = [*trace_keys, *section.fields]
    collected: dict[str, list[str]] = {name: [] for name in names}
    trace_no: list[int] = []
    try:
        with _open(path) as handle:
            for number, (trace, events) in enumerate(_traces(handle), start=1):
                for name, key in trace_keys.items():
                    collected[name].extend([trace.get(key, "")] * len(events))
                for name, key in section.fields.items():
                    collected[name].extend(event.get(key, "") for event in events)
                trace_no.extend([number] * len(events))
    except ET.ParseError as exc:
        line = exc.position[0]
        raise InputError(
            [Problem(str(path), line, "xml", None, f"not well-formed XML: {exc}")]
        ) from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(
            [Problem(str(path), None, "file", None, f"cannot read it: {exc}")]
        ) from exc
    columns = {name: trimmed(pa.array(values, pa.string())) for name, values in collected.items()}
    sources = {**trace_keys, **section.fields}
    refs = _refs(np.array(trace_no, dtype=np.int64))
    return RawLog(str(path), columns, sources, None, refs, len(trace_no), [])


def _open(path: Path) -> Readable:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _traces(handle: Readable) -> Iterator[tuple[Attributes, list[Attributes]]]:
    """Each trace's own attributes and its events' attributes, as the file is read."""
    root: ET.Element | None = None
    events: list[Attributes] = []
    for kind, element in ET.iterparse(handle, events=("start", "end")):
        if kind == "start":
            root = element if root is None else root
            continue
        tag = element.tag  # (most end tags are attributes: `endswith` rules them out cheaply)
        if tag.endswith("event") and _local(tag) == "event":
            events.append(_attributes(element))
            element.clear()
        elif tag.endswith("trace") and _local(tag) == "trace":
            yield _attributes(element), events
            events = []
            element.clear()
            if root is not None:
                root.clear()  # drop the finished traces the parser keeps under the log


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]  # XES files may or may not use the XES namespace


def _attributes(element: ET.Element) -> Attributes:
    """The key and value of each attribute directly inside `element` (lists and containers
    have no value: skipped)."""
    found: Attributes = {}
    for child in element:
        key, value = child.get("key"), child.get("value")
        if key is not None and value is not None:
            found[key] = value
    return found


def _refs(trace_no: np.ndarray) -> pa.Array:
    """`trace T event E` for each event: both 1-based, E counted within its trace."""
    if len(trace_no) == 0:
        return pa.array([], pa.string())
    starts = np.flatnonzero(np.r_[True, trace_no[1:] != trace_no[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(trace_no)]))
    event_no = np.arange(len(trace_no)) - first + 1
    return pc.binary_join_element_wise(
        "trace ",
        pa.array(trace_no).cast(pa.string()),
        " event ",
        pa.array(event_no).cast(pa.string()),
        "",
    )
