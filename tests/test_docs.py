"""Docs that are tested: the CLI reference is generated from the commands."""

from __future__ import annotations

from pathlib import Path

from mittari.cli.docs import reference

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == reference(), "run: python -m mittari.cli.docs > docs/cli.md"


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("check", "compute", "compliance", "demo"):
        assert f"mittari {command}" in readme
