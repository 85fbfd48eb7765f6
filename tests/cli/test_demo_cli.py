"""`mittari demo --no-serve`: what a newcomer reads, and the token it prints opens the site
that `mittari demo` serves (the same `create_site` over the demo's store)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mittari.api.settings import Settings
from mittari.cli.main import app
from mittari.services.demo_data import DEMO_CUSTOMERS
from mittari.web.site import create_site

runner = CliRunner()
END = "2026-11-24T03:00:00+00:00"


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    workdir = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["demo", "--no-serve", "--workdir", str(workdir), "--as-of", END])
    assert result.exit_code == 0, result.output
    return result.output, workdir


def test_the_output_tells_the_stories(shown: tuple[str, Path]) -> None:
    output, _ = shown
    assert "a year of an MSP with five customers to 2026-11-24 03:00 UTC (seed 7)" in output
    for customer in DEMO_CUSTOMERS:
        assert re.search(rf"^  {customer.slug} +\d+", output, re.MULTILINE), customer.slug
    for line in (
        "  watermelon: kalliokone: SLAs met in",
        "  reverse watermelon: saaristo: SLA missed in",
        "  gamed clock: lakeus: resolution reported",
        "  recurring fault: revontuli / WMS: “Keräilylistat eivät",
        "  service credits: revontuli 2026-08: 3,600.00 EUR due (WMS uptime",
    ):
        assert line in output, line
    assert "Dashboard: http://127.0.0.1:8000/ui/" in output
    assert "Serving" not in output  # --no-serve


def test_the_printed_tokens_open_the_served_site(shown: tuple[str, Path]) -> None:
    output, workdir = shown
    admin = re.search(r"provider admin \(every customer\): (mit_\S+)", output)
    viewer = re.search(r"customer viewer \(kalliokone only\): (mit_\S+)", output)
    assert admin and viewer
    site = create_site(Settings(database_url=f"sqlite:///{workdir / 'mittari.db'}", notifier=False))
    with TestClient(site) as client:
        assert client.get("/ui/login").status_code == 200
        for token, total in ((admin[1], 5), (viewer[1], 1)):
            got = client.get("/api/v1/customers", headers={"Authorization": f"Bearer {token}"})
            assert (got.status_code, got.json()["total"]) == (200, total)
    assert admin[1] in (workdir / "tokens.txt").read_text()


def test_an_end_without_an_offset_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["demo", "--no-serve", "--workdir", str(tmp_path), "--as-of", "2026-11-24T03:00"]
    )
    assert result.exit_code != 0 and "no UTC offset" in result.output
    result = runner.invoke(
        app, ["demo", "--no-serve", "--workdir", str(tmp_path), "--as-of", "2024-06-01T00:00Z"]
    )
    assert result.exit_code == 1 and "from 2025-01-01 on" in result.output
    assert not (tmp_path / "mittari.db").exists()
