"""`relnorthd run --stats FILE` as a process: on SIGTERM it finishes its
iteration, stops, logs a summary and writes the per-phase percentiles of its
incremental iterations and every iteration to FILE."""
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from relnorthd.reference import Sandbox
from test_run import run_process

pytestmark = pytest.mark.usefixtures("reference_available")

ROOT = Path(__file__).resolve().parents[1]
PORTS = 3


def test_sigterm_writes_the_stats(tmp_path):
    stats = tmp_path / "stats.json"
    with Sandbox(northd=False) as box:
        box.nbctl("ls-add", "sw0")
        env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        proc = run_process(box, f"--stats={stats}", env=env, stderr=subprocess.PIPE, text=True)
        try:
            box.sync()
            for i in range(PORTS):
                box.nbctl("--wait=sb", "lsp-add", "sw0", f"p{i}", "--", "lsp-set-addresses",
                          f"p{i}", f"00:00:00:00:00:0{i + 1} 10.0.0.{i + 2}")
            bound = box.sbctl("--bare", "--columns=logical_port", "list", "Port_Binding")
            proc.send_signal(signal.SIGTERM)
            _, log = proc.communicate(timeout=30)
        finally:
            proc.kill()
    assert proc.returncode == 0, log
    assert {f"p{i}" for i in range(PORTS)} <= set(bound.split())
    summary = json.loads(stats.read_text())
    assert summary["modes"]["recompute"] >= 1
    assert summary["modes"]["incremental"] >= PORTS
    its = [it for it in summary["iterations"] if it["mode"] == "incremental"]
    assert [it["at"] for it in its] == sorted(it["at"] for it in its)
    assert summary["seconds"]["n"] == len(its)
    for phase in ("snapshot", "plan", "commit"):
        p = summary["phases"][phase]
        assert p["n"] == len(its) and 0 <= p["p50"] <= p["p90"] <= p["p99"]
    assert f"{len(its)} incremental; incremental p50/p90 ms:" in " ".join(log.split())
