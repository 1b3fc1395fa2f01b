"""Profile: where one `relnorthd run` iteration after a one-port NB change
spends its time (relative shares; see docs/incremental-profile.md).

    python3 benchmarks/profile_iterate.py NB_FILE [--repeat 5]
    python3 benchmarks/profile_iterate.py --tiny [--repeat 5]

NB_FILE (e.g. from `relnorthd gen l2 --scale 20 -o nb.db`) is loaded into a
sandbox without ovn-northd; a Northd (daemon.py) is stepped by hand: a first
full iteration, then, REPEAT times, one port added to the first switch and
the incremental iteration it causes profiled with cProfile. --tiny profiles
rules.compute_flows on a one-switch NB instead. Prints the median seconds
of each phase (cumulative time of the functions named in PHASES).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

from relnorthd import mirror
from relnorthd.daemon import LOCK, Northd
from relnorthd.incremental import rule_inputs, rule_reads
from relnorthd.reference import Sandbox

# phase -> (module file suffix, function name): cumulative time
PHASES = {
    "iterate (total)": ("daemon.py", "iterate"),
    "database_snapshot": ("session.py", "database_snapshot"),
    "compute_flows": ("rules.py", "compute_flows"),
    "  connect": ("rules.py", "connect"),
    "    python_relations": ("derive.py", "python_relations"),
    "    sb_input_tables": ("sbinputs.py", "sb_input_tables"),
    "  fingerprints": ("rules.py", "fingerprints"),
    "  keyed_fingerprints": ("rules.py", "keyed_fingerprints"),
    "  run (rules)": ("rules.py", "run"),
    "group (lflows)": ("lflows.py", "group"),
    "plan (sbsync)": ("sbsync.py", "plan"),
    "commit": ("daemon.py", "_commit"),
    "duckdb bind (all)": ("_seam.py", "bind"),
    "duckdb submit (all)": ("_seam.py", "submit"),
}


def phases(profile: cProfile.Profile) -> dict[str, float]:
    stats = pstats.Stats(profile).stats
    out = {}
    for phase, (suffix, name) in PHASES.items():
        out[phase] = sum(v[3] for (f, _, n), v in stats.items()
                         if n == name and f.endswith(suffix))
    parts = ("  connect", "  fingerprints", "  keyed_fingerprints", "  run (rules)")
    out["  rest (dp_sets, sb/ rows)"] = out["compute_flows"] - sum(out[p] for p in parts)
    return out


def iterations(nb_file: str, repeat: int) -> list[dict[str, float]]:
    rule_inputs(), rule_reads()     # as Northd.run does, up front
    runs = []
    with Sandbox(nb_file=nb_file, northd=False, timeout=600) as box:
        northd = Northd(f"unix:{box.nb_sock}", f"unix:{box.sb_sock}")
        northd._connect()
        while not northd.sb.has_lock(LOCK):
            northd.sb.poll()
        northd.nb.poll()
        northd.step()
        switch = sorted(r["name"] for r in northd.nb.store["Logical_Switch"].values())[0]
        for i in range(repeat):
            box.nbctl("lsp-add", switch, f"prof-p{i}", "--", "lsp-set-addresses",
                      f"prof-p{i}", f"0a:58:0a:fe:00:{i + 1:02x} 10.254.0.{i + 1}")
            it = None
            while it is None:
                northd.nb.poll()
                northd.sb.poll()
                profile = cProfile.Profile()
                profile.enable()
                it = northd.step()
                profile.disable()
                time.sleep(0.01)
            print(f"  {it.summary()}")
            runs.append(phases(profile))
        northd._disconnect()
    return runs


def tiny(repeat: int) -> list[dict[str, float]]:
    from relnorthd.rules import compute_flows
    with Sandbox(northd=False) as box:
        box.nbctl("ls-add", "sw0", "--", "lsp-add", "sw0", "p0", "--",
                  "lsp-set-addresses", "p0", "0a:00:00:00:00:01 10.0.0.1")
        nb = mirror.load(f"unix:{box.nb_sock}", mirror.NB)
    compute_flows(nb)           # warm: rule queries widened once per process
    runs = []
    for _ in range(repeat):
        profile = cProfile.Profile()
        profile.enable()
        compute_flows(nb)
        profile.disable()
        runs.append(phases(profile))
    return runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nb_file", nargs="?")
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    runs = tiny(args.repeat) if args.tiny else iterations(args.nb_file, args.repeat)
    for phase in runs[0]:
        print(f"{phase:24} {statistics.median(r[phase] for r in runs):7.3f} s")


if __name__ == "__main__":
    main()
