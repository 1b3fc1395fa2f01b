"""Benchmark: `relnorthd compute` vs the reference ovn-northd 23.03.1 full
recompute on the same generated NB, side by side in one run.

    python3 benchmarks/bench_compute.py --scale 100x20 --scale 2000x400 --policy 500

For each scale (SWITCHESxROUTERS[xPORTS]), each --policy NAMESPACES (a
Kubernetes-network-policy NB: 3 port groups and 6 ACLs per namespace, pods
on 50 node switches) each --lbs SWITCHESxSERVICES (a cluster LB group of
that many services on every switch, 10 pods per switch) and each --profile
NAME:SCALE (a `relnorthd gen` profile, e.g. ovn-k8s:120):
- relnorthd: a fresh Python process mirrors the NB file, runs the rules and
  groups datapaths; wall time of that work and the process's peak RSS.
- reference: relnorthd.reference.recompute_timing: a sandbox loads the same
  NB; after the first sync, northd is told `inc-engine/recompute` and we
  wait for `--wait=sb sync` (median of --repeat runs); also its stopwatch
  `build_lflows` average and its peak RSS (VmHWM).
Both outputs are compared flow for flow, so the timing is of equal work;
where they differ (an NB using features relnorthd has no rules for yet,
e.g. the NAT and router LBs of ovn-k8s until they land), the table says how
many flows only the reference / only relnorthd has and lists those features.
With --merge, --json FILE keeps FILE's other entries and replaces those
measured again (--plot plots them all), so new entries can be measured alone.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from relnorthd import mirror, profiles, support
from relnorthd.compare import compare
from relnorthd.pipeline import compute
from relnorthd.generate import datapaths_nb, lb_group_nb, policy_nb
from relnorthd.reference import recompute_timing, run_reference

OURS = """
import json, sys, time
t0 = time.perf_counter()
from relnorthd import mirror
from relnorthd.pipeline import compute
t1 = time.perf_counter()
r = compute(mirror.load(sys.argv[1]))
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t1, "import_seconds": t1 - t0,
                  "rows": r.n_flow_rows(), "sb_flows": r.grouped.flows.num_rows,
                  # VmHWM, not ru_maxrss: the latter is inherited from the forking parent
                  "peak_rss_mb": int(open("/proc/self/status").read().split("VmHWM:")[1]
                                     .split()[0]) / 1024}))
"""


def bench_ours(nb: Path, repeat: int) -> dict:
    runs = [json.loads(subprocess.run([sys.executable, "-c", OURS, str(nb)], check=True,
                                      capture_output=True, text=True).stdout)
            for _ in range(repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    best["seconds"] = statistics.median(r["seconds"] for r in runs)
    return best


def check(nb: Path) -> tuple[dict, list[tuple[str, int]]]:
    """Both outputs compared (Comparison.to_json without examples) and the NB
    features relnorthd has no rules for yet (support.unsupported)."""
    result = compute(mirror.load(nb))
    diff = compare(result.grouped.expanded(), run_reference(nb_file=nb).flows)
    return diff.to_json(examples=0), support.unsupported(result.nb)


def _datapaths(scale: str):
    n_ls, n_lr, n_ports = ([int(x) for x in scale.split("x")] + [0])[:3]
    return lambda path: (datapaths_nb(path, n_ls, n_lr, n_ports),
                         f"{n_ls} LS x {n_ports} ports / {n_lr} LR")


def _policy(namespaces: int):
    return lambda path: (policy_nb(path, namespaces, nodes=50, pods_per_namespace=10),
                         f"policy: {namespaces} ns, {3 * namespaces} PGs, {6 * namespaces} ACLs")


def _lbs(spec: str):
    n_ls, services = (int(x) for x in spec.split("x"))
    return lambda path: (lb_group_nb(path, n_ls, services),
                         f"LB group: {services} services on {n_ls} LS x 10 ports")


def _profile(spec: str):
    name, scale = spec.split(":")

    def make(path):
        profiles.generate(name, int(scale), path)
        return path, f"{name} profile, scale {scale}"
    return make


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", action="append", default=None,
                    help="SWITCHESxROUTERS or SWITCHESxROUTERSxPORTS_PER_SWITCH (repeatable; "
                         "default 100x20, 1000x200, 5000x1000)")
    ap.add_argument("--policy", action="append", type=int, default=[],
                    help="NAMESPACES of a network-policy NB (repeatable)")
    ap.add_argument("--lbs", action="append", default=[],
                    help="SWITCHESxSERVICES of an LB-group NB (repeatable)")
    ap.add_argument("--profile", action="append", default=[],
                    help="NAME:SCALE of a relnorthd gen profile (repeatable)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--merge", action="store_true",
                    help="keep the --json file's entries of NBs not measured in this run")
    ap.add_argument("--plot", type=Path, help="also plot the times and memory to this PNG")
    args = ap.parse_args()
    scales = args.scale or ([] if args.policy or args.lbs or args.profile
                            else ["100x20", "1000x200", "5000x1000"])
    console = Console(width=160)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, make in [*[(s, _datapaths(s)) for s in scales],
                            *[(f"policy {n}", _policy(n)) for n in args.policy],
                            *[(f"lbs {x}", _lbs(x)) for x in args.lbs],
                            *[(f"profile {x}", _profile(x)) for x in args.profile]]:
            nb, shape = make(Path(tmp) / f"nb-{label.replace(' ', '-')}.db")
            with console.status(f"{label}: checking equality"):
                diff, unsupported = check(nb)
            with console.status(f"{label}: relnorthd"):
                ours = bench_ours(nb, args.repeat)
            with console.status(f"{label}: reference"):
                ref = recompute_timing(nb, args.repeat)
            results.append({"scale": label, "nb": shape, "equal": diff["equal"],
                            "differences": {k: diff[k] for k in ("only_reference", "only_ours")},
                            "unsupported": unsupported, "relnorthd": ours, "reference": ref})
    print_table(console, results)
    if args.json:
        if args.merge and args.json.exists():   # replaced in place, new ones last
            new = {r["scale"]: r for r in results}
            results = [new.pop(r["scale"], r) for r in json.loads(args.json.read_text())]
            results += new.values()
        args.json.write_text(json.dumps(results, indent=2))
    if args.plot:
        plot(results, args.plot)


def print_table(console: Console, results: list[dict]) -> None:
    """The measurements side by side, then the features each unequal NB lacks."""
    table = Table(title="relnorthd compute vs ovn-northd 23.03.1 recompute")
    for col in ("NB", "flow rows", "SB flows", "equal", "relnorthd s", "northd s", "time ratio",
                "northd build_lflows ms", "relnorthd MB", "northd MB", "mem ratio"):
        table.add_column(col, justify="right")
    for r in results:
        o, f = r["relnorthd"], r["reference"]
        table.add_row(r["nb"], str(o["rows"]), str(o["sb_flows"]),
                      _equality(r), f"{o['seconds']:.3f}", f"{f['seconds']:.3f}",
                      f"{o['seconds'] / f['seconds']:.1f}x", f"{f['build_lflows_ms']:.1f}",
                      f"{o['peak_rss_mb']:.0f}", f"{f['peak_rss_mb']:.0f}",
                      f"{o['peak_rss_mb'] / f['peak_rss_mb']:.1f}x")
    console.print(table)
    for r in results:
        if r["unsupported"]:
            console.print(f"{r['nb']}: not yet supported: "
                          + "; ".join(f"{what} ({n})" for what, n in r["unsupported"]))


def _equality(r: dict) -> str:
    """yes, or how many flows only the reference (-) and only relnorthd (+) has."""
    if r["equal"]:
        return "yes"
    d = r["differences"]
    return f"NO: -{d['only_reference']} +{d['only_ours']}"


def plot(results: list[dict], path: Path) -> None:
    """Side-by-side bars of wall time and peak RSS per NB."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [r["nb"] + ("" if r["equal"] else " (not equal)") for r in results]
    fig, axes = plt.subplots(1, 2, figsize=(12, 0.6 * len(labels) + 2))
    for ax, key, unit in ((axes[0], "seconds", "s"), (axes[1], "peak_rss_mb", "MB")):
        y = range(len(labels))
        ax.barh([i + 0.2 for i in y], [r["relnorthd"][key] for r in results], 0.4,
                label="relnorthd")
        ax.barh([i - 0.2 for i in y], [r["reference"][key] for r in results], 0.4,
                label="ovn-northd 23.03.1")
        ax.set(yticks=list(y), yticklabels=labels if ax is axes[0] else [], xlabel=unit,
               title=f"{key} (lower is better)")
        ax.invert_yaxis()
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


if __name__ == "__main__":
    main()
