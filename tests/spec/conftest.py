"""A small valid contract and helpers that write variants of it to tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mittari.errors import Problem
from mittari.spec import check_contract

VALID = """\
apiVersion: mittari/v1
kind: Contract
metadata:
  customer: acme
  name: Acme Oy
  version: "2026.1"
spec:
  timezone: Europe/Helsinki
  effective:
    from: 2026-01-01
    to: 2027-01-01
  calendars:
    office:
      hours:
        mon-fri: ["08:00-16:00"]
      holidays:
        country: FI
        dates: [2026-12-24]
      closures:
        - {date: 2026-12-23, hours: "12:00-24:00"}
    always:
      alwaysOpen: true
  metrics:
    first_response:
      type: first_response
      objective: 95%
      targets:
        P1: {within: 30m, calendar: always}
        P2: {within: 1h, calendar: office}
    resolution:
      type: resolution
      objective: 90%
      pauseStatuses: [pending_customer, pending_vendor]
      reopen: resume
      priorityRule: current
      targets:
        P1: {within: 4h, calendar: always}
        P2:
          within: 8h
          calendar: office
    vendor_wait:
      type: custom
      objective: 80%
      start: ["status:pending_vendor"]
      stop: ["status:resolved", "status:closed"]
      pauseStatuses: [new, open, pending_customer, on_hold]
      targets:
        P2: {within: 16h, calendar: office}
"""


def variant(old: str, new: str, text: str = VALID) -> str:
    """`text` with the one occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def line_of(text: str, snippet: str) -> int:
    """1-based line of the only line containing `snippet`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if snippet in line]
    assert len(hits) == 1, f"{snippet!r} is on lines {hits}"
    return hits[0]


WriteYaml = Callable[..., Path]


@pytest.fixture
def write_yaml(tmp_path: Path) -> WriteYaml:
    def write(text: str, name: str = "contract.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def problems_of(write_yaml: WriteYaml) -> Callable[[str], list[Problem]]:
    return lambda text: check_contract(write_yaml(text))
