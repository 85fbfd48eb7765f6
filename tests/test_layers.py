"""The layering of DESIGN.md, checked on the source: an inner layer never imports an outer one,
and the engine imports only numpy, the standard library and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mittari"
LAYERS = ["engine", "spec", "importers", "db", "services", "api", "web", "cli", "reports"]
# The outer four are peers over services; of each other they may use only these (no cycles):
# the dashboard uses the API's app and the report's renderer, the CLI may use any of them.
PEERS = {
    "api": set(),
    "reports": set(),
    "web": {"api", "reports"},
    "cli": {"api", "web", "reports"},
}
# Modules every layer may use: the error tree (stdlib only) and the package marker.
SHARED = {"mittari", "mittari.errors"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(layer: str) -> list[Path]:
    return sorted((SRC / layer).rglob("*.py")) if (SRC / layer).exists() else []


@pytest.mark.parametrize("path", modules("engine"), ids=lambda p: p.name)
def test_engine_imports_only_numpy_and_stdlib(path: Path) -> None:
    for name in imports_of(path):
        top = name.split(".")[0]
        allowed = (
            top in sys.stdlib_module_names or top == "numpy" or name.startswith("mittari.engine")
        )
        assert allowed, f"{path.relative_to(SRC)} imports {name}"


def test_errors_module_is_stdlib_only() -> None:
    for name in imports_of(SRC / "errors.py"):
        top = name.split(".")[0]
        assert top in sys.stdlib_module_names or name.startswith("mittari.engine.errors"), name


@pytest.mark.parametrize("inner", LAYERS)
def test_inner_layer_never_imports_an_outer_one(inner: str) -> None:
    outer = set(LAYERS[LAYERS.index(inner) + 1 :]) | set(PEERS) - {inner}
    outer -= PEERS.get(inner, set())
    for path in modules(inner):
        for name in imports_of(path):
            if name in SHARED or not name.startswith("mittari."):
                continue
            layer = name.split(".")[1]
            assert layer not in outer, f"{path.relative_to(SRC)} ({inner}) imports {name}"


def test_every_engine_module_is_checked() -> None:
    assert len(modules("engine")) >= 5  # types, errors, calendar, clock, compliance
