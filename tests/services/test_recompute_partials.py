"""The rollup in mergeable parts equals the rollup in one piece, and the partition hash holds.

Engine level: `partial_rollup` → `merge_partials` → `group_percentiles` → `finish_rollup`
against `rollup` on random arrays split at random. Service level: the compliance table of
a generated three-customer year, its tickets split into partitions, merged from the
partitions' parts, equals `compliance_table` over all measurements, row for row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mittari.engine.compliance import rollup
from mittari.engine.partials import (
    finish_rollup,
    group_percentiles,
    merge_partials,
    partial_rollup,
)
from mittari.engine.types import ContractPolicy, State
from mittari.importers.canonical import events_from_table
from mittari.services.demo_data import generate_year
from mittari.services.measure import compliance_table, measure_versions
from mittari.services.recompute.hashing import partition_of, stable_hash
from mittari.services.recompute.rollup import compliance_from_parts, merge_compliance
from mittari.services.recompute.rollup import partial_compliance as partial_table
from mittari.services.runs import load_versions

ROOT = Path(__file__).resolve().parents[2]
DEMO_CONTRACTS = ROOT / "src" / "mittari" / "services" / "demo_contracts"
AS_OF = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()) * 1_000_000


# --- the engine: parts merged equal the whole -------------------------------------------


def merged_rollup(keys: list[np.ndarray], state: np.ndarray, elapsed: np.ndarray, part: np.ndarray):
    """`rollup` computed from the parts of each distinct value of `part`."""
    parts, values, global_of = [], [], []
    whole = rollup(keys, state, elapsed)
    index = {tuple(int(k[i]) for k in whole.keys): i for i in range(len(whole))}
    for p in np.unique(part):
        rows = part == p
        pr, gv = partial_rollup([k[rows] for k in keys], state[rows], elapsed[rows])
        parts.append(pr)
        values.append(gv)
        global_of.append(
            np.array([index[tuple(int(k[g]) for k in pr.keys)] for g in range(len(pr))], np.int64)
        )
    merged = merge_partials(parts, global_of, len(whole))
    gathered: list[list[np.ndarray]] = [[] for _ in range(len(whole))]
    for gv, glob in zip(values, global_of, strict=True):
        for g_local, g in enumerate(glob.tolist()):
            gathered[g].extend(gv.of(np.array([g_local])))
    p50, p90 = group_percentiles([np.concatenate(v) for v in gathered])
    return whole, finish_rollup(merged, p50, p90)


@settings(deadline=None, max_examples=100)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from([-1, 0, 1, 3]),  # key a (-1: a null's code)
            st.integers(0, 2),  # key b
            st.sampled_from([State.MET, State.BREACHED, State.RUNNING, State.CANCELLED]),
            st.integers(0, 10**12),  # elapsed µs
            st.integers(0, 4),  # partition
        ),
        min_size=1,
        max_size=60,
    )
)
@pytest.mark.parametrize("spread", [1, 10**6, 2**40])  # a table, a sort of codes, of tuples
def test_parts_merge_into_the_rollup_of_the_whole(rows: list[tuple[int, ...]], spread: int) -> None:
    cols = [np.array(c, dtype=np.int64) for c in zip(*rows, strict=True)]
    keys, state, elapsed, part = cols[:2], cols[2].astype(np.int8), cols[3], cols[4]
    keys = [keys[0] * spread, keys[1] * spread, keys[0] + keys[1]]
    whole, merged = merged_rollup(keys, state, elapsed, part)
    for name in ("count", "met", "breached", "compliance_pct", "p50_s", "p90_s", "mean_s"):
        np.testing.assert_array_equal(getattr(merged, name), getattr(whole, name), err_msg=name)


def test_a_group_sum_past_int64_is_an_error_not_a_wrap() -> None:
    elapsed = np.array([2**62, 2**62], dtype=np.int64)
    state = np.array([State.MET, State.MET], dtype=np.int8)
    with pytest.raises(Exception, match="exceed int64"):
        partial_rollup([np.zeros(2, np.int64)], state, elapsed)


# --- the service: a generated year, split by ticket -------------------------------------


@pytest.fixture(scope="module")
def year() -> tuple[pa.Table, pa.Table, list[ContractPolicy]]:
    events, tickets = generate_year(11)
    read = events_from_table(events)
    ids = pa.array(read.log.ticket_ids, pa.string())
    found = pc.index_in(ids, value_set=tickets.column("ticket_id"))
    customers = np.asarray(tickets.column("customer").take(found).to_numpy(zero_copy_only=False))
    contracts = load_versions([DEMO_CONTRACTS])
    measured = measure_versions(read.log, contracts, customers, AS_OF).table
    return measured, tickets, contracts


BYS = [
    ["month", "metric"],
    ["month", "metric", "priority", "customer"],
    ["metric"],  # one metric, three objectives: rows split by objective
    ["customer", "service", "type"],  # no metric: no objective
    ["contract_version", "team", "priority"],
]


@pytest.mark.parametrize("by", BYS, ids=lambda b: ",".join(b))
@pytest.mark.parametrize("n", [1, 5])
def test_compliance_merged_from_partitions_equals_one_piece(year, by: list[str], n: int) -> None:
    measured, tickets, contracts = year
    names = measured.column("customer").combine_chunks()
    part = partition_of(names, measured.column("ticket_id").combine_chunks(), n)
    parts, values = [], []
    for p in range(n):
        table, gv = partial_table(measured.filter(pa.array(part == p)), contracts, by, tickets)
        parts.append(table)
        values.append(gv)
    merged = merge_compliance(parts, by)
    gathered: list[list[np.ndarray]] = [[] for _ in range(len(merged.merged))]
    for gv, glob in zip(values, merged.global_of, strict=True):
        for g_local, g in enumerate(glob.tolist()):
            gathered[g].extend(gv.of(np.array([g_local])))
    p50, p90 = group_percentiles([np.concatenate(v) for v in gathered])
    got = compliance_from_parts(merged, p50, p90, by)
    want = compliance_table(measured, contracts, by, tickets)
    assert got.schema == want.schema
    assert got.to_pylist() == want.to_pylist()  # row for row, floats bit for bit
    assert got.equals(want)


# --- the partition hash -------------------------------------------------------------------


def fnv1a_fmix64(text: str) -> int:
    """The documented hash, one byte at a time in plain Python."""
    h = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) % 2**64
    for multiplier in (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53):
        h ^= h >> 33
        h = (h * multiplier) % 2**64
    return h ^ (h >> 33)


def test_the_hash_is_fnv1a_64_then_fmix64_of_the_utf8_bytes() -> None:
    texts = ["", "a", "acme\x1fINC-0000001", "kalliokone\x1fKAL-00012", "åäö €", "x" * 70]
    got = stable_hash(pa.array(texts).slice(0))
    assert [int(h) for h in got] == [fnv1a_fmix64(t) for t in texts]
    assert [int(h) for h in stable_hash(pa.array(texts).slice(2, 3))] == [
        fnv1a_fmix64(t) for t in texts[2:5]
    ]


def test_partitions_follow_customer_and_trimmed_ticket_id() -> None:
    customers = pa.array(["acme", "acme", "beta", None])
    ids = pa.array([" T1 ", "T1", "T1", "T1"])
    part = partition_of(customers, ids, 1000)
    assert part[0] == part[1]  # trimmed as the importer trims
    assert part[0] == fnv1a_fmix64("acme\x1fT1") % 1000
    assert part[3] == fnv1a_fmix64("\x1fT1") % 1000  # no customer: ""
    spread = np.bincount(
        partition_of(pa.array(["c"] * 20_000), pa.array([f"INC-{i}" for i in range(20_000)]), 8),
        minlength=8,
    )
    assert spread.min() > 2_200  # 2,500 each, give or take
