"""`mittari pulse open`, `invite` (through a real SMTP server, aiosmtpd) and `results`,
end to end on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from tests.db.conftest import BACKENDS, drop_database, fresh_database
from tests.smtp import Inbox, free_port, smtp_env
from typer.testing import CliRunner

from mittari.cli.main import app
from mittari.db import repository as repo
from mittari.services.pulse import PulseForm, answer


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    engine, url = fresh_database(request.param, str(tmp_path))
    yield url
    drop_database(engine)


def run(url: str, *args: str, port: int = 25) -> tuple[int, str]:
    env = {"MITTARI_DATABASE_URL": url, **smtp_env(port)}
    env["MITTARI_SURVEY_BASE_URL"] = "https://mittari.example.test"
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def _tokens(box: Inbox) -> list[str]:
    found = []
    for message in box.messages:
        assert isinstance(message, EmailMessage)
        words = message.get_content().split()
        link = next(w for w in words if w.startswith("https://mittari.example.test/p/"))
        found.append(link.split("/p/")[1].split("?")[0])
    return found


def test_open_invite_answer_and_results(url: str, tmp_path: Path, inbox: tuple[Inbox, int]) -> None:
    box, port = inbox
    assert run(url, "db", "upgrade")[0] == 0
    from mittari.db.connect import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            repo.customer_ids(conn, ["acme"], create=True)
        opened = ["pulse", "open", "--customer", "acme", "--kind", "relationship"]
        code, out = run(url, *opened, "--period", "2026-Q4", "--closes", "2099-12-31")
        assert code == 0 and out.startswith("round 1: relationship pulse of acme, 2026-Q4"), out
        assert "until 2100-01-01T00:00:00+00:00" in out
        code, out = run(url, *opened, "--period", "2026-Q4", "--closes", "2099-12-31")
        assert code == 1 and "already has a relationship round 2026-Q4" in out
        people = tmp_path / "contacts.csv"
        people.write_text(
            "email,language\nanna@example.test,en\nbo@example.test,\nnot-an-address,\n"
        )
        invite = ["pulse", "invite", "--round", "1", str(people)]
        code, out = run(url, *invite, "--language", "sv", port=port)
        assert code == 1, out  # a line had a problem; the others were sent
        assert "contacts.csv:4: email: not an e-mail address" in out
        assert "round 1: 2 sent, 0 already invited, 0 refused, 1 lines with a problem" in out
        assert [m["Subject"][:3] for m in box.messages] == ["How", "Hur"]  # bo: --language sv
        code, out = run(url, *invite, port=port)
        assert "0 sent, 2 already invited" in out and len(box.messages) == 2
        first, second = _tokens(box)
        assert answer(engine, first, PulseForm(recommend=10, understand=4)) == "open"
        assert answer(engine, second, PulseForm(recommend=4, understand=2, prevent=5)) == "open"
    finally:
        engine.dispose()
    written = tmp_path / "pulse.csv"
    code, out = run(url, "pulse", "results", "--customer", "acme", "-o", str(written))
    assert code == 0, out
    header, _, row = out.splitlines()[:3]  # a rule under the header
    assert header.split() == [
        "round",
        "kind",
        "period",
        "invited",
        "responses",
        "response_rate_pct",
        "nps",
        "pulse_understand",
        "pulse_understand_mean",
        "pulse_prevent",
        "pulse_prevent_mean",
        "team_measured_well",
        "team_measured_well_mean",
    ]
    # 2 of 2 answered; NPS (1 - 1) / 2; understand 4 and 2: 50 %, mean 3; prevent 5 alone
    counts = ["1", "relationship", "2026-Q4", "2", "2", "100.0"]
    assert row.split() == [*counts, "0.0", "50.0", "3.0", "100.0", "5.0"]
    assert written.read_text(encoding="utf-8").startswith('"round","kind","period"')
    code, out = run(url, "pulse", "results", "--customer", "acme", "--period", "2027-Q1")
    assert code == 0 and "no pulse rounds of acme in 2027-Q1" in out


def test_bad_options_are_named(url: str, tmp_path: Path) -> None:
    run(url, "db", "upgrade")
    base = ["pulse", "open", "--kind", "team", "--period", "2026-Q4"]
    code, out = run(url, *base, "--customer", "nobody", "--closes", "2099-12-31")
    assert code == 1 and "customer: unknown customer" in out
    people = tmp_path / "p.txt"
    people.write_text("a@example.test\n")
    code, out = run(url, "pulse", "invite", "--round", "7", str(people))
    assert code == 1 and "round: no such pulse round (value 7)" in out


def test_an_unreachable_mail_server_is_an_error(url: str, tmp_path: Path) -> None:
    run(url, "db", "upgrade")
    from mittari.db.connect import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        repo.customer_ids(conn, ["acme"], create=True)
    engine.dispose()
    base = ["pulse", "open", "--customer", "acme", "--kind", "team", "--period", "2026-Q4"]
    assert run(url, *base, "--closes", "2099-12-31")[0] == 0
    closed = free_port()  # nothing listens there
    people = tmp_path / "p.txt"
    people.write_text("a@example.test\n")
    code, out = run(url, "pulse", "invite", "--round", "1", str(people), port=closed)
    assert code == 1 and f"the mail server 127.0.0.1:{closed} failed" in out
