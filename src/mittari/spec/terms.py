"""Contract versions with their availability and credit terms, from files and folders.

`load_contracts` gives the clock policies alone; availability and credits need the whole
version (`ContractTerms`). The same checks apply: every problem of every file, overlaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from mittari.errors import ContractError, Problem
from mittari.spec.check import Version, overlap_problems, read_versions
from mittari.spec.load import contract_files
from mittari.spec.resolve import ContractTerms, resolve_terms


def load_terms(paths: Iterable[str | Path] | str | Path) -> list[ContractTerms]:
    """Every version in the files and folders named, by customer then effective date."""
    versions: list[Version] = []
    problems: list[Problem] = []
    for file in contract_files(paths, problems):
        found, file_problems = read_versions(file)
        versions += found
        problems += file_problems
    problems += overlap_problems(versions)
    if problems:
        raise ContractError(problems)
    terms = [resolve_terms(v.model) for v in versions]
    return sorted(terms, key=lambda t: (t.contract.customer, t.contract.effective_from_us))


def version_at(
    terms: Sequence[ContractTerms], customer: str, lo: int, hi: int
) -> ContractTerms | None:
    """The version of `customer` that judges the period [lo, hi), e.g. a month.

    The version in force at `lo`; else the first one that takes effect inside the period
    (a contract that starts mid-month judges that month); else None.
    """
    mine = [t for t in terms if t.contract.customer == customer]
    for t in mine:
        c = t.contract
        if c.effective_from_us <= lo and (c.effective_to_us is None or lo < c.effective_to_us):
            return t
    later = [t for t in mine if lo < t.contract.effective_from_us < hi]
    return min(later, key=lambda t: t.contract.effective_from_us) if later else None
