"""A hand-made store for the monthly review: customer `acme`, October 2026 in Helsinki.

Worked out by hand (office hours Mon–Fri 08–16 local; EEST is UTC+3 until 25 October):

- resolution, October: 17 measurements. A-1..A-12 resolved in 2 h (met). A-13..A-15 are
  P2 VPN incidents that wait on a vendor from 10:00 to the next day 09:00, then resolve at
  12:00 the day after: 1 + 7 + 4 = 12 office hours > 8 h (breached). A-16 is a P3 resolved
  after 7 + 8 + 8 + 8 = 31 h > 24 h (breached, no waits: "slow"). A-17 is a P2 lowered to
  P3 at 15:30 (7.5 of 8 h used) and resolved the next day at 10:00: 10 h, met under P3's
  24 h as reported, breached under P2's 8 h once the late downgrade is undone.
  Reported 13 / 17 = 76.47 % ≥ 75 % (met); honest 12 / 17 = 70.59 % (missed).
- first_response, October: every ticket answered within 30 minutes: 17 / 17 = 100 %.
- VPN: "VPN-yhteys katkeaa" in August (G-1), September (S-3) and October (A-13..A-15):
  5 incidents of one fault in the quarter August–October.
- happiness = %(9–10) − %(0–6): September scores 10, 10, 9, 7, 3 → (3 − 1) / 5 = 40;
  October 10, 3, 2, 8 → (1 − 2) / 4 = −25.
- ERP down 4 h on 7 October; October has 31 days and one extra hour (DST ends on the
  25th): 44,700 minutes, uptime 1 − 240 / 44,700 = 99.4631 % < 99.5 %: 5 % credit of the
  10,000 EUR fee = 500 EUR. VPN down 30 min: 99.9329 % ≥ 99.8 % (met).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from mittari.db.scope import Principal, Role, Scoped
from mittari.services.feedback import import_feedback
from mittari.services.ingest import import_source
from mittari.services.outages import import_outages
from mittari.services.stored import add_contract

CUSTOMER = "acme"
MONTH = "2026-10"
AS_OF = 1_793_484_000_000_000  # 2026-11-01T00:00:00+02:00: October has closed
ADMIN = Principal(0, Role.PROVIDER_ADMIN, None)

CONTRACT = """apiVersion: mittari/v1
kind: Contract
metadata: {customer: acme, name: Acme Oy – managed workplace, version: "2026.1"}
spec:
  timezone: Europe/Helsinki
  effective: {from: 2026-01-01}
  calendars:
    office:
      hours: {mon-fri: ["08:00-16:00"]}
    always: {alwaysOpen: true}
  metrics:
    first_response:
      type: first_response
      objective: 90%
      targets:
        P2: {within: 1h, calendar: office}
        P3: {within: 4h, calendar: office}
    resolution:
      type: resolution
      objective: 75%
      targets:
        P2: {within: 8h, calendar: office}
        P3: {within: 24h, calendar: office}
  availability:
    calendar: always
    services:
      erp: {objective: 99.5%}
      vpn: {objective: 99.8%}
  credits:
    table: "2026.1"
    monthlyFee: 10000
    currency: EUR
    availability:
      erp:
        - {below: 99.5%, credit: 5%}
        - {below: 98%, credit: 15%}
  experience:
    minAnswers: 2
    objectives:
      happiness: {min: 20}
"""

SUBJECTS = (
    "Outlook does not start",
    "Printer jams on floor two",
    "Password expired",
    "New monitor request",
    "Excel macro error",
    "Teams camera black",
    "Invoice run stuck",
    "Keyboard missing keys",
    "Shared drive full",
    "Calendar invite lost",
    "Laptop battery swollen",
    "Badge reader offline",
)


def _ticket(tid: str, day: str, priority: str, *rest: str) -> list[str]:
    """created at 09:00 local, priority, an agent reply at 09:20, then `rest` as
    `time-or-date-time,kind,value` (a bare HH:MM is on `day`)."""
    rows = [
        f"{tid},{day}T09:00:00+03:00,created,,",
        f"{tid},{day}T09:00:00+03:00,priority,{priority},",
        f"{tid},{day}T09:20:00+03:00,reply,,agent",
    ]
    for item in rest:
        when, kind, value = item.split(",")
        stamp = f"{day}T{when}:00+03:00" if len(when) == 5 else f"{when}:00+03:00"
        rows.append(f"{tid},{stamp},{kind},{value},")
    return rows


def events_csv() -> str:
    rows = ["ticket_id,ts,kind,value,actor"]
    days = ["2026-10-05", "2026-10-06", "2026-10-07", "2026-10-08", "2026-10-09", "2026-10-12"]
    for n in range(1, 13):
        rows += _ticket(f"A-{n}", days[n % 6], "P2" if n % 2 else "P3", "11:00,status,resolved")
    for n, day in zip((13, 14, 15), ("2026-10-12", "2026-10-13", "2026-10-14"), strict=True):
        nxt, after = _next(day, 1), _next(day, 2)
        rows += _ticket(
            f"A-{n}",
            day,
            "P2",
            "10:00,status,pending_vendor",
            f"{nxt}T09:00,status,open",
            f"{after}T12:00,status,resolved",
        )
    rows += _ticket("A-16", "2026-10-19", "P3", "2026-10-22T16:00,status,resolved")
    rows += _ticket(
        "A-17", "2026-10-19", "P2", "15:30,priority,P3", "2026-10-20T10:00,status,resolved"
    )
    rows += _ticket("G-1", "2026-08-11", "P2", "11:00,status,resolved")
    for n, day in enumerate(("2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10"), start=1):
        rows += _ticket(f"S-{n}", day, "P3", "12:00,status,resolved")
    return "\n".join(rows) + "\n"


def _next(day: str, by: int) -> str:
    return f"{day[:8]}{int(day[8:]) + by:02d}"


def tickets_csv() -> str:
    rows = ["ticket_id,customer,service,type,requester,subject"]
    services = ("email", "printing", "email", "laptops", "erp", "email")
    for n in range(1, 13):
        rows.append(f"A-{n},acme,{services[n % 6]},incident,user{n},{SUBJECTS[n - 1]}")
    vpn = ("VPN-yhteys katkeaa", "VPN yhteys katkeaa", "VPN-yhteys katkeaa!")
    for n, subject in zip((13, 14, 15), vpn, strict=True):
        rows.append(f"A-{n},acme,vpn,incident,user{n},{subject}")
    rows.append("A-16,acme,erp,incident,user16,Warehouse report wrong totals")
    rows.append("A-17,acme,email,incident,user17,Mail rule broken")
    rows.append("G-1,acme,vpn,incident,user20,VPN-yhteys katkeaa")
    september = ("Projector cable", "Docking station", "VPN yhteys katkeaa", "Screen flicker")
    services_s = ("laptops", "laptops", "vpn", "laptops")
    for n, (subject, service) in enumerate(zip(september, services_s, strict=True), start=1):
        rows.append(f"S-{n},acme,{service},incident,user3{n},{subject}")
    return "\n".join(rows) + "\n"


ANSWER_COLUMNS = "answer_id,ticket_id,answered_at,survey,scale,score,factors,lost_time"
ANSWERS = "\n".join(
    [
        f"{ANSWER_COLUMNS},comment,language,service",
        "s-1,S-1,2026-09-07T14:00:00+03:00,ticket,0-10,10,,none,,,laptops",
        "s-2,S-2,2026-09-08T14:00:00+03:00,ticket,0-10,10,,none,,,laptops",
        "s-3,S-3,2026-09-09T14:00:00+03:00,ticket,0-10,9,,none,,,vpn",
        "s-4,S-4,2026-09-10T14:00:00+03:00,ticket,0-10,7,,none,,,laptops",
        "s-5,G-1,2026-09-11T14:00:00+03:00,ticket,0-10,3,,none,,,vpn",
        "o-1,A-1,2026-10-05T14:00:00+03:00,ticket,0-10,10,speed,none,"
        '"Nopea ja ystävällinen palvelu, kiitos!",fi,printing',
        "o-2,A-13,2026-10-14T14:00:00+03:00,ticket,0-10,3,not_fixed,2-4h,"
        "The VPN keeps dropping and nobody has fixed it.,en,vpn",
        "o-3,A-14,2026-10-15T15:00:00+03:00,ticket,0-10,2,not_fixed,day+,"
        '"Still waiting for the vendor, this is terrible <b>really</b>.",en,vpn',
        "o-4,A-2,2026-10-06T15:00:00+03:00,ticket,0-10,8,,none,,,email",
    ]
)

OUTAGES = """service,start,end,weight,planned,source_id,summary
erp,2026-10-07T10:00:00+03:00,2026-10-07T14:00:00+03:00,1,false,OUT-1,ERP database down
vpn,2026-10-13T10:00:00+03:00,2026-10-13T10:30:00+03:00,1,false,OUT-2,VPN concentrator failover
"""


def build_acme(db: Engine, folder: Path) -> None:
    """Store acme's contract, tickets, answers and outages in `db`."""
    files = {
        "acme.yaml": CONTRACT,
        "events.csv": events_csv(),
        "tickets.csv": tickets_csv(),
        "answers.csv": ANSWERS,
        "outages.csv": OUTAGES,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    add_contract(db, folder / "acme.yaml")
    import_source(db, "canonical", folder / "events.csv", tickets=folder / "tickets.csv")
    import_feedback(db, folder / "answers.csv", customer=CUSTOMER)
    import_outages(db, folder / "outages.csv", customer=CUSTOMER)


def admin_scope(conn: object) -> Scoped:
    return Scoped(conn, ADMIN)  # type: ignore[arg-type]
