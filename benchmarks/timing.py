"""Timing helpers shared by the standalone ``bench_*.py`` scripts (not a benchmark itself)."""

from __future__ import annotations

import gc
import time


def best(fn, *, repeat: int) -> tuple[float, object]:
    """The fastest of ``repeat`` runs of ``fn()`` in seconds (garbage collected before each), and its result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result
