"""The outage table every outage importer returns, and a collector for JSON sources.

`OUTAGE_SCHEMA`, one row per outage, in source order:

- `service`    the service as the contract's `availability.services` names it
- `start`      first instant of the outage, timestamp[us, UTC]
- `end`        the instant it ended (exclusive); null while it is still going on
- `weight`     1.0 for a full outage, less for a partial one (0.3: 30 % of the service
               lost), rounded to 4 decimals so that downtime is exact in the engine
- `planned`    announced maintenance; it is excluded only inside a maintenance window
- `source`     the importer: `csv`, `alertmanager`, `zabbix`
- `source_id`  the outage's id in its source (CSV column, alert fingerprint, event id)
- `summary`    the alert's or problem's text where the source has one
- `file`, `line`, `ref`  where the row came from, for problems and audits
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from mittari.errors import Problem

OUTAGE_SCHEMA = pa.schema(
    [
        ("service", pa.string()),
        ("start", pa.timestamp("us", tz="UTC")),
        ("end", pa.timestamp("us", tz="UTC")),
        ("weight", pa.float64()),
        ("planned", pa.bool_()),
        ("source", pa.string()),
        ("source_id", pa.string()),
        ("summary", pa.string()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("ref", pa.string()),
    ]
)
WEIGHT_DECIMALS = 4  # engine/outage_steps.py: weights are integers in 1/10 000


@dataclass
class OutageExtract:
    """One outage importer run over one input."""

    source: str
    table: pa.Table  # OUTAGE_SCHEMA
    problems: list[Problem] = field(default_factory=list)
    n_read: int = 0  # records read: CSV rows, alerts, events
    ignored: dict[str, int] = field(default_factory=dict)  # why -> records that are no outage


def parse_weight(text: str) -> float:
    """`0.3`, `30%` or empty (a full outage) as a weight in (0, 1], rounded to 4 decimals."""
    cleaned = text.strip()
    if not cleaned:
        return 1.0
    percent = cleaned.endswith("%")
    try:
        value = float(cleaned[:-1] if percent else cleaned) / (100 if percent else 1)
    except ValueError:
        raise ValueError("a weight is a number from 0 to 1 (0.3) or a percentage (30%)") from None
    if not 0 < value <= 1:
        raise ValueError("a weight is above 0 and at most 1 (1 = a full outage)")
    return round(value, WEIGHT_DECIMALS)


TRUE_WORDS = frozenset({"true", "yes", "y", "1", "planned"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "unplanned", ""})


def parse_flag(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("write true or false (also yes/no, 1/0, planned/unplanned)")


class OutageRows:
    """Collects outages one by one (JSON sources) and makes an OUTAGE_SCHEMA table."""

    def __init__(self, source: str, file: str) -> None:
        self.source, self.file = source, file
        self._columns: dict[str, list[Any]] = {name: [] for name in OUTAGE_SCHEMA.names}

    def add(
        self,
        service: str,
        start_us: int,
        end_us: int | None,
        weight: float,
        planned: bool,
        *,
        source_id: str,
        summary: str | None = None,
        line: int | None = None,
        ref: str | None = None,
    ) -> None:
        row = (
            service,
            start_us,
            end_us,
            weight,
            planned,
            self.source,
            source_id,
            summary,
            self.file,
            line,
            ref,
        )
        for name, item in zip(OUTAGE_SCHEMA.names, row, strict=True):
            self._columns[name].append(item)

    def __len__(self) -> int:
        return len(self._columns["service"])

    def table(self) -> pa.Table:
        """The rows as OUTAGE_SCHEMA (instants given as µs UTC)."""
        return pa.table(self._columns, schema=OUTAGE_SCHEMA)
