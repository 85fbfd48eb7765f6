"""Every kind of mistake gives a Problem that names the right line and field."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mittari.errors import ContractError, Problem
from mittari.spec import load_contract

from .conftest import VALID, WriteYaml, line_of, variant

ProblemsOf = Callable[[str], list[Problem]]

# (id, old text, new text, expected field, message fragment, snippet on the expected line)
CASES = [
    (
        "days refused in a duration",
        "within: 8h",
        "within: 1d",
        "spec.metrics.resolution.targets.P2.within",
        "ambiguous in business time",
        "within: 1d",
    ),
    (
        "zero duration",
        "P1: {within: 30m",
        "P1: {within: 0m",
        "spec.metrics.first_response.targets.P1.within",
        "must be positive",
        "within: 0m",
    ),
    (
        "duration without a unit",
        "within: 8h",
        "within: 90",
        "spec.metrics.resolution.targets.P2.within",
        "text with units",
        "within: 90",
    ),
    (
        "target names an undefined calendar",
        "calendar: office\n",
        "calendar: offce\n",
        "spec.metrics.resolution.targets.P2.calendar",
        "unknown calendar 'offce' (did you mean 'office'?)",
        "calendar: offce",
    ),
    (
        "calendar without working time",
        'mon-fri: ["08:00-16:00"]',
        "mon-fri: []",
        "spec.calendars.office",
        "no working time",
        "office:",
    ),
    (
        "calendar without hours",
        '      hours:\n        mon-fri: ["08:00-16:00"]\n',
        "",
        "spec.calendars.office",
        "no working time",
        "office:",
    ),
    (
        "alwaysOpen calendar with hours",
        "alwaysOpen: true",
        'alwaysOpen: true\n      hours: {mon: ["08:00-16:00"]}',
        "spec.calendars.always",
        "open at every instant",
        "always:",
    ),
    (
        "minutes of 60",
        '"08:00-16:00"',
        '"08:00-16:60"',
        "spec.calendars.office.hours.mon-fri.0",
        "minutes must be 00..59",
        "16:60",
    ),
    (
        "hour above 24",
        '"08:00-16:00"',
        '"08:00-25:00"',
        "spec.calendars.office.hours.mon-fri.0",
        "not a time of day",
        "25:00",
    ),
    (
        "start equals end",
        '"08:00-16:00"',
        '"08:00-08:00"',
        "spec.calendars.office.hours.mon-fri.0",
        "must differ",
        "08:00-08:00",
    ),
    (
        "bad closure hours",
        'hours: "12:00-24:00"',
        'hours: "12:00-24:30"',
        "spec.calendars.office.closures.0.hours",
        "not a time of day",
        "24:30",
    ),
    (
        "unknown weekday key",
        "mon-fri:",
        "mon-fry:",
        "spec.calendars.office.hours.mon-fry",
        "unknown weekday 'fry'",
        "mon-fry",
    ),
    (
        "unknown pause status",
        "[pending_customer, pending_vendor]",
        "[pending_customer, waiting_vendor]",
        "spec.metrics.resolution.pauseStatuses.1",
        "unknown status 'waiting_vendor'",
        "waiting_vendor",
    ),
    (
        "unknown status in a condition",
        '"status:pending_vendor"',
        '"status:vendor"',
        "spec.metrics.vendor_wait.start.0",
        "unknown status 'vendor'",
        "status:vendor",
    ),
    (
        "unknown condition",
        '"status:closed"]',
        '"status:closed", "solved"]',
        "spec.metrics.vendor_wait.stop.2",
        "unknown condition 'solved'",
        "solved",
    ),
    (
        "unknown holiday country",
        "country: FI",
        "country: XX",
        "spec.calendars.office.holidays.country",
        "unknown holiday country 'XX'",
        "country: XX",
    ),
    (
        "unknown holiday subdivision",
        "country: FI",
        "country: FI\n        subdivision: ZZ",
        "spec.calendars.office.holidays.subdivision",
        "unknown subdivision 'ZZ' of FI",
        "subdivision: ZZ",
    ),
    (
        "country NO read as false by YAML",
        "country: FI",
        "country: NO",
        "spec.calendars.office.holidays.country",
        "quote it",
        "country: NO",
    ),
    (
        "effective.to before from",
        "to: 2027-01-01",
        "to: 2025-06-01",
        "spec.effective.to",
        "must come after 'from'",
        "to: 2025-06-01",
    ),
    (
        "effective.to equal to from",
        "to: 2027-01-01",
        "to: 2026-01-01",
        "spec.effective.to",
        "must come after 'from'",
        "to: 2026-01-01",
    ),
    (
        "priority key beyond P5",
        "P1: {within: 30m",
        "P6: {within: 30m",
        "spec.metrics.first_response.targets.P6",
        "unknown priority 'P6'",
        "P6:",
    ),
    (
        "bad default priority",
        "  calendars:\n",
        "  defaultPriority: P0\n  calendars:\n",
        "spec.defaultPriority",
        "unknown priority 'P0'",
        "defaultPriority",
    ),
    (
        "unknown time zone",
        "timezone: Europe/Helsinki",
        "timezone: Europe/Helsinky",
        "spec.timezone",
        "did you mean 'Europe/Helsinki'",
        "Helsinky",
    ),
    (
        "unknown field",
        "      reopen: resume\n",
        "      reopen: resume\n      pauseStatus: [new]\n",
        "spec.metrics.resolution.pauseStatus",
        "unknown field 'pauseStatus' (did you mean 'pauseStatuses'?)",
        "pauseStatus:",
    ),
    (
        "missing field falls back to the parent's line",
        "  timezone: Europe/Helsinki\n",
        "",
        "spec.timezone",
        "missing required field 'timezone'",
        "spec:",
    ),
    (
        "start on a stock metric",
        "      reopen: resume\n",
        '      reopen: resume\n      start: ["created"]\n',
        "spec.metrics.resolution.start",
        "applies only to custom metrics",
        'start: ["created"]',
    ),
    (
        "countSystemReplies on resolution",
        "      reopen: resume\n",
        "      reopen: resume\n      countSystemReplies: true\n",
        "spec.metrics.resolution.countSystemReplies",
        "applies only to first_response",
        "countSystemReplies",
    ),
    (
        "custom metric without stop",
        '      stop: ["status:resolved", "status:closed"]\n',
        "",
        "spec.metrics.vendor_wait",
        "needs stop conditions",
        "vendor_wait:",
    ),
    (
        "bad reopen policy",
        "reopen: resume",
        "reopen: again",
        "spec.metrics.resolution.reopen",
        "use 'resume', 'restart' or 'ignore'",
        "reopen: again",
    ),
    (
        "objective above 100",
        "objective: 90%",
        "objective: 101%",
        "spec.metrics.resolution.objective",
        "at most 100",
        "101%",
    ),
    (
        "objective as a fraction",
        "objective: 90%",
        "objective: 0.9",
        "spec.metrics.resolution.objective",
        "write 95%",
        "objective: 0.9",
    ),
    (
        "unquoted numeric version",
        'version: "2026.1"',
        "version: 2026.1",
        "metadata.version",
        "quote it",
        "version: 2026.1",
    ),
    (
        "customer not a slug",
        "customer: acme",
        "customer: Acme Oy",
        "metadata.customer",
        "slug",
        "customer: Acme Oy",
    ),
    (
        "duplicate key",
        "  name: Acme Oy\n",
        "  name: Acme Oy\n  name: Acme Inc\n",
        "metadata.name",
        "duplicate key",
        "Acme Inc",
    ),
    (
        "wrong kind",
        "kind: Contract",
        "kind: Agreement",
        "kind",
        "use 'Contract'",
        "kind:",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "field", "message", "at"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_mistake_names_its_line_and_field(
    problems_of: ProblemsOf, old: str, new: str, field: str, message: str, at: str
) -> None:
    text = variant(old, new)
    problems = problems_of(text)
    assert [(p.field, p.line) for p in problems] == [(field, line_of(text, at.rstrip("\n")))]
    assert message in problems[0].message
    assert problems[0].file.endswith("contract.yaml")


def test_the_valid_contract_has_no_problems(problems_of: ProblemsOf) -> None:
    assert problems_of(VALID) == []


def test_unknown_api_version_is_reported_on_its_line_and_stops_there(
    problems_of: ProblemsOf,
) -> None:
    text = variant("apiVersion: mittari/v1", "apiVersion: mittari/v2")
    text = variant("within: 8h", "within: 8d", text)  # not reported: v2 may allow it
    (problem,) = problems_of(text)
    assert (problem.line, problem.field, problem.value) == (1, "apiVersion", "mittari/v2")
    assert problem.message == "unknown apiVersion 'mittari/v2'; this mittari reads mittari/v1"


def test_missing_api_version(problems_of: ProblemsOf) -> None:
    (problem,) = problems_of(variant("apiVersion: mittari/v1\n", ""))
    assert (problem.line, problem.field) == (1, "apiVersion")
    assert "write apiVersion: mittari/v1" in problem.message


def test_yaml_syntax_error_has_the_line_of_the_error(problems_of: ProblemsOf) -> None:
    text = variant("name: Acme Oy", "name: Acme: Oy")
    (problem,) = problems_of(text)
    assert problem.line == line_of(text, "Acme: Oy")
    assert problem.field == "(yaml)"
    assert problem.message.startswith("invalid YAML")


def test_unclosed_bracket_points_where_it_opened(problems_of: ProblemsOf) -> None:
    text = VALID + '    extra: ["unclosed\n'
    (problem,) = problems_of(text)
    assert problem.line == line_of(text, "unclosed")


def test_a_document_that_is_not_a_mapping(problems_of: ProblemsOf) -> None:
    (problem,) = problems_of("- a list\n- not a contract\n")
    assert (problem.line, problem.field) == (1, "(document)")


def test_an_empty_file(problems_of: ProblemsOf) -> None:
    (problem,) = problems_of("# nothing here\n")
    assert problem.message == "the file holds no contract document"


def test_a_missing_file(write_yaml: WriteYaml) -> None:
    path = write_yaml(VALID).with_name("absent.yaml")
    with pytest.raises(ContractError) as caught:
        load_contract(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (None, "(file)")
    assert "No such file" in problem.message


def test_all_problems_are_reported_at_once(problems_of: ProblemsOf) -> None:
    text = variant("within: 8h", "within: 1d")
    text = variant("calendar: office\n", "calendar: offce\n", text)
    text = variant('"08:00-16:00"', '"08:00-16:60"', text)
    problems = problems_of(text)
    assert [(p.line, p.field) for p in problems] == [
        (line_of(text, "16:60"), "spec.calendars.office.hours.mon-fri.0"),
        (line_of(text, "within: 1d"), "spec.metrics.resolution.targets.P2.within"),
        (line_of(text, "offce"), "spec.metrics.resolution.targets.P2.calendar"),
    ]


def test_load_contract_raises_with_every_problem(write_yaml: WriteYaml) -> None:
    text = variant("within: 8h", "within: 1d")
    text = variant("country: FI", "country: XX", text)
    text = variant("reopen: resume", "reopen: again", text)
    with pytest.raises(ContractError) as caught:
        load_contract(write_yaml(text))
    assert len(caught.value.problems) == 3
    assert "contract.yaml:" in str(caught.value)


def test_problems_in_several_documents_have_their_own_lines(problems_of: ProblemsOf) -> None:
    second = variant('version: "2026.1"', 'version: "2027.1"')
    second = variant("from: 2026-01-01", "from: 2027-01-01", second)
    second = variant("to: 2027-01-01", "to: 2028-01-01", second)
    second = variant("within: 8h", "within: 2d", second)
    text = VALID + "---\n" + second
    (problem,) = problems_of(text)
    assert problem.line == line_of(text, "within: 2d")
