"""The compliance rollup against a slow per-group computation, and months in the zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mittari.engine.compliance import month_periods, rollup
from mittari.engine.types import NULL_TS, US, State


def slow_rollup(keys: list[list[int]], states: list[int], elapsed: list[int]) -> dict:
    """Per group: count, met, compliance and numpy's percentiles, one group at a time."""
    groups: dict[tuple[int, ...], list[tuple[int, int]]] = {}
    for i, state in enumerate(states):
        if state in (State.MET, State.BREACHED):
            groups.setdefault(tuple(k[i] for k in keys), []).append((state, elapsed[i]))
    out = {}
    for key, rows in groups.items():
        values = np.array([e for _, e in rows], dtype=np.float64) / US
        met = sum(1 for s, _ in rows if s == State.MET)
        out[key] = (
            len(rows),
            met,
            100.0 * met / len(rows),
            float(np.percentile(values, 50)),
            float(np.percentile(values, 90)),
            float(values.mean()),
        )
    return out


@settings(deadline=None, max_examples=200)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 2),
            st.integers(0, 3),
            st.sampled_from(list(State)),
            st.integers(0, 10**12),
        ),
        max_size=60,
    )
)
def test_rollup_equals_the_slow_per_group_computation(rows: list[tuple]) -> None:
    k1 = [r[0] for r in rows]
    k2 = [r[1] for r in rows]
    states = [int(r[2]) for r in rows]
    elapsed = [r[3] for r in rows]
    r = rollup(
        [np.array(k1, np.int64), np.array(k2, np.int64)],
        np.array(states, np.int8),
        np.array(elapsed, np.int64),
    )
    got = {
        (int(a), int(b)): (int(c), int(m), float(p), float(p50), float(p90), float(mean))
        for a, b, c, m, p, p50, p90, mean in zip(
            r.keys[0],
            r.keys[1],
            r.count,
            r.met,
            r.compliance_pct,
            r.p50_s,
            r.p90_s,
            r.mean_s,
            strict=True,
        )
    }
    want = slow_rollup([k1, k2], states, elapsed)
    assert got.keys() == want.keys()
    for key, values in want.items():
        assert got[key][:2] == values[:2]
        assert got[key][2:] == pytest.approx(values[2:], rel=1e-12)
    assert (r.breached == r.count - r.met).all()


def test_hand_worked_rollup() -> None:
    # Group 0: met 10 min, met 20 min, breached 60 min, a running clock (not counted).
    state = np.array([State.MET, State.MET, State.BREACHED, State.RUNNING], np.int8)
    elapsed = np.array([600, 1200, 3600, 99999], np.int64) * US
    r = rollup([np.zeros(4, np.int64)], state, elapsed)
    assert (r.count[0], r.met[0], r.breached[0]) == (3, 2, 1)
    assert r.compliance_pct[0] == pytest.approx(200 / 3)
    assert r.p50_s[0] == 1200.0
    assert r.p90_s[0] == pytest.approx(1200 + 0.8 * 2400)  # rank 1.8 between 1200 and 3600
    assert r.mean_s[0] == pytest.approx(1800.0)


def us(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp()) * US


def test_months_are_local_months_of_the_contract_zone() -> None:
    # 31 Oct 2026 23:30 in Helsinki (EET after the DST change on the 25th) is 21:30 UTC:
    # still October locally. 1 Nov 00:30 local is 31 Oct 22:30 UTC: November locally.
    ts = np.array(
        [
            us("2026-10-31T23:30:00+02:00"),
            us("2026-11-01T00:30:00+02:00"),
            us("2026-03-29T03:30:00+03:00"),
            NULL_TS,
        ],
        np.int64,
    )
    code, labels = month_periods(ts, "Europe/Helsinki")
    assert [labels[c] if c >= 0 else None for c in code] == ["2026-10", "2026-11", "2026-03", None]


def test_months_in_a_zone_behind_utc() -> None:
    # 31 Aug 23:30 in Santiago (-04:00) is already 1 Sep 03:30 UTC, yet it is August there.
    zone = ZoneInfo("America/Santiago")
    before = datetime(2026, 8, 31, 23, 30, tzinfo=zone)
    after = datetime(2026, 9, 1, 0, 30, tzinfo=zone)
    ts = np.array([int(before.timestamp()) * US, int(after.timestamp()) * US], np.int64)
    code, labels = month_periods(ts, "America/Santiago")
    assert [labels[c] for c in code] == ["2026-08", "2026-09"]
