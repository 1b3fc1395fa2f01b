"""Where an iteration's time goes: named phases timed with a context
manager, and percentiles of them over many iterations.

    timer = Phases()
    with timer("lib"):
        ...
    timer.seconds   # {"lib": 0.012, ...}: a phase entered twice adds up
    text(timer.seconds)   # "lib 12ms"
"""
from __future__ import annotations

import statistics
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


class Phases:
    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def text(seconds: dict[str, float]) -> str:
    """Phase times as one log line."""
    return " ".join(f"{name} {1000 * s:.0f}ms" for name, s in seconds.items())


def percentiles(runs: Iterable[dict[str, float]], points=(50, 90, 99)) -> dict[str, dict]:
    """phase -> {"n": iterations that had it, "p50": seconds, ...} over
    `runs` (Phases.seconds of each iteration)."""
    by_phase: dict[str, list[float]] = {}
    for run in runs:
        for name, s in run.items():
            by_phase.setdefault(name, []).append(s)
    out = {}
    for name, values in by_phase.items():
        cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 \
            else [values[0]] * 99
        out[name] = {"n": len(values), **{f"p{p}": cuts[p - 1] for p in points}}
    return out
