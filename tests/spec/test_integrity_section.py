"""`spec.integrity`: defaults, every threshold resolved, and mistakes reported with lines."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mittari.engine.integrity import IntegrityPolicy
from mittari.errors import ContractError, Problem
from mittari.spec.integrity import parse_share, parse_window
from mittari.spec.integrity_load import load_integrity

from .conftest import VALID, WriteYaml, line_of

ProblemsOf = Callable[[str], list[Problem]]
H = 3600 * 1_000_000  # an hour in µs

FULL = """\
  integrity:
    resolutionMetric: vendor_wait
    responseMetric: first_response
    prematureResolve: {enabled: false, lastShare: 20%, reopenWithin: 1d12h}
    lateDowngrade: {afterUsed: 75%}
    pauseWithoutCause:
      requireQuestion: false
      afterCustomerReply: 5m
      keptAfterReply: 2h
      nearDue: 15
    hollowFirstResponse: {within: 2m, silentFor: 3h}
    cloneToRestart: {lastShare: 25%, successorWithin: 2d, categories: [duplicate, merged]}
    scopeEscape: {categories: [service_request]}
    deadlineBunching: {enabled: false, window: 5%, minResolutions: 30, alpha: 0.5%}
"""


def test_without_the_section_every_default_applies(write_yaml: WriteYaml) -> None:
    (policy,) = load_integrity(write_yaml(VALID)).values()
    assert policy == IntegrityPolicy()  # first resolution and first_response metrics by type


def test_every_field_is_resolved(write_yaml: WriteYaml) -> None:
    policies = load_integrity(write_yaml(VALID + FULL))
    p = policies[("acme", "2026.1")]
    assert (p.resolution_metric, p.response_metric) == ("vendor_wait", "first_response")
    assert not p.premature_resolve.enabled
    assert p.premature_resolve.last_share_pct == 20.0
    assert p.premature_resolve.reopen_within_us == 36 * H
    assert p.late_downgrade.after_used_pct == 75.0
    pause = p.pause_without_cause
    assert (pause.require_question, pause.near_due_pct) == (False, 15.0)
    assert pause.after_customer_reply_us == H // 12
    assert pause.kept_after_reply_business_us == 2 * H
    hollow = p.hollow_first_response
    assert (hollow.within_us, hollow.silent_for_business_us) == (H // 30, 3 * H)
    clone = p.clone_to_restart
    assert (clone.last_share_pct, clone.successor_within_us) == (25.0, 48 * H)
    assert clone.categories == {"duplicate", "merged"}
    assert p.scope_escape.categories == {"service_request"}
    bunching = p.deadline_bunching
    assert not bunching.enabled
    assert (bunching.window_pct, bunching.min_resolutions, bunching.alpha_pct) == (5.0, 30, 0.5)


def test_a_contract_without_stock_metrics_names_none(write_yaml: WriteYaml) -> None:
    text = VALID.replace("type: first_response", "type: custom\n      start: [created]\n"
                         "      stop: [\"reply:agent\"]")  # fmt: skip
    text = text.replace("type: resolution", "type: custom\n      start: [created]\n"
                        "      stop: [\"status:resolved\"]")  # fmt: skip
    (policy,) = load_integrity(write_yaml(text)).values()
    assert (policy.resolution_metric, policy.response_metric) == (None, None)


@pytest.mark.parametrize(
    ("written", "field", "fragment"),
    [
        ("lastShare: 150%", "prematureResolve.lastShare", "at most 100%"),
        ("lastShare: 0.1", "prematureResolve.lastShare", "write 10% if that share is meant"),
        ("lastShare: ten", "prematureResolve.lastShare", "as a percentage"),
        ("reopenWithin: 1w", "prematureResolve.reopenWithin", "e.g. 7d, 36h"),
        ("reopenWithin: 0d", "prematureResolve.reopenWithin", "must be positive"),
        ("enabled: maybe", "prematureResolve.enabled", "boolean"),
    ],
)
def test_bad_values_name_their_line(
    problems_of: ProblemsOf, written: str, field: str, fragment: str
) -> None:
    text = VALID + f"  integrity:\n    prematureResolve:\n      {written}\n"
    (problem,) = problems_of(text)
    assert problem.field == f"spec.integrity.{field}"
    assert fragment in problem.message
    assert problem.line == line_of(text, written)


@pytest.mark.parametrize(
    ("section", "field", "fragment"),
    [
        ("pauseWithoutCause: {keptAfterReply: 1d}", "pauseWithoutCause.keptAfterReply",
         "ambiguous in business time"),
        ("deadlineBunching: {window: 60%}", "deadlineBunching.window", "at most 50%"),
        ("deadlineBunching: {minResolutions: 0}", "deadlineBunching.minResolutions",
         "at least 1"),
        ("scopeEscape: {categories: [3]}", "scopeEscape.categories.0", "quote it"),
        ("scopeEscape: {categoris: [x]}", "scopeEscape.categoris", "did you mean 'categories'"),
    ],
)  # fmt: skip
def test_bad_sections_name_their_field(
    problems_of: ProblemsOf, section: str, field: str, fragment: str
) -> None:
    text = VALID + f"  integrity:\n    {section}\n"
    (problem,) = problems_of(text)
    assert problem.field == f"spec.integrity.{field}"
    assert fragment in problem.message
    assert problem.line == line_of(text, section)


def test_an_unknown_metric_is_reported_at_the_section(problems_of: ProblemsOf) -> None:
    text = VALID + "  integrity:\n    resolutionMetric: resolutoin\n"
    (problem,) = problems_of(text)
    assert problem.field == "spec.integrity"
    assert "resolutionMetric: unknown metric 'resolutoin' (did you mean 'resolution'?)" in str(
        problem
    )
    assert problem.line == line_of(text, "integrity:")


def test_loading_refuses_an_invalid_file(write_yaml: WriteYaml) -> None:
    with pytest.raises(ContractError):
        load_integrity(write_yaml(VALID + "  integrity:\n    lateDowngrade: {afterUsed: 0}\n"))


def test_windows_and_shares() -> None:
    assert parse_window("7d") == 7 * 86400
    assert parse_window("1d 12h") == 36 * 3600
    assert parse_window("90s") == 90
    assert parse_share("12.5%") == 12.5 and parse_share(40) == 40.0
