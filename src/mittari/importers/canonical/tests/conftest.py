from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

HEADER = "ticket_id,ts,kind,value,actor"


@pytest.fixture
def events_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write the given data lines (header added) to a fresh events.csv."""

    def write(*lines: str, header: str = HEADER, name: str = "events.csv") -> Path:
        path = tmp_path / name
        path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
        return path

    return write
