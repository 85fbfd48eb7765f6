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
    for command in (
        "check",
        "compute",
        "compliance",
        "demo",
        "import",
        "measure",
        "serve",
        "token",
    ):
        assert f"mittari {command}" in readme


def test_every_setting_is_documented() -> None:
    from mittari.api.settings import Settings

    documented = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`MITTARI_{name.upper()}`" in documented, f"document MITTARI_{name.upper()}"
