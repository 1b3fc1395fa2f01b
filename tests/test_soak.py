"""Soak: `relnorthd run`, a process of its own, under a long seeded stream
of random NB changes (nbchanges.py: valid changes over fixed name pools,
so the NB stays small however long the stream runs). The changes are
applied one after another without waiting for SB; at every checkpoint the
test waits for SB (--wait=sb) and checks that SB holds what a from-scratch
compute of NB and SB would write, and samples relnorthd's resident memory
(the least over 2 s: what it holds between iterations).

Memory must stay flat: the peak of the second half of the checkpoints may
exceed that of the first half (after the first checkpoint, the warm-up) by
no more than MEMORY_SLACK. CI runs a sample of 300 changes; the slow job
(--all-cases) runs 10 000. Each run prints its checkpoints (pytest -s) and
writes them as JSON where RELNORTHD_SOAK_REPORT names a directory."""
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from nbchanges import Model, RandomDraw, change, topology
from relnorthd.reference import Sandbox
from test_run import converged, run_process

pytestmark = pytest.mark.usefixtures("reference_available")

MEMORY_SLACK = (1.10, 20.0)    # (factor, MB): second-half peak <= first-half peak * f + MB
ITERATION = re.compile(r"iteration \d+: \w+ \(.*?\) in ([\d.]+)s")   # run's log line


def _rss_mb(pid: int) -> float:
    """A process's resident memory now, in MB."""
    with open(f"/proc/{pid}/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return kb / 1024


def _idle_rss_mb(pid: int, seconds: float = 2.0) -> float:
    """The least resident memory of a process over `seconds`: what it holds
    between iterations (a sample taken during one, e.g. run's handshake
    after --wait=sb, would count that iteration's working memory)."""
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        samples.append(_rss_mb(pid))
        time.sleep(0.1)
    return min(samples)


def _caught_up(box: Sandbox) -> float:
    """Wait until relnorthd has caught up with NB (--wait=sb) and SB is what
    a from-scratch compute says; the seconds the first took."""
    start = time.monotonic()
    box.sync()
    lag = time.monotonic() - start
    left = converged(box)
    assert not left, left[:3]
    return lag


@pytest.mark.parametrize("changes,every", [
    pytest.param(300, 100, id="300"),
    pytest.param(10_000, 500, id="10000", marks=pytest.mark.slow)])
def test_soak(changes, every, tmp_path):
    draw, model = RandomDraw(changes), Model()
    checkpoints, log_file = [], tmp_path / "relnorthd.log"    # kept after a failure
    with Sandbox(northd=False) as box:
        with open(log_file, "w") as log_out:
            proc = run_process(box, stdout=subprocess.DEVNULL, stderr=log_out)
        try:
            box.run_script(topology(draw, model))
            start = time.monotonic()
            for i in range(1, changes + 1):
                box.run_script(change(draw, model))
                if i % every == 0:
                    assert proc.poll() is None, log_file
                    lag = _caught_up(box)
                    checkpoints.append({"changes": i, "seconds": round(time.monotonic() - start, 1),
                                        "caught_up_s": round(lag, 2),
                                        "rss_mb": round(_idle_rss_mb(proc.pid), 1)})
                    print(checkpoints[-1])
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    log = log_file.read_text()
    seconds = [float(s) for s in ITERATION.findall(" ".join(log.split()))]
    summary = {"iterations": len(seconds), "max_iteration_s": max(seconds, default=None)}
    print(summary)
    if os.environ.get("RELNORTHD_SOAK_REPORT"):
        Path(os.environ["RELNORTHD_SOAK_REPORT"], f"soak-{changes}.json").write_text(
            json.dumps({"checkpoints": checkpoints, **summary}, indent=1))
    assert "Traceback" not in log and "iteration failed" not in log, log[-3000:]
    rss = [c["rss_mb"] for c in checkpoints[1:]]
    first, second = rss[:len(rss) // 2], rss[len(rss) // 2:]
    factor, mb = MEMORY_SLACK
    assert max(second) <= max(first) * factor + mb, checkpoints
