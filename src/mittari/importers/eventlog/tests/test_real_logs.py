"""The two real logs of the shared data folder, read whole, checked against counts taken
independently here with the csv module and a plain XML parse (slow and obviously right).

- BPI Challenge 2013, Volvo IT incidents: `bpic2013/bpi_challenge_2013_incidents.xes.gz`
  (4TU.ResearchData, doi:10.4121/uuid:500573e6-accc-4b0c-9576-aa5468b10cee) and the CSV
  re-export `VolvoIT-Challenge/VINST-new.csv` in `bpic2013/IBM-VolvoIT-Challenge.zip`
  (IBM/processmining).
- Helpdesk: `helpdesk/Helpdesk.csv` (Polato et al., Mendeley Data).
"""

from __future__ import annotations

import csv
import gzip
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mittari.importers.canonical import events_from_table
from mittari.importers.eventlog import EventLogExtract, read, shipped

VOLVO_STATUS = {
    ("Accepted", "In Progress"): "open",
    ("Accepted", "Assigned"): "open",
    ("Accepted", "Wait - User"): "pending_customer",
    ("Accepted", "Wait - Customer"): "pending_customer",
    ("Accepted", "Wait - Vendor"): "pending_vendor",
    ("Accepted", "Wait - Implementation"): "on_hold",
    ("Accepted", "Wait"): "on_hold",
    ("Queued", "Awaiting Assignment"): "open",
    ("Completed", "Resolved"): "resolved",
    ("Completed", "In Call"): "resolved",
    ("Completed", "Closed"): "closed",
    ("Completed", "Cancelled"): "cancelled",
    ("Unmatched", "Unmatched"): "open",
}
VOLVO_PRIORITY = {"Major": "P1", "High": "P2", "Medium": "P3", "Low": "P4"}
HELPDESK_STATUS = {
    "Insert ticket": "new",
    "Take in charge ticket": "open",
    "Wait": "on_hold",
    "Require upgrade": "on_hold",
    "Resolve ticket": "resolved",
    "Closed": "closed",
}
HELPDESK_IGNORED = {"Assign seriousness", "Resolve SW anomaly", "RESOLVED", "VERIFIED",
                    "INVALID", "DUPLICATE"}  # fmt: skip
XES = "{http://www.xes-standard.org/}"
Record = dict[str, str]


@pytest.fixture(scope="module")
def volvo_xes(shared_data: Path) -> Path:
    return shared_data / "bpic2013" / "bpi_challenge_2013_incidents.xes.gz"


@pytest.fixture(scope="module")
def volvo_csv(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("volvo")
    with zipfile.ZipFile(shared_data / "bpic2013" / "IBM-VolvoIT-Challenge.zip") as archive:
        return Path(archive.extract("VolvoIT-Challenge/VINST-new.csv", folder))


@pytest.fixture(scope="module")
def helpdesk_csv(shared_data: Path) -> Path:
    return shared_data / "helpdesk" / "Helpdesk.csv"


@pytest.fixture(scope="module")
def volvo_from_xes(volvo_xes: Path) -> EventLogExtract:
    return read(volvo_xes, mapping=shipped("bpic2013-volvo"))


@pytest.fixture(scope="module")
def volvo_from_csv(volvo_csv: Path) -> EventLogExtract:
    return read(volvo_csv, mapping=shipped("bpic2013-volvo"))


@pytest.fixture(scope="module")
def helpdesk(helpdesk_csv: Path) -> EventLogExtract:
    return read(helpdesk_csv, mapping=shipped("helpdesk"))


def _xes_records(path: Path) -> list[Record]:
    """Every event with its trace's case id, by a plain parse of the whole tree."""
    records = []
    with gzip.open(path) as handle:
        root = ET.parse(handle).getroot()
    for t, trace in enumerate(root.iter(XES + "trace"), 1):
        case = next(a.get("value") for a in trace if a.get("key") == "concept:name")
        for e, event in enumerate(trace.iter(XES + "event"), 1):
            record = {a.get("key", ""): a.get("value", "") for a in event}
            records.append({"case": str(case), "at": f"trace {t} event {e}", **record})
    return records


def _volvo_csv_records(path: Path) -> list[Record]:
    return [
        {"case": r["SR Number"], "concept:name": r["Status"], "at": r["at"],
         "lifecycle:transition": r["Sub Status"], "time:timestamp": r["Change Date+Time"],
         "org:group": r["Involved ST"], "impact": r["SR Latest Impact"]}
        for r in _csv_records(path)
    ]  # fmt: skip


def _csv_records(path: Path) -> list[Record]:
    """The rows of a CSV file, each with its line (`at`, as text)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return [{**row, "at": str(reader.line_num)} for row in reader]


def _kinds(extract: EventLogExtract) -> Counter[str]:
    return Counter(extract.events.column("kind").to_pylist())


def _values(extract: EventLogExtract, kind: str) -> Counter[str]:
    return Counter(e["value"] for e in extract.events.to_pylist() if e["kind"] == kind)


def _check_volvo(extract: EventLogExtract, records: list[Record]) -> None:
    cases = {r["case"] for r in records}
    assert len(cases) == 7554 and len(records) == 65533  # the data README's figures
    assert extract.problems == []
    assert extract.n_read == len(records)
    assert extract.tickets.num_rows == len(cases)
    assert set(extract.tickets.column("ticket_id").to_pylist()) == cases
    assigns, previous = 0, ("", "")
    impact: dict[str, str] = {}
    for r in records:  # a new case, or a new team within the case: an assign
        assigns += (r["case"], r["org:group"]) != previous
        previous = (r["case"], r["org:group"])
        impact.setdefault(r["case"], r["impact"])
    status = Counter(VOLVO_STATUS[r["concept:name"], r["lifecycle:transition"]] for r in records)
    assert _kinds(extract) == {
        "created": len(cases),
        "status": len(records),
        "assign": assigns,
        "priority": len(cases),
    }
    assert _values(extract, "status") == status
    assert _values(extract, "priority") == Counter(VOLVO_PRIORITY[i] for i in impact.values())
    assert extract.ignored == {}
    _check_instants(
        extract, {r["at"]: datetime.fromisoformat(r["time:timestamp"]) for r in records}
    )


def _check_instants(extract: EventLogExtract, instants: dict[str, datetime]) -> None:
    """Each event's instant is its record's (found by CSV line or XES trace and event)."""
    for e in extract.events.to_pylist():
        at = str(e["line"]) if e["ref"] is None else e["ref"]
        assert e["ts"] == instants[at].astimezone(UTC), at


def test_the_volvo_xes_log_whole(volvo_from_xes: EventLogExtract, volvo_xes: Path) -> None:
    _check_volvo(volvo_from_xes, _xes_records(volvo_xes))


def test_the_volvo_csv_log_whole(volvo_from_csv: EventLogExtract, volvo_csv: Path) -> None:
    _check_volvo(volvo_from_csv, _volvo_csv_records(volvo_csv))


def test_the_volvo_csv_and_xes_give_the_same_events_and_tickets(
    volvo_from_xes: EventLogExtract, volvo_from_csv: EventLogExtract
) -> None:
    columns = ["ticket_id", "ts", "kind", "value", "actor", "raw_value"]
    assert volvo_from_csv.events.select(columns).equals(volvo_from_xes.events.select(columns))
    assert volvo_from_csv.tickets.equals(volvo_from_xes.tickets)


def test_the_helpdesk_log_whole(helpdesk: EventLogExtract, helpdesk_csv: Path) -> None:
    records = _csv_records(helpdesk_csv)
    activities = Counter(r["concept:name"] for r in records)
    cases = {r["case:concept:name"] for r in records}
    assert len(cases) == 4580 and len(records) == 21348  # the data README's figures
    assert helpdesk.problems == []
    assert helpdesk.n_read == len(records)
    assert helpdesk.tickets.num_rows == len(cases)
    assert _kinds(helpdesk) == {
        "created": len(cases),
        "status": sum(activities[a] for a in HELPDESK_STATUS),
        "assign": activities["Take in charge ticket"],
        "category": activities["Create SW anomaly"],
        "note": activities["Schedule intervention"],
    }
    status = Counter({HELPDESK_STATUS[a]: 0 for a in HELPDESK_STATUS})
    for activity, count in activities.items():
        if activity in HELPDESK_STATUS:
            status[HELPDESK_STATUS[activity]] += count
    assert _values(helpdesk, "status") == status
    assert helpdesk.ignored == {f"{a}/complete": activities[a] for a in HELPDESK_IGNORED}
    # the offsets are the exporting tool's: the digits are wall-clock time in Rome
    rome = ZoneInfo("Europe/Rome")
    wall = {r["at"]: datetime.fromisoformat(r["time:timestamp"][:19]) for r in records}
    _check_instants(helpdesk, {at: time.replace(tzinfo=rome) for at, time in wall.items()})


@pytest.mark.parametrize("name", ["volvo_from_xes", "volvo_from_csv", "helpdesk"])
def test_the_events_pass_the_canonical_reader(name: str, request: pytest.FixtureRequest) -> None:
    extract: EventLogExtract = request.getfixturevalue(name)
    table = extract.events.select(["ticket_id", "ts", "kind", "value", "actor"])
    result = events_from_table(table)
    assert result.problems == []
    assert result.n_kept == extract.events.num_rows
