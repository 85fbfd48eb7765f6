"""Process-level tuning for the command line and long-running services (not the engine).

The engine allocates and frees many large numpy arrays. glibc returns each freed large block
to the OS (munmap) and the next array faults fresh pages back in; on virtual machines a page
fault is expensive. Measured on this project's 2-core VM, `measure` on 10M events spent
4.0 s of 6.6 s in the kernel; keeping freed memory in the process cut a repeated run to
2.5 s with 0.04 s in the kernel (bench/README.md). The cost: the process keeps its peak
heap until it exits, which suits a CLI run or a worker.

numpy also asks the kernel for transparent huge pages on large arrays; where the kernel
compacts memory synchronously to satisfy them (`defrag = madvise`, as here), a cold
`measure` on 10M events took 7.5 s instead of 3.6 s. `tune_process` turns both off.
"""

from __future__ import annotations

import ctypes
import sys

import numpy as np

_M_TRIM_THRESHOLD = -1  # glibc mallopt parameters (malloc.h)
_M_MMAP_MAX = -4
_KEEP_BYTES = 1 << 40  # never trim the heap back to the OS while running


def keep_freed_memory() -> bool:
    """Ask glibc to serve large blocks from the heap and keep freed memory; True if it did."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, …): nothing to tune
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    ok = mallopt(_M_MMAP_MAX, 0) == 1
    trim = ctypes.c_int(min(_KEEP_BYTES, 2**31 - 1)).value
    return ok and mallopt(_M_TRIM_THRESHOLD, trim) == 1


def no_huge_page_advice() -> bool:
    """Stop numpy from madvising huge pages (NUMPY_MADVISE_HUGEPAGE=0 at run time)."""
    core = getattr(np, "_core", None) or getattr(np, "core", None)
    setter = getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
    if setter is None:
        return False
    setter(False)
    return True


def tune_process() -> None:
    """Everything above, for a process that is about to run the engine on large data."""
    keep_freed_memory()
    no_huge_page_advice()
