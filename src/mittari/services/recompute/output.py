"""The output folder, replaced whole or not at all.

A run writes into a staging folder beside the output (`.NAME.tmp-<run>`), with its
intermediate files in a scratch folder (`.NAME.scratch-<run>`). Only when every partition
and the rollup are written is the staging folder swapped into place: one
`renameat2(RENAME_EXCHANGE)` on Linux, so a reader sees the old output or the new one,
never a mix or nothing; elsewhere two renames with a brief moment without the folder. A
failed run removes its staging and scratch folders and leaves the previous output as it
was. An existing folder is replaced only if a previous recompute wrote it (its
`manifest.json` says so) or it is empty: a mistyped `--out` must not delete a user's files.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mittari.errors import InputError, Problem

MANIFEST = "manifest.json"
KIND = "mittari recompute output"
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def check_replaceable(out: Path) -> None:
    """Raise unless `out` is absent, empty, or a previous recompute's output."""
    if not out.exists():
        if not out.parent.is_dir():
            raise InputError([_problem(out, f"its parent folder {out.parent} does not exist")])
        return
    if not out.is_dir():
        raise InputError([_problem(out, "exists and is not a folder")])
    if not any(out.iterdir()) or _is_ours(out):
        return
    raise InputError(
        [_problem(out, f"exists and is not a recompute output (no {MANIFEST}); not replacing it")]
    )


def _is_ours(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("kind") == KIND


@contextmanager
def staged(out: Path) -> Iterator[tuple[Path, Path]]:
    """(staging, scratch) folders beside `out`; scratch always goes at the end, staging
    too unless it was published."""
    run = uuid.uuid4().hex[:12]
    staging = out.parent / f".{out.name}.tmp-{run}"
    scratch = out.parent / f".{out.name}.scratch-{run}"
    staging.mkdir()
    scratch.mkdir()
    try:
        yield staging, scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)  # gone already once published


def publish(staging: Path, out: Path) -> None:
    """Put `staging` in the place of `out` (and remove the old output)."""
    check_replaceable(out)  # again: something may have appeared there during the run
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging)  # now the old output
        return
    old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:12]}"
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(done == 0)


def write_manifest(folder: Path, content: dict[str, object]) -> None:
    text = json.dumps({"kind": KIND, **content}, indent=2, default=str)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _problem(out: Path, message: str) -> Problem:
    return Problem(str(out), None, "--out", None, message)
