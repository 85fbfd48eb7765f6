"""Outages from Prometheus Alertmanager webhook bodies (webhook format version 4).

Alertmanager posts a body per notification: `alerts[]`, each with `status` (`firing` or
`resolved`), `labels`, `startsAt`, `endsAt` and `fingerprint`. One outage is one alert
occurrence: the alerts with the same fingerprint and the same `startsAt`. It ends at the
`endsAt` of its `resolved` notification; without one it is still going on (the `endsAt` of a
firing alert is only Alertmanager's time-out guess, so it is not used).

Input: a file holding one body, a JSON array of bodies, or JSON Lines (one body per line,
as a webhook receiver logs them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from mittari.errors import Problem
from mittari.importers.canonical.timestamps import TsVerdict, parse_timestamps
from mittari.importers.outages.mapping import AlertmanagerMapping, load
from mittari.importers.outages.table import OutageExtract, OutageRows, parse_flag, parse_weight

WEBHOOK_VERSION = "4"


@dataclass
class _Alert:
    key: str
    status: str
    labels: dict[str, str]
    starts: str
    ends: str
    summary: str | None
    line: int | None
    ref: str


def read_alertmanager(path: str | Path, *, mapping: str | Path | None = None) -> OutageExtract:
    """The outages in a file of webhook bodies."""
    file = str(path)
    problems: list[Problem] = []
    text = Path(path).read_text(encoding="utf-8-sig")
    bodies = _bodies(text, file, problems)
    extract = parse_alertmanager(bodies, file=file, mapping=mapping)
    extract.problems = sorted(problems + extract.problems, key=lambda p: p.line or 0)
    return extract


def parse_alertmanager(
    bodies: list[tuple[int | None, Any]],
    *,
    file: str = "(payload)",
    mapping: str | Path | None = None,
) -> OutageExtract:
    """The outages of webhook bodies given as (line or None, parsed JSON) pairs."""
    rules = load(mapping).alertmanager
    problems: list[Problem] = []
    alerts = [
        a for i, (line, body) in enumerate(bodies) for a in _alerts(i, line, body, file, problems)
    ]
    rows = OutageRows("alertmanager", file)
    ignored: dict[str, int] = {}
    starts, ok_s = parse_timestamps(pa.array([a.starts for a in alerts], pa.string()), None)
    ends, ok_e = parse_timestamps(pa.array([a.ends for a in alerts], pa.string()), None)
    for bad in np.flatnonzero(ok_s != TsVerdict.OK):
        alert = alerts[bad]
        problems.append(
            Problem(
                file,
                alert.line,
                f"{alert.ref}.startsAt",
                alert.starts,
                "not an ISO 8601 instant with an offset",
            )
        )
    build = _Occurrences(rows, rules, alerts, ends, ok_e, problems, ignored)
    groups: dict[tuple[str, int], list[int]] = {}
    for i in np.flatnonzero(ok_s == TsVerdict.OK):
        groups.setdefault((alerts[i].key, int(starts[i])), []).append(int(i))
    for (key, start), members in groups.items():
        build.add(key, start, members)
    return OutageExtract("alertmanager", rows.table(), problems, len(alerts), ignored)


def _bodies(text: str, file: str, problems: list[Problem]) -> list[tuple[int | None, Any]]:
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, list):
        return [(None, body) for body in whole]
    if isinstance(whole, dict):
        return [(None, whole)]
    out: list[tuple[int | None, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(Problem(file, number, "(json)", None, f"not JSON: {exc.msg}"))
    return out


def _alerts(
    index: int, line: int | None, body: Any, file: str, problems: list[Problem]
) -> list[_Alert]:
    where = f"bodies[{index}]"
    if not isinstance(body, dict) or not isinstance(body.get("alerts"), list):
        problems.append(Problem(file, line, where, None, "not an Alertmanager webhook body"))
        return []
    if str(body.get("version")) != WEBHOOK_VERSION:
        message = f"webhook version {body.get('version')!r}; this importer reads version 4"
        problems.append(Problem(file, line, f"{where}.version", body.get("version"), message))
        return []
    out = []
    for j, alert in enumerate(body["alerts"]):
        ref = f"{where}.alerts[{j}]"
        if not isinstance(alert, dict):
            problems.append(Problem(file, line, ref, None, "an alert is a JSON object"))
            continue
        labels = {str(k): str(v) for k, v in (alert.get("labels") or {}).items()}
        key = str(alert.get("fingerprint") or json.dumps(labels, sort_keys=True))
        summary = (alert.get("annotations") or {}).get("summary")
        out.append(
            _Alert(
                key,
                str(alert.get("status", "")),
                labels,
                str(alert.get("startsAt", "")),
                str(alert.get("endsAt", "")),
                summary,
                line,
                ref,
            )
        )
    return out


@dataclass
class _Occurrences:
    """Turns the notifications of each alert occurrence into one outage row."""

    rows: OutageRows
    rules: AlertmanagerMapping
    alerts: list[_Alert]
    ends: np.ndarray
    ends_ok: np.ndarray
    problems: list[Problem]
    ignored: dict[str, int]

    def add(self, key: str, start: int, members: list[int]) -> None:
        """One outage; the labels of its last notification win (they may be updated)."""
        last = self.alerts[members[-1]]
        resolved = [i for i in members if self.alerts[i].status == "resolved"]
        end = self._end(resolved[-1], start) if resolved else None
        if resolved and end is None:
            return
        service = last.labels.get(self.rules.service_label, "").strip()
        if not service:
            label = self.rules.service_label
            self._problem(last, "labels", None, f"no '{label}' label; name it in a mapping")
            return
        try:
            weight = _weight(last.labels, self.rules)
            planned = parse_flag(last.labels.get(self.rules.planned_label, ""))
        except ValueError as exc:
            self._problem(last, "labels", None, str(exc))
            return
        if weight is None:
            why = f"severity {last.labels.get(self.rules.severity_label)!r} is not an outage"
            self.ignored[why] = self.ignored.get(why, 0) + 1
            return
        self.rows.add(
            service,
            start,
            end,
            weight,
            planned,
            source_id=f"{key}@{last.starts}",
            summary=last.summary,
            line=last.line,
            ref=last.ref,
        )

    def _end(self, i: int, start: int) -> int | None:
        alert = self.alerts[i]
        if self.ends_ok[i] != TsVerdict.OK or int(self.ends[i]) <= start:
            self._problem(alert, "endsAt", alert.ends, "a resolved alert ends after it starts")
            return None
        return int(self.ends[i])

    def _problem(self, alert: _Alert, name: str, value: object, message: str) -> None:
        self.problems.append(
            Problem(self.rows.file, alert.line, f"{alert.ref}.{name}", value, message)
        )


def _weight(labels: dict[str, str], rules: AlertmanagerMapping) -> float | None:
    if rules.weight_label in labels:
        return parse_weight(labels[rules.weight_label])
    severity = labels.get(rules.severity_label)
    found = rules.severity_weights.get(severity) if severity is not None else None
    return None if found is None else round(found, 4)
