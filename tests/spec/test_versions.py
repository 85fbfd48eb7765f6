"""Several documents in a file are versions; versions of one customer must not overlap."""

from __future__ import annotations

from pathlib import Path

import pytest

from mittari.errors import ContractError
from mittari.spec import check_contract, load_contract, load_contracts

from .conftest import VALID, WriteYaml, line_of, variant


def version(label: str, start: str, end: str | None, customer: str = "acme") -> str:
    text = variant('version: "2026.1"', f'version: "{label}"')
    text = variant("customer: acme", f"customer: {customer}", text)
    text = variant("from: 2026-01-01", f"from: {start}", text)
    to = "" if end is None else f"    to: {end}\n"
    return variant("    to: 2027-01-01\n", to, text)


def test_versions_load_sorted_by_effective_from(write_yaml: WriteYaml) -> None:
    text = "---\n".join(
        [
            version("2026", "2026-01-01", None),
            version("2024", "2024-01-01", "2025-01-01"),
            version("2025", "2025-01-01", "2026-01-01"),
        ]
    )
    policies = load_contract(write_yaml(text))
    assert [p.version for p in policies] == ["2024", "2025", "2026"]
    assert policies[0].effective_to_us == policies[1].effective_from_us


def test_gaps_between_versions_are_allowed(write_yaml: WriteYaml) -> None:
    text = version("a", "2024-01-01", "2024-06-01") + "---\n" + version("b", "2025-01-01", None)
    assert len(load_contract(write_yaml(text))) == 2


def test_empty_documents_are_skipped(write_yaml: WriteYaml) -> None:
    assert len(load_contract(write_yaml("---\n" + VALID + "---\n"))) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("2025-01-01", "2026-02-01"), ("2026-01-01", None)),
        (("2025-01-01", None), ("2026-01-01", "2027-01-01")),
        (("2026-01-01", "2027-01-01"), ("2026-01-01", "2026-06-01")),
    ],
)
def test_overlapping_versions_are_a_problem_on_the_later_from(
    write_yaml: WriteYaml,
    first: tuple[str, str | None],
    second: tuple[str, str | None],
) -> None:
    later = version("later", *second)
    text = version("earlier", *first) + "---\n" + later
    (problem,) = check_contract(write_yaml(text))
    offset = text.count("\n") - later.count("\n")
    assert problem.field == "spec.effective.from"
    assert problem.line == offset + line_of(later, "from:")
    assert "overlaps version 'earlier' of customer 'acme'" in problem.message


def test_an_open_version_overlapping_two_later_ones_is_reported_for_each(
    write_yaml: WriteYaml,
) -> None:
    text = "---\n".join(
        [
            version("open", "2024-01-01", None),
            version("b", "2025-01-01", "2026-01-01"),
            version("c", "2026-01-01", None),
        ]
    )
    problems = check_contract(write_yaml(text))
    assert [p.message.split(" of customer")[0] for p in problems] == [
        "version 'b' overlaps version 'open'",
        "version 'c' overlaps version 'open'",
    ]


def test_versions_of_different_customers_may_overlap(write_yaml: WriteYaml) -> None:
    text = VALID + "---\n" + version("2026.1", "2026-01-01", None, customer="beta")
    assert check_contract(write_yaml(text)) == []


def test_a_version_label_used_twice(write_yaml: WriteYaml) -> None:
    text = version("x", "2024-01-01", "2025-01-01") + "---\n" + version("x", "2025-01-01", None)
    (problem,) = check_contract(write_yaml(text))
    assert problem.field == "metadata.version"
    assert "also defined at" in problem.message


def test_load_contracts_groups_versions_per_customer(tmp_path: Path) -> None:
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "acme-2025.yaml").write_text(version("2025", "2025-01-01", "2026-01-01"))
    (folder / "acme-2026.yml").write_text(version("2026", "2026-01-01", None))
    (folder / "notes.txt").write_text("not a contract")
    beta = tmp_path / "beta.yaml"
    beta.write_text(version("1", "2020-01-01", None, customer="beta"))
    loaded = load_contracts([folder, beta])
    assert list(loaded) == ["acme", "beta"]
    assert [p.version for p in loaded["acme"]] == ["2025", "2026"]
    assert [p.version for p in loaded["beta"]] == ["1"]


def test_load_contracts_checks_overlaps_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(version("2025", "2025-01-01", None))
    (tmp_path / "b.yaml").write_text(version("2026", "2026-01-01", None))
    with pytest.raises(ContractError) as caught:
        load_contracts(tmp_path)
    (problem,) = caught.value.problems
    assert problem.file.endswith("b.yaml")
    assert "a.yaml" in problem.message


def test_load_contracts_reports_problems_of_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(variant("within: 8h", "within: 8d"))
    (tmp_path / "b.yaml").write_text(
        variant("country: FI", "country: XX", version("b", "2020-01-01", None, "b"))
    )
    with pytest.raises(ContractError) as caught:
        load_contracts([tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "empty"])
    files = [Path(p.file).name for p in caught.value.problems]
    assert files == ["a.yaml", "b.yaml", "empty"]


def test_load_contracts_of_a_folder_without_contracts(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match=r"no \*.yaml or \*.yml files"):
        load_contracts(tmp_path)
