"""Where the real public logs are (`../shared/data`, see its README): one place for the tests.

`MITTARI_SHARED_DATA` names the folder; else `<repo>/../shared/data`, else `/work/shared/data`.
A missing folder fails the test that needs it, never skips it: these tests are the proof that
mittari reads the real logs.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared() -> Path:
    named = os.environ.get("MITTARI_SHARED_DATA")
    folders = [Path(named)] if named else [ROOT.parent / "shared/data", Path("/work/shared/data")]
    for folder in folders:
        if (folder / "bpic2013").is_dir():
            return folder
    pytest.fail(
        f"the shared real-data folder is missing (tried {folders}); set MITTARI_SHARED_DATA"
    )


def volvo_csv(folder: Path) -> Path:
    """The Volvo IT log's CSV (BPI Challenge 2013, IBM re-export), extracted into `folder`."""
    with zipfile.ZipFile(shared() / "bpic2013/IBM-VolvoIT-Challenge.zip") as zipped:
        return Path(zipped.extract("VolvoIT-Challenge/VINST-new.csv", folder))
