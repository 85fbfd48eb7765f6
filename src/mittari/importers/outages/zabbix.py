"""Outages from a Zabbix `event.get` export (the JSON-RPC response, or its `result` list).

Problem events (`source` 0, trigger; `value` "1") start outages; each names its recovery
event in `r_eventid` ("0" while the problem is open: the outage is still going on). The
recovery event's `clock` (+ `ns`) ends it, so export both kinds, e.g. `event.get` with
`selectHosts`, `selectTags` and no `value` filter. `suppressed` "1" (the host was in a
Zabbix maintenance period) marks the outage planned. The service comes from a tag, else
from the first host; the weight from a `weight` tag, else from the severity (0..5).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mittari.engine.types import US
from mittari.errors import Problem
from mittari.importers.outages.mapping import ZabbixMapping, load
from mittari.importers.outages.table import OutageExtract, OutageRows, parse_weight

TRIGGER, PROBLEM, OK = "0", "1", "0"


def read_zabbix(path: str | Path, *, mapping: str | Path | None = None) -> OutageExtract:
    """The outages of an `event.get` export file."""
    file = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        problem = Problem(file, exc.lineno, "(json)", None, f"not JSON: {exc.msg}")
        return OutageExtract("zabbix", OutageRows("zabbix", file).table(), [problem])
    return parse_zabbix(data, file=file, mapping=mapping)


def parse_zabbix(
    data: Any, *, file: str = "(payload)", mapping: str | Path | None = None
) -> OutageExtract:
    """The outages of a parsed `event.get` response (or of its `result` list)."""
    rules = load(mapping).zabbix
    events = data.get("result") if isinstance(data, dict) else data
    rows = OutageRows("zabbix", file)
    if not isinstance(events, list):
        message = "expected an event.get response: {'result': [events]} or a list of events"
        return OutageExtract("zabbix", rows.table(), [Problem(file, None, "result", None, message)])
    problems: list[Problem] = []
    ignored: dict[str, int] = {}
    triggers = [(i, e) for i, e in enumerate(events) if isinstance(e, dict)]
    triggers = [(i, e) for i, e in triggers if str(e.get("source", TRIGGER)) == TRIGGER]
    recoveries = {str(e.get("eventid")): e for _, e in triggers if str(e.get("value")) == OK}
    for i, event in triggers:
        if str(event.get("value")) == PROBLEM:
            _outage(rows, rules, i, event, recoveries, problems, ignored)
    return OutageExtract("zabbix", rows.table(), problems, len(events), ignored)


def _outage(
    rows: OutageRows,
    rules: ZabbixMapping,
    index: int,
    event: dict[str, Any],
    recoveries: dict[str, dict[str, Any]],
    problems: list[Problem],
    ignored: dict[str, int],
) -> None:
    ref = f"result[{index}]"
    try:
        start = _instant(event)
        end = _end(event, recoveries)
        weight = _weight(event, rules)
    except ValueError as exc:
        problems.append(Problem(rows.file, None, ref, event.get("eventid"), str(exc)))
        return
    if weight is None:
        why = f"severity {event.get('severity')!r} is not an outage"
        ignored[why] = ignored.get(why, 0) + 1
        return
    service = _service(event, rules)
    if not service:
        message = f"no '{rules.service_tag}' tag and no host: the service is unknown"
        problems.append(Problem(rows.file, None, ref, event.get("eventid"), message))
        return
    if end is not None and end <= start:
        message = "the recovery event comes before the problem"
        problems.append(Problem(rows.file, None, ref, event.get("eventid"), message))
        return
    planned = str(event.get("suppressed", "0")) == "1"
    rows.add(
        service,
        start,
        end,
        weight,
        planned,
        source_id=str(event.get("eventid")),
        summary=event.get("name"),
        ref=ref,
    )


def _instant(event: dict[str, Any]) -> int:
    """µs UTC of an event's `clock` (Unix seconds) and `ns`."""
    try:
        return int(event["clock"]) * US + int(event.get("ns") or 0) // 1000
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"event {event.get('eventid')!r} has no valid clock") from None


def _end(event: dict[str, Any], recoveries: dict[str, dict[str, Any]]) -> int | None:
    recovery = str(event.get("r_eventid") or "0")
    if recovery == "0":
        return None  # still open
    if recovery not in recoveries:
        raise ValueError(
            f"its recovery event {recovery} is not in the export; export OK events too"
        )
    return _instant(recoveries[recovery])


def _tag(event: dict[str, Any], name: str) -> str | None:
    for tag in event.get("tags") or []:
        if isinstance(tag, dict) and tag.get("tag") == name:
            return str(tag.get("value", "")).strip()
    return None


def _weight(event: dict[str, Any], rules: ZabbixMapping) -> float | None:
    tagged = _tag(event, rules.weight_tag)
    if tagged is not None:
        return parse_weight(tagged)
    found = rules.severity_weights.get(str(event.get("severity")))
    return None if found is None else round(found, 4)


def _service(event: dict[str, Any], rules: ZabbixMapping) -> str:
    tagged = _tag(event, rules.service_tag)
    if tagged:
        return tagged
    hosts = event.get("hosts") or []
    if rules.service_from_host and hosts and isinstance(hosts[0], dict):
        return str(hosts[0].get("host", "")).strip()
    return ""
