"""Profile: where one `relnorthd run` iteration after a one-port NB change
spends its time (see docs/incremental-profile.md).

    python3 benchmarks/profile_iterate.py NB_FILE [--repeat 5] [--cprofile 25]
    python3 benchmarks/profile_iterate.py --tiny [--repeat 5]

NB_FILE (e.g. from `relnorthd gen l2 --scale 20 -o nb.db`) is loaded into a
sandbox without ovn-northd; a Northd (daemon.py) is stepped by hand: a first
full iteration, then, REPEAT times, one port added to the first switch and
the incremental iteration it causes. Prints the median seconds of each of
the iteration's phases (daemon.Iteration.phases); --cprofile N also prints
the N functions with the most cumulative time over those iterations.
--tiny times pipeline.compute_flows on a one-switch NB instead.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

from relnorthd import mirror
from relnorthd.daemon import LOCK, Northd
from relnorthd.dependencies import rule_inputs, rule_reads, sb_row_reads
from relnorthd.phases import Phases
from relnorthd.reference import Sandbox


def iterations(nb_file: str, repeat: int, profile: cProfile.Profile | None):
    rule_inputs(), rule_reads(), sb_row_reads()     # as Northd.run does, up front
    runs = []
    with Sandbox(nb_file=nb_file, northd=False, timeout=600) as box:
        northd = Northd(box.nb_remote, box.sb_remote)
        northd._connect()
        while not northd.sb.has_lock(LOCK):
            northd.sb.poll()
        northd.nb.poll()
        print(f"  first: {northd.step().summary()}")
        switch = sorted(r["name"] for r in northd.nb.store["Logical_Switch"].values())[0]
        for i in range(repeat):
            box.nbctl("lsp-add", switch, f"prof-p{i}", "--", "lsp-set-addresses",
                      f"prof-p{i}", f"0a:58:0a:fe:00:{i + 1:02x} 10.254.0.{i + 1}")
            it = None
            while it is None:
                northd.nb.poll()
                northd.sb.poll()
                if profile:
                    profile.enable()
                it = northd.step()
                if profile:
                    profile.disable()
                time.sleep(0.01)
            print(f"  {it.summary()}")
            runs.append({"iteration": it.seconds, **it.phases})
        northd._disconnect()
    return runs


def tiny(repeat: int) -> list[dict[str, float]]:
    from relnorthd.pipeline import compute_flows
    with Sandbox(northd=False) as box:
        box.nbctl("ls-add", "sw0", "--", "lsp-add", "sw0", "p0", "--",
                  "lsp-set-addresses", "p0", "0a:00:00:00:00:01 10.0.0.1")
        nb = mirror.load(box.nb_remote, mirror.NB)
    compute_flows(nb)           # warm: rule queries widened once per process
    runs = []
    for _ in range(repeat):
        timer = Phases()
        start = time.perf_counter()
        compute_flows(nb, timer=timer)
        runs.append({"compute_flows": time.perf_counter() - start, **timer.seconds})
    return runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nb_file", nargs="?")
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cprofile", type=int, default=0, metavar="N")
    args = ap.parse_args()
    profile = cProfile.Profile() if args.cprofile else None
    runs = tiny(args.repeat) if args.tiny else iterations(args.nb_file, args.repeat, profile)
    for phase in runs[0]:
        print(f"{phase:24} {statistics.median(r.get(phase, 0.0) for r in runs):7.3f} s")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
