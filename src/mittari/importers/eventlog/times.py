"""Timestamps of a log to µs UTC, a whole column at a time, each row with its verdict.

ISO 8601 goes through the canonical reader's column parser; a strptime format through
Arrow's `strptime`. `offset: ignore` drops a written UTC offset first (the exporting tool's,
not the place's): the wall-clock time is then read in the named zone, with the canonical
DST rules (a time in a spring-forward gap becomes the end of the gap, one in a fall-back
overlap the earlier instant).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I8, I64
from mittari.importers.canonical.timestamps import TsVerdict, parse_timestamps
from mittari.importers.canonical.zones import local_to_utc
from mittari.importers.eventlog.model import TimestampsModel

# a time of day, then an offset (Z, +02, +0200, +02:00) to drop; the date-time is kept
_OFFSET = r"^(.*\d:\d\d(?::\d\d(?:[.,]\d+)?)?)\s*(?:[Zz]|[+-]\d\d(?::?\d\d)?)$"
_ISO_EXAMPLE = "2025-03-01T09:30:00+02:00"


@dataclass(frozen=True)
class TimeFormat:
    """The mapping's `timestamps`, with the zone in force (`--timezone` over the file's)."""

    format: str
    ignore_offset: bool
    zone: str | None

    @staticmethod
    def of(spec: TimestampsModel, timezone: str | None) -> TimeFormat:
        return TimeFormat(spec.format, spec.offset == "ignore", timezone or spec.zone)

    def message(self, verdict: int) -> str:
        """What is wrong with a timestamp of this verdict."""
        if verdict == TsVerdict.EMPTY:
            return "missing timestamp"
        if verdict == TsVerdict.SYNTAX and self.format == "iso":
            return f"not an ISO 8601 timestamp; expected e.g. {_ISO_EXAMPLE}"
        if verdict == TsVerdict.SYNTAX:
            return f"does not match the timestamp format {self.format!r}"
        if verdict == TsVerdict.RANGE:
            return "no such date, time or UTC offset"
        return "timestamp has no UTC offset; name its zone (timestamps.zone or --timezone)"


def parse(text: pa.Array, spec: TimeFormat) -> tuple[I64, I8]:
    """Instants (µs UTC, 0 where not OK) and a `TsVerdict` per row of trimmed text."""
    if spec.ignore_offset:
        text = pc.replace_substring_regex(text, pattern=_OFFSET, replacement=r"\1")
    if spec.format == "iso":
        return parse_timestamps(text, spec.zone)
    return _strptime(text, spec.format, spec.zone)


def _strptime(text: pa.Array, format: str, zone: str | None) -> tuple[I64, I8]:
    parsed = pc.strptime(text, format=format, unit="us", error_is_null=True)
    verdict = np.where(
        parsed.is_null().to_numpy(zero_copy_only=False), TsVerdict.SYNTAX, TsVerdict.OK
    ).astype(np.int8)
    verdict[pc.utf8_length(text).to_numpy() == 0] = TsVerdict.EMPTY
    instants = np.array(parsed.cast(pa.int64()).fill_null(0).to_numpy(), dtype=np.int64)
    ok = verdict == TsVerdict.OK
    if parsed.type.tz is not None:  # %z: instants already
        return instants, verdict
    if zone is None:
        verdict[ok] = TsVerdict.NAIVE
    elif ok.any():
        instants[ok] = local_to_utc(instants[ok], zone)
    instants[verdict != TsVerdict.OK] = 0
    return instants, verdict
