"""Outage importers: a CSV of outages, Alertmanager webhook bodies, a Zabbix export.

Each returns an `OutageExtract`: an `OUTAGE_SCHEMA` table plus the problems found (see
README.md here). `read_outages` picks the reader from `kind` or from the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from mittari.errors import InputError, Problem
from mittari.importers.outages.alertmanager import parse_alertmanager, read_alertmanager
from mittari.importers.outages.csvfile import read_csv
from mittari.importers.outages.table import OUTAGE_SCHEMA, OutageExtract
from mittari.importers.outages.zabbix import parse_zabbix, read_zabbix

KINDS = ("csv", "alertmanager", "zabbix")

__all__ = [
    "KINDS",
    "OUTAGE_SCHEMA",
    "OutageExtract",
    "detect_kind",
    "parse_alertmanager",
    "parse_zabbix",
    "read_alertmanager",
    "read_csv",
    "read_outages",
    "read_zabbix",
]


def read_outages(
    path: str | Path,
    *,
    kind: str | None = None,
    mapping: str | Path | None = None,
    timezone: str | None = None,
) -> OutageExtract:
    """The outages of one file; `kind` is csv, alertmanager or zabbix (None: detected)."""
    kind = kind or detect_kind(path)
    if kind == "csv":
        return read_csv(path, timezone=timezone)
    if kind == "alertmanager":
        return read_alertmanager(path, mapping=mapping)
    if kind == "zabbix":
        return read_zabbix(path, mapping=mapping)
    problem = Problem(
        str(path), None, "kind", kind, f"unknown outage format; use {', '.join(KINDS)}"
    )
    raise InputError([problem])


def detect_kind(path: str | Path) -> str:
    """csv for .csv/.parquet; for JSON, zabbix when it holds `eventid`s, else alertmanager."""
    if Path(path).suffix.lower() in (".csv", ".parquet", ".pq"):
        return "csv"
    try:
        head = Path(path).read_text(encoding="utf-8-sig")[:65536]
    except OSError as exc:
        raise InputError([Problem(str(path), None, "file", None, f"cannot read: {exc}")]) from exc
    return "zabbix" if json.dumps("eventid") in head else "alertmanager"
