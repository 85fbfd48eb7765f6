"""Schemathesis against the app's own OpenAPI: generated requests on every operation, each
response checked against the spec (status codes, content types, bodies) and for 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from tests.api.conftest import World, make_world
from tests.db.conftest import drop_database


@pytest.fixture(scope="module")
def fuzz_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    made = make_world("sqlite", tmp_path_factory.mktemp("fuzz"))
    yield made
    drop_database(made.engine)


@pytest.fixture(scope="module")
def api_schema(fuzz_world: World) -> schemathesis.BaseSchema:
    loaded = schemathesis.openapi.from_asgi("/openapi.json", fuzz_world.app)
    # the stream runs until the client leaves (its one-snapshot form is tested with the
    # personas), and revoking random token ids would revoke the fuzzer's own token
    return loaded.exclude(path="/api/v1/at-risk/stream").exclude(
        path="/api/v1/tokens/{token_id}", method="DELETE"
    )


def test_every_operation_answers_as_its_spec_says(
    api_schema: schemathesis.BaseSchema, fuzz_world: World
) -> None:
    # schemathesis' own pytest plugin does not load under this pytest: each operation's
    # strategy is driven by Hypothesis here instead, with the same checks
    headers = {"Authorization": f"Bearer {fuzz_world.tokens['admin']}"}
    tested = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def conforms(case: schemathesis.Case) -> None:
            # Rules beyond the schema (a viewer token names a known customer; a contract
            # must be valid YAML for mittari) rightly refuse some schema-valid requests, so
            # `positive_data_acceptance` is off; every other check runs.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        conforms()
        tested += 1
    assert tested >= 20


def test_the_spec_names_every_route(fuzz_world: World) -> None:
    from mittari.api.app import route_table

    spec = fuzz_world.app.openapi()
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    # the survey pages are HTML for people, left out of the schema (routes/surveys.py)
    pages = {("GET", "/s/{token}"), ("POST", "/s/{token}")}
    pages |= {("GET", "/p/{token}"), ("POST", "/p/{token}")}  # and the pulse's (routes/pulse.py)
    # and the dashboard (mittari.web): pages under /ui/ and the redirect of / to it
    routes = {(m, p) for m, p in route_table(fuzz_world.app) if not p.startswith("/ui/")}
    assert routes - pages - {("GET", "/")} == documented
