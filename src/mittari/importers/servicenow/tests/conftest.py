from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

HEADER = (
    "number,incident_state,hold_reason,sys_updated_on,opened_at,priority,assignment_group,category"
)


@pytest.fixture
def history_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write the given data lines (header added) to a fresh history CSV."""

    def write(*lines: str, header: str = HEADER, name: str = "history.csv") -> Path:
        path = tmp_path / name
        path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
        return path

    return write
