"""Who may call what: every route of the app, for every persona (generated from the route
table, so a new route fails here until it is given its access rule).

A viewer of customer B never sees anything of customer A: not in a body, a list, a count,
an error or an SSE event; A's resources answer B's viewer exactly as a missing one would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from tests.api.conftest import A_TICKETS, B_TICKETS, CONTRACTS, A, B, World

from mittari.api.app import route_table
from mittari.db import repository as repo
from mittari.services.tokens import create_token

PERSONAS = ("admin", "analyst", "viewer_a", "viewer_b", None)


@dataclass
class Rule:
    kind: str  # public, customer_read, global_read, admin_read, customer_write, admin_write
    params: Callable[[World], dict[str, Any]] = lambda w: {}
    body: Callable[[World], Any] = lambda w: None
    query: dict[str, Any] = field(default_factory=dict)
    content_type: str | None = None


def _run_id(world: World) -> dict[str, Any]:
    with world.engine.connect() as conn:
        return {"run": repo.runs(conn, repo.customer_id(conn, A) or -1)[-1].id}


def _throwaway_token(world: World) -> dict[str, Any]:
    return {"token_id": create_token(world.engine, "throwaway", "provider-analyst", None)[1]}


def _hook(world: World) -> dict[str, Any]:
    client = world.client("admin")
    created = client.post("/api/v1/hooks", json={"url": "http://127.0.0.1:9/hook"})
    assert created.status_code == 201, created.text
    return {"hook_id": created.json()["id"]}


RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/health"): Rule("public"),
    ("GET", "/"): Rule("public"),  # a redirect to the dashboard
    ("GET", "/ui/login"): Rule("public"),
    ("POST", "/ui/login"): Rule("public"),
    ("POST", "/ui/logout"): Rule("public"),
    ("GET", "/ui/"): Rule("page_global"),
    ("GET", "/ui/{customer}/"): Rule("page_customer"),
    ("GET", "/ui/{customer}/report"): Rule("page_customer", query={"format": "html"}),
    ("GET", "/ui/{customer}/at-risk"): Rule("page_customer"),
    ("GET", "/ui/at-risk"): Rule("page_global"),  # a viewer goes to its own customer's
    ("GET", "/ui/{customer}/tickets"): Rule("page_customer"),
    ("GET", "/ui/{customer}/tickets/{ticket}"): Rule(
        "page_customer", params=lambda w: {"ticket": "INC-1002"}
    ),
    ("GET", "/ui/{customer}/honest"): Rule("page_customer", query={"month": "2025-03"}),
    ("GET", "/ui/{customer}/recurring"): Rule("page_customer"),
    ("GET", "/ui/{customer}/comments"): Rule("page_customer", query={"month": "all"}),
    ("GET", "/ui/{customer}/contracts"): Rule("page_customer"),
    ("GET", "/ui/{customer}/contracts/what-if"): Rule("page_customer", query={"month": "2025-03"}),
    ("POST", "/webhooks/{source}/{customer}"): Rule("public"),
    ("POST", "/webhooks/alertmanager/{customer}"): Rule("public"),
    ("GET", "/s/{token}"): Rule("public"),  # the token is the credential
    ("POST", "/s/{token}"): Rule("public"),
    ("GET", "/p/{token}"): Rule("public"),  # the pulse: the token is the credential
    ("POST", "/p/{token}"): Rule("public"),
    ("GET", "/api/v1/customers"): Rule("global_read"),
    ("GET", "/api/v1/at-risk"): Rule("global_read"),
    ("GET", "/api/v1/at-risk/stream"): Rule("global_read", query={"follow": "false"}),
    ("GET", "/api/v1/customers/{customer}"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/services"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/contracts"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/tickets"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/tickets/{ticket}"): Rule(
        "customer_read", params=lambda w: {"ticket": "OPEN-A"}
    ),
    ("GET", "/api/v1/customers/{customer}/runs"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/runs/{run}/measurements"): Rule(
        "customer_read", params=_run_id
    ),
    ("GET", "/api/v1/customers/{customer}/compliance"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/notifications"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/at-risk"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/integrity"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/availability"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/credits"): Rule(
        "customer_read", query={"month": "2025-03"}
    ),
    ("GET", "/api/v1/customers/{customer}/recurring"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/outages"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/experience"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/xla"): Rule("customer_read"),
    ("GET", "/api/v1/customers/{customer}/watermelon"): Rule("customer_read"),
    ("POST", "/api/v1/customers/{customer}/contracts"): Rule(
        "customer_write",
        body=lambda w: (CONTRACTS / f"{A}.yaml").read_text(),
        content_type="application/yaml",
    ),
    ("POST", "/api/v1/customers/{customer}/runs"): Rule("customer_write"),
    ("POST", "/api/v1/customers/{customer}/tickets/{ticket}/survey"): Rule(
        "customer_write", params=lambda w: {"ticket": "OPEN-A"}
    ),
    ("PUT", "/api/v1/customers/{customer}/webhooks/{source}"): Rule(
        "customer_write", params=lambda w: {"source": "jira"}, body=lambda w: {}
    ),
    ("GET", "/api/v1/tokens"): Rule("admin_read"),
    ("POST", "/api/v1/tokens"): Rule(
        "admin_write", body=lambda w: {"name": "x", "role": "provider-analyst"}
    ),
    ("DELETE", "/api/v1/tokens/{token_id}"): Rule("admin_write", params=_throwaway_token),
    ("GET", "/api/v1/hooks"): Rule("admin_read"),
    ("POST", "/api/v1/hooks"): Rule("admin_write", body=lambda w: {"url": "http://127.0.0.1:9/x"}),
    ("DELETE", "/api/v1/hooks/{hook_id}"): Rule("admin_write", params=_hook),
    ("GET", "/api/v1/hooks/{hook_id}/deliveries"): Rule("admin_read", params=_hook),
}

EXPECTED = {  # persona → status for each kind (None: anonymous)
    "customer_read": {"admin": 200, "analyst": 200, "viewer_a": 200, "viewer_b": 404, None: 401},
    "global_read": {"admin": 200, "analyst": 200, "viewer_a": 200, "viewer_b": 200, None: 401},
    "admin_read": {"admin": 200, "analyst": 403, "viewer_a": 403, "viewer_b": 403, None: 401},
    "customer_write": {"admin": 2, "analyst": 403, "viewer_a": 403, "viewer_b": 403, None: 401},
    "admin_write": {"admin": 2, "analyst": 403, "viewer_a": 403, "viewer_b": 403, None: 401},
    # dashboard pages: anonymous goes to the login form; an unseen customer is an HTML 404
    "page_customer": {"admin": 200, "analyst": 200, "viewer_a": 200, "viewer_b": 404, None: 303},
    "page_global": {"admin": 200, "analyst": 200, "viewer_a": 303, "viewer_b": 303, None: 303},
}


def routes(world: World) -> list[tuple[str, str]]:
    return route_table(world.app)


def test_every_route_has_an_access_rule(world: World) -> None:
    missing = [r for r in routes(world) if r not in RULES]
    assert not missing, f"add these routes to RULES with their access rule: {missing}"
    assert not [r for r in RULES if r not in routes(world)], "RULES names routes that are gone"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_its_access_on_every_route(
    world: World, persona: str | None
) -> None:
    failures = []
    for method, path in routes(world):
        rule = RULES[(method, path)]
        if rule.kind == "public":
            continue
        response = call(world, persona, method, path, rule)
        want = EXPECTED[rule.kind][persona]
        got = response.status_code
        ok = (200 <= got < 300) if want == 2 else got == want
        if not ok:
            failures.append(f"{persona} {method} {path}: {got} (want {want}) {response.text[:200]}")
        failures += leaks(persona, method, path, response.text)
        if persona is not None and got in (401, 403, 404):
            kind = "text/html" if rule.kind.startswith("page_") else "application/problem+json"
            assert response.headers["content-type"].startswith(kind), (method, path)
        if got == 303 and persona is None:
            assert response.headers["location"].startswith("/ui/login?next="), (method, path)
    assert not failures, "\n".join(failures)


def call(world: World, persona: str | None, method: str, path: str, rule: Rule) -> Any:
    params = {"customer": A, **rule.params(world)}
    url = path.format(**params)
    body = rule.body(world)
    client = world.client(persona)
    client.follow_redirects = False  # a page answers anonymous with a redirect to log in
    if rule.content_type is not None:
        headers = {"content-type": rule.content_type}
        return client.request(method, url, content=body, headers=headers, params=rule.query)
    if body is not None:
        return client.request(method, url, json=body, params=rule.query)
    return client.request(method, url, params=rule.query)


def leaks(persona: str | None, method: str, path: str, text: str) -> list[str]:
    """What of the other customer a viewer's response shows (nothing, or a failure)."""
    others = {"viewer_a": (B, *B_TICKETS), "viewer_b": (A, *A_TICKETS)}.get(persona or "", ())
    return [f"{persona} {method} {path} shows {word!r}" for word in others if word in text]


def test_an_unseen_customer_answers_like_a_missing_one(world: World) -> None:
    client = world.client("viewer_b")
    unseen = client.get(f"/api/v1/customers/{A}/tickets")
    missing = client.get("/api/v1/customers/no-such-customer/tickets")
    assert unseen.status_code == missing.status_code == 404
    assert unseen.json() == missing.json()


def test_lists_and_counts_hold_only_the_viewers_customer(world: World) -> None:
    page = world.client("viewer_b").get("/api/v1/customers").json()
    assert (page["total"], [c["key"] for c in page["items"]]) == (1, [B])
    everyone = world.client("analyst").get("/api/v1/customers").json()
    assert {c["key"] for c in everyone["items"]} == {A, B}
    feed = world.client("viewer_b").get("/api/v1/at-risk").json()
    assert feed and {row["customer"] for row in feed} == {B}
    both = world.client("admin").get("/api/v1/at-risk").json()
    assert {row["customer"] for row in both} == {A, B}


def test_a_viewers_stream_carries_only_its_customer(world: World) -> None:
    for persona, mine, theirs in (("viewer_a", A, B), ("viewer_b", B, A)):
        text = world.client(persona).get("/api/v1/at-risk/stream", params={"follow": "false"}).text
        assert f'"customer":"{mine}"' in text and theirs not in text
        assert "event: clock" in text


def test_a_revoked_token_stops_working_at_once(world: World) -> None:
    token, token_id = create_token(world.engine, "short-lived", "customer-viewer", B)
    client = world.client(None)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/customers", headers=headers).status_code == 200
    admin = world.client("admin")
    assert admin.delete(f"/api/v1/tokens/{token_id}").status_code == 204
    assert client.get("/api/v1/customers", headers=headers).status_code == 401
    listed = {t["id"]: t for t in admin.get("/api/v1/tokens").json()}
    assert listed[token_id]["revoked_at"] and listed[token_id]["last_used_at"]
    assert token not in admin.get("/api/v1/tokens").text  # only hashes are kept
