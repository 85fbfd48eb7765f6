"""`recompute` with the local engine: equal to one piece, atomic, with problems in place.

The history is a generated three-customer year written the way exports often are: sorted
by time, not by ticket, in several files of several row groups, cut into pieces smaller
than a file, so that every ticket's events are spread over pieces and the shuffle has to
bring them together.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from mittari.errors import BatchRejected, InputError
from mittari.importers.canonical import events_from_table, read_events
from mittari.services.demo_data import DEMO_CUSTOMERS, generate_year
from mittari.services.measure import compliance_table, measure_versions
from mittari.services.recompute import LocalExecutor, prepare_job, recompute, run, source
from mittari.services.runs import load_versions

ROOT = Path(__file__).resolve().parents[2]
DEMO_CONTRACTS = ROOT / "src" / "mittari" / "services" / "demo_contracts"
AS_OF = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()) * 1_000_000
BY = ("month", "metric", "priority", "customer")
ORDER = [(c, "ascending") for c in ("customer", "ticket_id", "metric", "cycle")]


def write_history(folder: Path, seed: int, scale: float, files: int = 3) -> tuple[Path, Path]:
    """A generated year as `folder/events/part-K.parquet` (by time) and `tickets.csv`."""
    customers = [dataclasses.replace(c, tickets=int(c.tickets * scale)) for c in DEMO_CUSTOMERS]
    events, tickets = generate_year(seed, customers=customers)
    events = events.take(pc.sort_indices(events, [("ts", "ascending")]))  # stable: ties kept
    (folder / "events").mkdir(parents=True)
    bounds = np.linspace(0, events.num_rows, files + 1).astype(int)
    for k in range(files):
        part = events.slice(bounds[k], bounds[k + 1] - bounds[k])
        pq.write_table(part, folder / "events" / f"part-{k}.parquet", row_group_size=8_000)
    pacsv.write_csv(tickets, folder / "tickets.csv")
    return folder / "events", folder / "tickets.csv"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_history(tmp_path_factory.mktemp("history"), seed=5, scale=0.25)


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "PIECE_ROWS", 10_000)  # pieces of one or two row groups


def one_piece(events: Path, tickets: Path) -> tuple[pa.Table, pa.Table]:
    """The measurements and compliance of the whole log read and measured at once."""
    table = pa.concat_tables([pq.read_table(f) for f in sorted(events.glob("*.parquet"))])
    log = events_from_table(table).log
    ticket_table = pacsv.read_csv(tickets)
    found = pc.index_in(pa.array(log.ticket_ids), value_set=ticket_table.column("ticket_id"))
    customers = ticket_table.column("customer").take(found).to_numpy(zero_copy_only=False)
    contracts = load_versions([DEMO_CONTRACTS])
    measured = measure_versions(log, contracts, np.asarray(customers), AS_OF).table
    return measured, compliance_table(measured, contracts, list(BY))


def read_measurements(out: Path) -> pa.Table:
    return pa.concat_tables(
        [pq.read_table(f) for f in sorted((out / "measurements").glob("part-*.parquet"))]
    )


def run_local(events: Path | str, tickets: Path | None, out: Path, **options: object):
    job, _ = prepare_job([DEMO_CONTRACTS], str(events), AS_OF, tickets=tickets, by=BY, **options)
    return recompute(job, LocalExecutor(), out)


def test_the_local_engine_equals_one_piece(history: tuple[Path, Path], tmp_path: Path) -> None:
    events, tickets = history
    result = run_local(events, tickets, tmp_path / "out", partitions=7)
    measured, compliance = one_piece(events, tickets)
    got = read_measurements(tmp_path / "out")
    assert len(list((tmp_path / "out" / "measurements").glob("*.parquet"))) == 7
    assert result.pieces >= 2 * len(list(events.glob("*.parquet")))  # files cut in pieces
    assert got.sort_by(ORDER).equals(measured.sort_by(ORDER))
    assert result.compliance.equals(compliance)
    assert pq.read_table(tmp_path / "out" / "compliance.parquet").equals(compliance)
    assert (
        result.events_read
        == result.events_kept
        == sum(pq.ParquetFile(f).metadata.num_rows for f in events.glob("*.parquet"))
    )


def test_the_compliance_is_the_same_for_any_partition_count(
    history: tuple[Path, Path], tmp_path: Path
) -> None:
    events, tickets = history
    tables = [run_local(events, tickets, tmp_path / f"o{n}", partitions=n) for n in (1, 2, 13)]
    assert tables[0].compliance.equals(tables[1].compliance)
    assert tables[0].compliance.equals(tables[2].compliance)


def test_a_url_reads_through_fsspec(history: tuple[Path, Path], tmp_path: Path) -> None:
    events, tickets = history
    fsspec = pytest.importorskip("fsspec")  # comes with dask, a test dependency
    memory = fsspec.filesystem("memory")
    for f in sorted(events.glob("*.parquet")):
        memory.pipe(f"/log/{f.name}", f.read_bytes())
    by_memory = run_local("memory://log", tickets, tmp_path / "m", partitions=3)
    by_file_url = run_local(f"file://{events}", tickets, tmp_path / "f", partitions=3)
    by_path = run_local(events, tickets, tmp_path / "p", partitions=3)
    assert by_memory.compliance.equals(by_path.compliance)
    assert by_file_url.compliance.equals(by_path.compliance)
    assert read_measurements(tmp_path / "m").equals(read_measurements(tmp_path / "p"))


# --- atomic output ------------------------------------------------------------------------


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_a_rerun_replaces_the_output_whole(history: tuple[Path, Path], tmp_path: Path) -> None:
    events, tickets = history
    out = tmp_path / "out"
    run_local(events, tickets, out, partitions=5)
    (out / "measurements" / "stray.txt").write_text("from before")
    run_local(events, tickets, out, partitions=3)
    assert sorted(p.name for p in (out / "measurements").iterdir()) == [
        f"part-{k:05d}.parquet" for k in range(3)
    ]
    assert leftovers(tmp_path) == []


def test_a_failing_run_leaves_the_previous_output(
    history: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events, tickets = history
    out = tmp_path / "out"
    run_local(events, tickets, out, partitions=4)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    measure_task = run.measure_task

    def fail_on_partition_two(partition: int, ctx: object) -> object:
        if partition == 2:
            raise OSError("disk full")
        return measure_task(partition, ctx)

    monkeypatch.setattr(run, "measure_task", fail_on_partition_two)
    with pytest.raises(OSError, match="disk full"):
        run_local(events, tickets, out, partitions=4)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert leftovers(tmp_path) == []


def test_an_unknown_folder_is_never_replaced(history: tuple[Path, Path], tmp_path: Path) -> None:
    events, tickets = history
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    with pytest.raises(InputError, match="not a recompute output"):
        run_local(events, tickets, tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "precious"


# --- problems -------------------------------------------------------------------------------


@pytest.fixture
def bad_log(tmp_path: Path) -> Path:
    """A small log with a bad kind, a bad timestamp and a ticket without `created`."""
    rows = [
        ("K1", "2025-03-03T09:00:00+02:00", "created", None, None),
        ("K1", "2025-03-03T09:00:00+02:00", "priority", "P3", None),
        ("K2", "2025-03-03T09:05:00+02:00", "created", None, None),
        ("K1", "2025-03-03T09:30:00+02:00", "bogus", None, None),
        ("K2", "2025-03-03T25:00:00+02:00", "reply", None, "agent"),
        ("K3", "2025-03-03T10:00:00+02:00", "reply", None, "agent"),
        ("K1", "2025-03-03T11:00:00+02:00", "status", "resolved", None),
    ]
    names = ["ticket_id", "ts", "kind", "value", "actor"]
    table = pa.table([pa.array(c, pa.string()) for c in zip(*rows, strict=True)], names=names)
    path = tmp_path / "bad.parquet"
    pq.write_table(table, path)
    return path


def test_problems_name_the_file_and_row_as_read_events_does(bad_log: Path, tmp_path: Path) -> None:
    job, _ = prepare_job([DEMO_CONTRACTS], str(bad_log), AS_OF, customer="kalliokone", partitions=3)
    result = recompute(job, LocalExecutor(), tmp_path / "out")
    want = read_events(bad_log).problems
    assert sorted(map(str, result.problems)) == sorted(map(str, want))
    assert {p.line for p in result.problems} == {4, 5, 6}
    assert result.events_read == 7
    assert result.events_kept == read_events(bad_log).n_kept


def test_strict_publishes_nothing(
    bad_log: Path, history: tuple[Path, Path], tmp_path: Path
) -> None:
    events, tickets = history
    out = tmp_path / "out"
    run_local(events, tickets, out, partitions=2)
    before = (out / "manifest.json").read_text()
    job, _ = prepare_job([DEMO_CONTRACTS], str(bad_log), AS_OF, customer="kalliokone", strict=True)
    with pytest.raises(BatchRejected) as raised:
        recompute(job, LocalExecutor(), out)
    assert len(raised.value.problems) == 3
    assert (out / "manifest.json").read_text() == before
    assert leftovers(tmp_path) == []


def test_empty_partitions_and_no_stopped_clock(tmp_path: Path) -> None:
    """One ticket, four partitions, evaluated while its clocks still run."""
    rows = [["K1", "K1"], ["2025-03-03T09:00:00+02:00", "2025-03-03T11:00:00+02:00"]]
    rows += [["created", "status"], [None, "resolved"], [None, None]]
    names = ["ticket_id", "ts", "kind", "value", "actor"]
    pq.write_table(pa.table(rows, names=names), tmp_path / "one.parquet")
    as_of = int(datetime(2025, 3, 3, 8, tzinfo=UTC).timestamp()) * 1_000_000
    job, _ = prepare_job(
        [DEMO_CONTRACTS],
        str(tmp_path / "one.parquet"),
        as_of,
        customer="kalliokone",
        partitions=4,
    )
    result = recompute(job, LocalExecutor(), tmp_path / "out")
    files = sorted((tmp_path / "out" / "measurements").glob("*.parquet"))
    assert [pq.read_table(f).num_rows for f in files].count(0) == 3
    assert pa.concat_tables(pq.read_table(f) for f in files).num_rows == 2  # running
    log = read_events(tmp_path / "one.parquet").log
    contracts = load_versions([DEMO_CONTRACTS])
    measured = measure_versions(log, contracts, np.array(["kalliokone"], object), as_of)
    assert result.compliance.equals(
        compliance_table(measured.table, contracts, ["month", "metric"])
    )
    assert result.compliance.num_rows == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "need a tickets file"),  # three customers' contracts, no routing
        ({"tickets": Path("t.csv"), "customer": "acme"}, "not both"),
        ({"customer": "kalliokone", "by": ("service",)}, "needs a tickets file"),
        ({"customer": "kalliokone", "partitions": 0}, "must be ≥ 1"),
        ({"customer": "kalliokone", "timezone": "Mars/Olympus"}, "unknown IANA time zone"),
    ],
)
def test_bad_options_are_clear_errors(bad_log: Path, options: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        prepare_job([DEMO_CONTRACTS], str(bad_log), AS_OF, **options)


def test_bad_logs_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        prepare_job([DEMO_CONTRACTS], str(tmp_path / "nope"), AS_OF, customer="x")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no \.parquet file"):
        prepare_job([DEMO_CONTRACTS], str(tmp_path / "empty"), AS_OF, customer="x")
    pq.write_table(pa.table({"ticket_id": ["a"], "when": ["b"]}), tmp_path / "cols.parquet")
    with pytest.raises(InputError, match="ts: required column is missing"):
        prepare_job([DEMO_CONTRACTS], str(tmp_path / "cols.parquet"), AS_OF, customer="x")
    (tmp_path / "junk.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="cannot read it as Parquet"):
        prepare_job([DEMO_CONTRACTS], str(tmp_path / "junk.parquet"), AS_OF, customer="x")


# --- the command line ---------------------------------------------------------------------


def cli(*args: str):
    from typer.testing import CliRunner

    from mittari.cli.main import app

    return CliRunner().invoke(app, ["recompute", *args])


def test_the_cli_recomputes_with_the_local_engine(
    history: tuple[Path, Path], tmp_path: Path
) -> None:
    events, tickets = history
    out = tmp_path / "out"
    args = ["-e", str(events), "-c", str(DEMO_CONTRACTS), "-t", str(tickets), "-o", str(out)]
    args += ["--as-of", "2026-01-01T00:00:00+00:00", "--by", ",".join(BY), "--partitions", "4"]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["month", "metric", "priority", "customer", "count"]
    assert "local engine, 4 partitions" in result.output
    assert "measure: 4/4" in result.stderr  # progress
    measured, compliance = one_piece(events, tickets)
    assert pq.read_table(out / "compliance.parquet").equals(compliance)
    assert read_measurements(out).num_rows == measured.num_rows
    assert cli(*args).exit_code == 0  # a re-run replaces its own output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--engine", "local", "--scheduler", "tcp://127.0.0.1:8786"], 2, "needs --engine dask"),
        (["--by", " , "], 2, "name at least one group key"),
        (["--as-of", "2026-01-01T00:00:00"], 2, "has no UTC offset"),
        (["--customer", "kalliokone", "--by", "service"], 1, "needs a tickets file"),
        (["--partitions", "0", "--customer", "kalliokone"], 1, "must be ≥ 1"),
    ],
)
def test_the_cli_rejects_bad_options(
    bad_log: Path, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    common = ["-e", str(bad_log), "-c", str(DEMO_CONTRACTS), "-o", str(tmp_path / "out")]
    result = cli(*common, *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_the_cli_names_a_missing_log(tmp_path: Path) -> None:
    result = cli("-e", str(tmp_path / "nope"), "-c", str(DEMO_CONTRACTS), "-o", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'nope'}: events: no such file or directory" in result.output
