"""Pulse rounds, invitations, answers and results in the store, on both backends; the
invitations mailed through a real SMTP server (aiosmtpd, started here)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from tests.smtp import Inbox, free_port, mail, serving

from mittari.db import repository as repo
from mittari.db.models import Feedback, PulseInvitation, PulseRound
from mittari.errors import InputError
from mittari.services.experience import customer_experience
from mittari.services.pulse import (
    PulseForm,
    Recipient,
    answer,
    issue_link,
    open_link,
    open_round,
    read_recipients,
    recipient_hash,
    send_invitations,
)
from mittari.services.pulse_results import results
from mittari.services.surveys import Mail, token_hash

CUSTOMER = "acme"
NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
IN_ROUND = NOW + timedelta(days=3)


@pytest.fixture
def world(db: Engine) -> Engine:
    with db.begin() as conn:
        repo.customer_ids(conn, [CUSTOMER, "other"], create=True)
    return db


def _round(engine: Engine, kind: str = "relationship", period: str = "2026-Q4") -> int:
    return open_round(engine, CUSTOMER, kind, period, closes="2026-12-31", now=NOW).id


def _token(path: str) -> str:
    return path.removeprefix("/p/")


def _link(engine: Engine, round_id: int, address: str) -> str:
    issued = issue_link(engine, round_id, address, "en")
    assert issued is not None
    return _token(issued.path)


def _stored(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        query = select(
            Feedback.survey,
            Feedback.question,
            Feedback.scale,
            Feedback.score,
            Feedback.factors,
            Feedback.comment,
            Feedback.pulse_round_id,
            Feedback.ticket_id,
        ).order_by(Feedback.id)
        return [tuple(r) for r in conn.execute(query)]


def test_a_round_is_one_per_customer_kind_and_period(world: Engine) -> None:
    made = open_round(world, CUSTOMER, "team", "2026-Q4", closes="2026-12-31", now=NOW)
    # a closing date is the last day open: the round closes at the next midnight (UTC here)
    assert made.closes_at == datetime(2027, 1, 1, tzinfo=UTC) and made.opens_at == NOW
    with pytest.raises(InputError, match="already has a team round 2026-Q4"):
        open_round(world, CUSTOMER, "team", "2026-Q4", closes="2026-12-31", now=NOW)
    other = open_round(world, CUSTOMER, "relationship", "2026-Q4", closes="2026-12-31", now=NOW)
    assert other.id != made.id


def test_dates_are_the_customers_local_days(world: Engine) -> None:
    made = open_round(
        world,
        CUSTOMER,
        "relationship",
        "2026-Q4",
        opens="2026-10-05",
        closes="2026-12-31",
        timezone="Europe/Helsinki",
        now=NOW,
    )
    assert made.opens_at == datetime(2026, 10, 4, 21, 0, tzinfo=UTC)  # EEST, +03:00
    assert made.closes_at == datetime(2026, 12, 31, 22, 0, tzinfo=UTC)  # EET, +02:00


@pytest.mark.parametrize(
    ("kind", "period", "closes", "field"),
    [
        ("friendship", "2026-Q4", "2026-12-31", "kind"),
        ("team", "2026 Q4", "2026-12-31", "period"),
        ("team", "2026-Q4", "31.12.2026", "closes"),
        ("team", "2026-Q4", "2026-12-31T00:00:00", "closes"),  # an instant needs its offset
        ("team", "2026-Q4", "2026-09-01", "closes"),  # before now
    ],
)
def test_a_bad_round_is_refused_naming_the_field(
    world: Engine, kind: str, period: str, closes: str, field: str
) -> None:
    with pytest.raises(InputError) as caught:
        open_round(world, CUSTOMER, kind, period, closes=closes, now=NOW)
    [problem] = caught.value.problems
    assert problem.field == field and problem.value == {"kind": kind, "period": period}.get(
        field, closes
    )


def test_an_unknown_customer_is_refused(world: Engine) -> None:
    with pytest.raises(InputError, match="unknown customer"):
        open_round(world, "nobody", "team", "2026-Q4", closes="2026-12-31", now=NOW)


def test_the_store_keeps_hashes_only_and_one_link_per_address_and_round(world: Engine) -> None:
    first, second = _round(world), _round(world, "team")
    issued = issue_link(world, first, "Anna.Virtanen@example.test", "sv")
    assert issued is not None and issued.language == "sv"
    token = _token(issued.path)
    assert len(token) >= 43 and "anna" not in issued.path.lower()
    assert issue_link(world, first, " anna.virtanen@EXAMPLE.test") is None  # the same address
    assert issue_link(world, second, "anna.virtanen@example.test") is not None  # another round
    with world.connect() as conn:
        stored = conn.execute(select(PulseInvitation.__table__)).mappings().all()
        salt = conn.scalar(select(PulseRound.salt).where(PulseRound.id == first))
    assert stored[0]["token_hash"] == token_hash(token)
    assert stored[0]["recipient_hash"] == recipient_hash(str(salt), "anna.virtanen@example.test")
    assert stored[0]["recipient_hash"] != stored[1]["recipient_hash"]  # salted per round
    text = repr([dict(r) for r in stored])
    assert "anna" not in text.lower() and token not in text


def test_opening_never_records_and_a_response_is_recorded_once(world: Engine) -> None:
    token = _link(world, _round(world), "a@example.test")
    for _ in range(3):
        opened = open_link(world, token, IN_ROUND)
        assert (opened.state, opened.kind, opened.period) == ("open", "relationship", "2026-Q4")
    assert _stored(world) == []
    form = PulseForm(recommend=9, understand=4, prevent=2, comment="  Good partner. ")
    assert answer(world, token, form, IN_ROUND) == "open"
    assert answer(world, token, form, IN_ROUND) == "answered"
    rows = _stored(world)
    round_id = rows[0][6]
    assert rows == [
        ("pulse", "recommend", "0-10", "9", None, "Good partner.", round_id, None),
        ("pulse", "understand", "1-5", "4", None, None, round_id, None),
        ("pulse", "prevent", "1-5", "2", None, None, round_id, None),
    ]
    assert open_link(world, token, IN_ROUND).state == "answered"


def test_the_statements_are_optional_and_a_team_response_is_one_answer(world: Engine) -> None:
    relationship = _link(world, _round(world), "a@example.test")
    assert answer(world, relationship, PulseForm(recommend=3), IN_ROUND) == "open"
    team = _link(world, _round(world, "team"), "b@example.test")
    form = PulseForm(measured_well=2, obstacles=["too_many_tickets", "clock_rules"])
    assert answer(world, team, form, IN_ROUND) == "open"
    assert [r[:5] for r in _stored(world)] == [
        ("pulse", "recommend", "0-10", "3", None),
        ("team", "measured_well", "1-5", "2", "clock_rules,too_many_tickets"),
    ]


def test_a_link_works_only_while_its_round_is_open(world: Engine) -> None:
    made = open_round(
        world, CUSTOMER, "team", "2027-Q1", opens="2027-01-01", closes="2027-03-31", now=NOW
    )
    token = _link(world, made.id, "c@example.test")
    form = PulseForm(measured_well=4)
    assert open_link(world, token, NOW).state == "early"
    assert answer(world, token, form, NOW) == "early"
    after = datetime(2027, 4, 1, tzinfo=UTC)
    assert open_link(world, token, after).state == "expired"
    assert answer(world, token, form, after) == "expired"
    assert answer(world, "not-a-token", form, NOW) == "unknown"
    assert _stored(world) == []


def _respond(engine: Engine, round_id: int, forms: list[PulseForm | None]) -> None:
    for i, form in enumerate(forms):
        token = _link(engine, round_id, f"person{i}@example.test")
        if form is not None:
            assert answer(engine, token, form, IN_ROUND) == "open"


def test_results_per_round_worked_by_hand(world: Engine) -> None:
    relationship, team = _round(world), _round(world, "team")
    _respond(
        world,
        relationship,
        [
            PulseForm(recommend=10, understand=4, prevent=5),
            PulseForm(recommend=9, prevent=4),
            PulseForm(recommend=5, understand=2, prevent=3),
            None,  # invited, did not answer
        ],
    )
    _respond(
        world,
        team,
        [
            PulseForm(measured_well=2, obstacles=["clock_rules", "too_many_tickets"]),
            PulseForm(measured_well=4, obstacles=["too_many_tickets"]),
            None,
        ],
    )
    found = {row["kind"]: row for row in results(world, CUSTOMER).to_pylist()}
    r, t = found["relationship"], found["team"]
    assert (r["invited"], r["responses"], r["response_rate_pct"]) == (4, 3, 75.0)
    assert math.isclose(r["nps"], 100 * (2 - 1) / 3)  # promoters 10, 9; detractor 5
    assert (r["pulse_understand"], r["pulse_understand_mean"]) == (50.0, 3.0)  # 4, 2
    assert math.isclose(r["pulse_prevent"], 200 / 3) and r["pulse_prevent_mean"] == 4.0
    assert r["team_measured_well"] is None
    assert (t["invited"], t["responses"]) == (3, 2)
    assert (t["team_measured_well"], t["team_measured_well_mean"]) == (50.0, 3.0)
    assert t["team_factor_too_many_tickets_pct"] == 100.0
    assert t["team_factor_clock_rules_pct"] == 50.0 and t["team_factor_other_pct"] == 0.0
    assert t["nps"] is None
    assert results(world, CUSTOMER, "2027-Q1").num_rows == 0


def test_pulse_answers_flow_into_the_customers_monthly_figures(world: Engine) -> None:
    _respond(world, _round(world), [PulseForm(recommend=10, understand=5), PulseForm(recommend=6)])
    _respond(world, _round(world, "team"), [PulseForm(measured_well=5)])
    as_of = int(datetime(2026, 11, 1, tzinfo=UTC).timestamp()) * 1_000_000
    [row] = customer_experience(world, CUSTOMER, as_of_us=as_of).to_pylist()
    assert (row["service"], row["month"], row["answers"]) == (None, "2026-10", 0)
    assert (row["pulse_n"], row["nps"]) == (2, 0.0)  # one promoter, one detractor
    assert (row["pulse_understand_n"], row["pulse_understand"]) == (1, 100.0)
    assert (row["team_n"], row["team_measured_well"]) == (1, 100.0)
    assert row["happiness"] is None  # pulse and team answers are no ticket answers


# --- recipients and mail ---------------------------------------------------------------------


def test_recipients_from_a_csv_or_a_plain_list(tmp_path: Path) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "name,email,language\nAnna,anna@example.test,sv\nBo,not-an-address,\nCi,ci@example.test,de\n"
    )
    found, problems = read_recipients(csv_file)
    assert found == [Recipient("anna@example.test", "sv")]
    assert [(p.line, p.field, p.value) for p in problems] == [
        (3, "email", "not-an-address"),
        (4, "language", "de"),
    ]
    plain = tmp_path / "people.txt"
    plain.write_text("dan@example.test\n\neve@example.test\n")
    assert read_recipients(plain) == (
        [Recipient("dan@example.test"), Recipient("eve@example.test")],
        [],
    )


def _mail(port: int) -> Mail:
    return mail(port, sender="pulse@example.test")


def test_invitations_are_mailed_once_per_address_and_round(
    world: Engine, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    made = open_round(world, CUSTOMER, "team", "2026-Q4", closes="2099-12-31")
    people = [Recipient("anna@example.test", "en"), Recipient("bo@example.test")]
    done = send_invitations(world, _mail(port), made.id, people)
    assert [o for _, o in done] == ["sent", "sent"]
    again = send_invitations(world, _mail(port), made.id, [Recipient("ANNA@example.test")])
    assert [o for _, o in again] == ["already invited"]
    assert [m["To"] for m in box.messages] == ["anna@example.test", "bo@example.test"]
    first, second = box.messages
    assert isinstance(first, EmailMessage) and isinstance(second, EmailMessage)
    assert first["Subject"] == "Team pulse: serving acme (2026-Q4)"
    assert second["Subject"].startswith("Tiimin pulssi")  # no language given: Finnish
    body = first.get_content()
    assert "open until 2099-12-31" in body
    link = next(w for w in body.split() if w.startswith("https://mittari.example.test/p/"))
    assert link.endswith("?lang=en") and "anna" not in link
    token = link.split("/p/")[1].split("?")[0]
    assert open_link(world, token).state == "open"
    with world.connect() as conn:
        sent = conn.execute(select(PulseInvitation.sent_at)).scalars().all()
    assert len(sent) == 2 and all(sent)


def test_a_server_that_cannot_be_reached_records_nothing(world: Engine) -> None:
    closed = free_port()  # nothing listens there
    made = open_round(world, CUSTOMER, "team", "2026-Q4", closes="2099-12-31")
    with pytest.raises(OSError):
        send_invitations(world, _mail(closed), made.id, [Recipient("anna@example.test")])
    assert issue_link(world, made.id, "anna@example.test") is not None  # not invited before


class _Refusing(Inbox):
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("gone@"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_refused_address_is_recorded_nowhere(world: Engine) -> None:
    handler = _Refusing()
    with serving(handler) as port:
        made = open_round(world, CUSTOMER, "team", "2026-Q4", closes="2099-12-31")
        people = [Recipient("gone@example.test"), Recipient("here@example.test")]
        done = send_invitations(world, _mail(port), made.id, people)
    assert [o for _, o in done] == ["refused", "sent"]
    assert [m["To"] for m in handler.messages] == ["here@example.test"]
    assert issue_link(world, made.id, "gone@example.test") is not None


def test_a_closed_round_sends_nothing(world: Engine, inbox: tuple[Inbox, int]) -> None:
    made = open_round(world, CUSTOMER, "team", "2026-Q4", closes="2026-10-02", now=NOW)
    with pytest.raises(InputError, match="closed"):
        send_invitations(world, _mail(inbox[1]), made.id, [Recipient("a@example.test")])
    with pytest.raises(InputError, match="the round closed at 2026-10-03T00:00:00"):
        issue_link(world, made.id, "a@example.test")
    assert inbox[0].messages == []
