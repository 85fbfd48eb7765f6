"""A token bucket per client address, in process: enough to stop one client hammering the
public survey pages (a deployment with several workers limits each worker on its own)."""

from __future__ import annotations

import threading
import time


class TokenBuckets:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0  # tokens per second
        self._buckets: dict[str, tuple[float, float]] = {}  # address → (tokens, when)
        self._lock = threading.Lock()

    def allow(self, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.get(address, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.refill)
            allowed = tokens >= 1.0
            self._buckets[address] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._buckets) > 100_000:  # forget the idle ones: memory stays bounded
                self._buckets = {a: v for a, v in self._buckets.items() if now - v[1] < 60}
            return allowed
