"""Deadline bunching: the per team-and-month binomial test, worked by hand."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from mittari.engine.integrity import BunchingPolicy, binomial_tail, deadline_bunching
from mittari.engine.types import US, State

TARGET = 10 * 3600 * US  # 10 h: the last 10 % is (9 h, 10 h], the window before (8 h, 9 h]


def test_binomial_tail_is_exact() -> None:
    # P(X ≥ 8), X ~ Bin(10, 1/2) = (C(10,8) + C(10,9) + C(10,10)) / 2^10 = 56 / 1024
    assert binomial_tail(8, 10) == float(Fraction(56, 1024))
    assert binomial_tail(0, 5) == 1.0
    assert binomial_tail(3, 3) == 1 / 8
    assert binomial_tail(4, 3) == 0.0  # more than m: impossible


def at_hours(*hours: float) -> np.ndarray:
    return np.array([round(h * 3600 * US) for h in hours], dtype=np.int64)


def test_a_team_whose_resolutions_crowd_before_the_deadline_is_flagged() -> None:
    # team 0: 12 just before due, 0 in the window before, 8 early: p = 1/2^12
    # team 1: 12 just before, 8 in the window before: p = P(X ≥ 12 | 20) ≈ 0.2517
    # team 2: 6 just before, none else: too few resolutions (6 < 20) to test
    elapsed = np.concatenate(
        (at_hours(*[9.5] * 12, *[2.0] * 8), at_hours(*[9.9] * 12, *[8.5] * 8), at_hours(*[9.1] * 6))
    )
    group = np.repeat([0, 1, 2], [20, 20, 6]).astype(np.int64)
    n = len(elapsed)
    b = deadline_bunching(
        group,
        np.zeros(n, dtype=np.int64),
        np.full(n, State.MET, dtype=np.int8),
        elapsed,
        np.full(n, TARGET, dtype=np.int64),
        BunchingPolicy(),
    )
    assert b.group.tolist() == [0, 1, 2]
    assert b.resolutions.tolist() == [20, 20, 6]
    assert b.last.tolist() == [12, 12, 6] and b.before.tolist() == [0, 8, 0]
    assert b.p_value[0] == 1 / 4096
    assert b.p_value[1] == pytest.approx(0.2517, abs=1e-4)
    assert b.flagged.tolist() == [True, False, False]
    assert b.rows[b.offsets[0] : b.offsets[1]].tolist() == list(range(12))  # the evidence


def test_window_edges_running_clocks_and_unknown_groups() -> None:
    elapsed = at_hours(10.0, 9.0, 8.0, 10.0 + 1 / 3600, 9.5, 9.5)
    state = np.array([State.MET, State.MET, State.MET, State.BREACHED, State.RUNNING, State.MET])
    group = np.array([0, 0, 0, 0, 0, -1], dtype=np.int64)  # the last row has no team
    b = deadline_bunching(
        group,
        np.zeros(6, dtype=np.int64),
        state.astype(np.int8),
        elapsed,
        np.full(6, TARGET, dtype=np.int64),
        BunchingPolicy(min_resolutions=1),
    )
    # 10 h exactly: last window; 9 h exactly: the window before; 8 h: neither; 10 h + 1 s:
    # over the target, neither; the running clock and the team-less row are not counted.
    assert (b.resolutions.tolist(), b.last.tolist(), b.before.tolist()) == ([4], [1], [1])
    assert b.p_value.tolist() == [0.75]
