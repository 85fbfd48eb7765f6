"""The allocator tuning the CLI applies (glibc on Linux, which CI runs on)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from mittari.runtime import keep_freed_memory, no_huge_page_advice


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc tuning is Linux-only")
def test_glibc_accepts_the_tuning() -> None:
    assert keep_freed_memory() is True


def test_numpy_huge_page_advice_can_be_turned_off() -> None:
    core = getattr(np, "_core", None) or np.core
    try:
        assert no_huge_page_advice() is True
    finally:
        core.multiarray._set_madvise_hugepage(True)  # leave numpy as other tests expect it
