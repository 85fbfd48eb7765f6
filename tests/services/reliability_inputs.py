"""Inputs the availability, credits and recurring tests share: the example contract, the
outage sample plus one more outage, and a small March of tickets."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "examples" / "contracts" / "availability-example.yaml"
OUTAGES = ROOT / "src" / "mittari" / "importers" / "outages" / "samples" / "outages.csv"
EXTRA_OUTAGE = (
    "service,start,end,weight,planned,source_id\n"
    "email,2026-03-12T09:00:00+02:00,2026-03-12T10:00:00+02:00,1,false,OUT-107\n"
)


def events_csv() -> str:
    """Ten P2 tickets on Tuesday 2026-03-10: answered in 30 min; eight resolved within the
    8 office hours, two the next afternoon (breached): resolution compliance 80 %."""
    rows = ["ticket_id,ts,kind,value,actor"]
    for n in range(1, 11):
        t = f"T{n}"
        resolved = "2026-03-10T15:00:00+02:00" if n <= 8 else "2026-03-11T15:30:00+02:00"
        rows += [
            f"{t},2026-03-10T09:00:00+02:00,created,,",
            f"{t},2026-03-10T09:00:00+02:00,priority,P2,",
            f"{t},2026-03-10T09:30:00+02:00,reply,,agent",
            f"{t},{resolved},status,resolved,",
        ]
    return "\n".join(rows) + "\n"


def tickets_csv() -> str:
    subjects = [
        "Outlook ei käynnisty",
        "Outlok ei käynnisty",
        "outlook ei käynnisty!",
        "Käynnisty ei Outlook",
        "VPN yhteys katkeaa",
        "VPN-yhteys katkeaa",
        "VPN yhteys katkeilee",
        "Laskutus virhe 404",
        "Salasana vanhentunut",
        "Tulostin 3 ei tulosta",
    ]
    services = ["email"] * 4 + ["vpn"] * 3 + ["erp", "email", "printing"]
    rows = ["ticket_id,customer,service,type,subject"]
    for n, (subject, service) in enumerate(zip(subjects, services, strict=True), start=1):
        kind = "request" if n == 9 else "incident"
        rows.append(f"T{n},kuusiston-konepaja,{service},{kind},{subject}")
    return "\n".join(rows) + "\n"
