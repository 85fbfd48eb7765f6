"""The rule of each record, found once per distinct (activity, lifecycle) and broadcast.

A log of a million events has a few dozen distinct pairs: the rows are dictionary-encoded
by pair (a hash pass in Arrow), the rules are looked up for the pairs in Python, and every
per-row answer is a numpy take through the pair codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I64, BoolArr
from mittari.importers.eventlog.model import EmitModel, MappingModel, RuleModel

_SEP = "\x1f"  # joins activity and lifecycle into one key; not a character of either


@dataclass(frozen=True)
class Pairs:
    """The distinct (activity, lifecycle) of a log, each one's rule, and each row's pair."""

    code: I64  # per row: its pair
    activity: list[str]  # per pair
    lifecycle: list[str]
    rule: list[RuleModel | None]  # None: no rule matches

    @cached_property
    def raw(self) -> pa.Array:
        """Per pair, the value as written: `activity/lifecycle`, or `activity` alone."""
        return pa.array(
            [
                a if not lc else f"{a}/{lc}"
                for a, lc in zip(self.activity, self.lifecycle, strict=True)
            ],
            pa.string(),
        )

    @property
    def unmatched(self) -> BoolArr:
        """Per pair: a non-empty activity no rule matches."""
        found = [r is None and a != "" for r, a in zip(self.rule, self.activity, strict=True)]
        return np.array(found, dtype=bool)

    @property
    def ignored(self) -> BoolArr:
        """Per pair: matched by a rule that emits nothing."""
        return np.array([r is not None and not r.emit for r in self.rule], dtype=bool)

    def emits(self, k: int) -> list[EmitModel | None]:
        """Per pair, the k-th event its rule emits (None where it emits fewer)."""
        return [None if r is None or len(r.emit) <= k else r.emit[k] for r in self.rule]

    @property
    def most_emitted(self) -> int:
        return max((len(r.emit) for r in self.rule if r is not None), default=0)


def pairs_of(activity: pa.Array, lifecycle: pa.Array, spec: MappingModel) -> Pairs:
    """Each row's pair and each pair's rule (an exact rule before an activity-wide one)."""
    encoded = pc.dictionary_encode(pc.binary_join_element_wise(activity, lifecycle, _SEP))
    code = np.asarray(encoded.indices.to_numpy(), dtype=np.int64)
    split = [word.split(_SEP, 1) for word in encoded.dictionary.to_pylist()]
    activities, lifecycles = [a for a, _ in split], [lc for _, lc in split]
    exact = {(r.activity, r.lifecycle): r for r in spec.rules if r.lifecycle is not None}
    wide = {r.activity: r for r in spec.rules if r.lifecycle is None}
    rule = [exact.get((a, lc), wide.get(a)) for a, lc in zip(activities, lifecycles, strict=True)]
    return Pairs(code, activities, lifecycles, rule)
