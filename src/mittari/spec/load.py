"""The public entry points: check and load contract files and folders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mittari.engine.types import ContractPolicy
from mittari.errors import ContractError, Problem
from mittari.spec.check import FILE, Version, overlap_problems, read_versions, versions_from_text
from mittari.spec.resolve import resolve_contract

CONTRACT_SUFFIXES = (".yaml", ".yml")


def check_contract(path: str | Path) -> list[Problem]:
    """Every problem of one contract file, in line order; empty when the file is valid."""
    versions, problems = read_versions(path)
    return sorted(problems + overlap_problems(versions), key=lambda p: p.line or 0)


def load_contract(path: str | Path) -> list[ContractPolicy]:
    """All versions in one file, sorted by effective_from; ContractError lists all problems."""
    versions, problems = read_versions(path)
    problems += overlap_problems(versions)
    if problems:
        raise ContractError(problems)
    return _resolved(versions)


def load_contracts(paths: Iterable[str | Path] | str | Path) -> dict[str, list[ContractPolicy]]:
    """Versions per customer from files and folders (a folder: its *.yaml and *.yml files).

    Versions of one customer may be spread over several files; overlaps between them are
    problems like overlaps within one file. Customers come in name order, versions in
    effective order.
    """
    versions: list[Version] = []
    problems: list[Problem] = []
    for file in contract_files(paths, problems):
        found, file_problems = read_versions(file)
        versions += found
        problems += file_problems
    return _per_customer(versions, problems)


def load_contract_texts(texts: Iterable[tuple[str, str]]) -> dict[str, list[ContractPolicy]]:
    """`load_contracts` for contract files given as (name, text), e.g. read from the store."""
    versions: list[Version] = []
    problems: list[Problem] = []
    for name, text in texts:
        found, file_problems = versions_from_text(text, name)
        versions += found
        problems += file_problems
    return _per_customer(versions, problems)


def _per_customer(
    versions: list[Version], problems: list[Problem]
) -> dict[str, list[ContractPolicy]]:
    problems += overlap_problems(versions)
    if problems:
        raise ContractError(problems)
    grouped: dict[str, list[Version]] = {}
    for version in versions:
        grouped.setdefault(version.customer, []).append(version)
    return {customer: _resolved(grouped[customer]) for customer in sorted(grouped)}


def contract_files(paths: Iterable[str | Path] | str | Path, problems: list[Problem]) -> list[Path]:
    """The files named, and the contract files of the folders named, in a stable order."""
    if isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in CONTRACT_SUFFIXES)
            if not found:
                problems.append(
                    Problem(str(path), None, FILE, None, "no *.yaml or *.yml files here")
                )
            files += found
        else:
            files.append(path)  # a missing file is reported when it is read
    return files


def _resolved(versions: Iterable[Version]) -> list[ContractPolicy]:
    policies = (resolve_contract(version.model) for version in versions)
    return sorted(policies, key=lambda policy: policy.effective_from_us)
