"""The allocator tuning the CLI applies (glibc on Linux, which CI runs on)."""

from __future__ import annotations

import sys

import pytest

from mittari.runtime import keep_freed_memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc tuning is Linux-only")
def test_glibc_accepts_the_tuning() -> None:
    assert keep_freed_memory() is True
