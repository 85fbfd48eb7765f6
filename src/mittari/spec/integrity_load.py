"""The integrity thresholds of every contract version in files and folders.

`load_contracts` gives the clock policies; the flags also need each version's
`spec.integrity` (defaults where absent), keyed by (customer, version label).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mittari.engine.integrity import IntegrityPolicy
from mittari.errors import ContractError, Problem
from mittari.spec.check import read_versions
from mittari.spec.load import contract_files
from mittari.spec.resolve import resolve_integrity


def load_integrity(
    paths: Iterable[str | Path] | str | Path,
) -> dict[tuple[str, str], IntegrityPolicy]:
    """(customer, version) → IntegrityPolicy; ContractError lists every problem."""
    problems: list[Problem] = []
    policies: dict[tuple[str, str], IntegrityPolicy] = {}
    for file in contract_files(paths, problems):
        versions, found = read_versions(file)
        problems += found
        for v in versions:
            policies[(v.customer, v.model.metadata.version)] = resolve_integrity(v.model)
    if problems:
        raise ContractError(problems)
    return policies
