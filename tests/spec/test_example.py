"""The shipped example contract loads, and its README documents every field of the format."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from mittari.engine.types import PriorityRule
from mittari.spec import check_contract, load_contract
from mittari.spec.fields import all_field_paths

EXAMPLES = Path(__file__).parents[2] / "examples" / "contracts"


def test_example_has_no_problems() -> None:
    assert check_contract(EXAMPLES / "acme.yaml") == []


def test_example_has_two_versions_with_a_tightened_p2() -> None:
    v2025, v2026 = load_contract(EXAMPLES / "acme.yaml")
    assert (v2025.version, v2026.version) == ("2025.1", "2026.1")
    assert v2025.effective_to_us == v2026.effective_from_us
    assert v2026.effective_to_us is None
    old, new = ({m.name: m for m in v.metrics} for v in (v2025, v2026))
    assert set(old) == set(new) == {"first_response", "resolution", "vendor_wait"}
    for name in ("first_response", "resolution"):
        assert new[name].targets[2].seconds < old[name].targets[2].seconds
    assert new["resolution"].priority_rule == PriorityRule.HIGHEST


def test_example_calendars() -> None:
    _, v2026 = load_contract(EXAMPLES / "acme.yaml")
    office, always = v2026.calendars["office"], v2026.calendars["always"]
    assert office.timezone == "Europe/Helsinki"
    assert office.weekly[:5] == (((480, 960),),) * 5 and office.weekly[5:] == ((), ())
    assert {date(2026, 12, 6), date(2026, 12, 24)} <= office.holidays(2026)
    assert office.closures == ((date(2026, 4, 30), 720, 1440),)
    assert always.always_open
    p1 = {m.name: m.targets[1].calendar for m in v2026.metrics}
    assert set(p1.values()) == {"always"}


def test_readme_documents_every_field() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Za-z]+)`", readme))
    missing = {path.split(".")[-1] for path in all_field_paths()} - documented
    assert not missing, f"fields missing from examples/contracts/README.md: {sorted(missing)}"
