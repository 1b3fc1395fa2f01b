"""Benchmark: many NB snapshots in one `relnorthd compute` run against one
`relnorthd compute` process per snapshot, in NBs per second.

    python3 benchmarks/bench_many.py                          # 100 x ovn-k8s at 120 nodes
    python3 benchmarks/bench_many.py --count 10 --scale 2     # a quick check

The snapshots are `relnorthd gen PROFILE --scale SCALE --seed i` for i <
COUNT (same object counts, different seeded contents), or with --vary scale
a cluster growing to SCALE nodes (snapshot i at round(SCALE * (i+1) / COUNT)
nodes, seed 0). Both ways are timed as fresh processes, start-up included:
- many: `relnorthd compute --nb 'DIR/*.db' -o all.parquet` (one Parquet
  dataset with an nb column);
- separate: `relnorthd compute --nb DIR/X.db -o X.parquet` for each, in turn.
Wall time, NBs per second and peak RSS (for separate, of its largest
process). The dataset's SB flows per nb are checked
against the separate outputs' (tests/test_compute_many.py checks the rows).
With --repeat N, the two alternate N times and the medians are reported.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as parquet
from rich.console import Console
from rich.table import Table

from relnorthd import profiles

RELNORTHD = [sys.executable, "-c", "from relnorthd.cli import main; main()"]


def snapshots(directory: Path, profile: str, scale: int, count: int, vary: str) -> list[Path]:
    paths = []
    for i in range(count):
        nodes, seed = (scale, i) if vary == "seed" else (max(1, round(scale * (i + 1) / count)), 0)
        path = directory / f"{profile}-{i:03d}.db"
        profiles.generate(profile, nodes, path, seed=seed)
        paths.append(path)
    return paths


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a `relnorthd` process."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen([*RELNORTHD, *args], stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            stderr.seek(0)
            raise SystemExit(f"relnorthd {' '.join(args)} failed:\n{stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def run_many(snaps: Path, out: Path) -> tuple[float, float]:
    return timed(["compute", "--nb", str(snaps / "*.db"), "-o", str(out / "all.parquet")])


def run_separate(paths: list[Path], out: Path) -> tuple[float, float]:
    runs = [timed(["compute", "--nb", str(p), "-o", str(out / f"{p.stem}.parquet")])
            for p in paths]
    return sum(s for s, _ in runs), max(rss for _, rss in runs)


def check(paths: list[Path], out: Path) -> None:
    """The dataset has, per nb, the SB flows of that NB's separate run."""
    per_nb = Counter(parquet.read_table(out / "all.parquet", columns=["nb"])["nb"].to_pylist())
    alone = {p.stem: parquet.read_metadata(out / f"{p.stem}.parquet").num_rows for p in paths}
    if per_nb != alone:
        raise SystemExit(f"the dataset's SB flows per nb differ from the separate runs': "
                         f"{per_nb} != {alone}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="ovn-k8s")
    ap.add_argument("--scale", type=int, default=120)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--vary", choices=("seed", "scale"), default="seed")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        snaps, out = Path(tmp) / "snaps", Path(tmp) / "out"
        snaps.mkdir()
        out.mkdir()
        with console.status(f"generating {args.count} {args.profile} NBs"):
            paths = snapshots(snaps, args.profile, args.scale, args.count, args.vary)
        many, separate = [], []
        for i in range(args.repeat):    # alternated, so that both see the same machine load
            with console.status(f"run {i + 1}/{args.repeat}: one process for all NBs"):
                many.append(run_many(snaps, out))
            with console.status(f"run {i + 1}/{args.repeat}: a process per NB"):
                separate.append(run_separate(paths, out))
        check(paths, out)
    result = {"profile": args.profile, "scale": args.scale, "count": args.count,
              "vary": args.vary, "repeat": args.repeat,
              **{way: {"seconds": statistics.median(s for s, _ in runs),
                       "peak_rss_mb": max(rss for _, rss in runs)}
                 for way, runs in (("many", many), ("separate", separate))}}
    for way in ("many", "separate"):
        result[way]["nbs_per_second"] = args.count / result[way]["seconds"]
    print_table(console, result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


def print_table(console: Console, r: dict) -> None:
    what = (f"{r['count']} {r['profile']} NBs at scale {r['scale']}" if r["vary"] == "seed"
            else f"{r['count']} {r['profile']} NBs growing to scale {r['scale']}")
    table = Table(title=f"relnorthd compute: {what}")
    for col in ("way", "wall s", "NBs/s", "peak RSS MB"):
        table.add_column(col, justify="right")
    for way, label in (("many", "one process, all NBs"), ("separate", "a process per NB")):
        m = r[way]
        table.add_row(label, f"{m['seconds']:.2f}", f"{m['nbs_per_second']:.2f}",
                      f"{m['peak_rss_mb']:.0f}")
    console.print(table)
    console.print(f"speed-up: {r['separate']['seconds'] / r['many']['seconds']:.2f}x")


if __name__ == "__main__":
    main()
