from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"
REPO = HERE.parents[4]  # src/mittari/importers/eventlog/tests → the repository


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real logs: $MITTARI_SHARED_DATA if set (and only it), else <repo>/../shared/data,
    else /work/shared/data.

    Fails (never skips) when none exists: these tests are the proof that the importer reads
    the real logs whole.
    """
    named = os.environ.get("MITTARI_SHARED_DATA")
    candidates = [Path(named)] if named else [REPO.parent / "shared" / "data"]
    candidates += [] if named else [Path("/work/shared/data")]
    for candidate in candidates:
        if (candidate / "helpdesk").is_dir() and (candidate / "bpic2013").is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    pytest.fail(f"the shared real-data folder is missing (tried {tried}); set MITTARI_SHARED_DATA")


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write `text` to `tmp_path / name` (UTF-8) and return its path."""

    def written(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return written
