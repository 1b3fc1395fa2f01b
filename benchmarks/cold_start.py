"""One cold start of one northd, as a whole process (issue 18): a sandbox
with NB_FILE and an empty SB, the northd started, then `ovn-nbctl --wait=sb
sync` until SB has it all; prints the side and the seconds. Pair runs of
the two sides with a whole-process timer (e.g. /usr/bin/time -v), in
alternation, for ratios that hold while the machine's speed drifts.

    python3 benchmarks/cold_start.py relnorthd NB_FILE
    python3 benchmarks/cold_start.py reference NB_FILE

NB_FILE from e.g. `relnorthd gen ovn-k8s --scale 500 -o nb.db`.
"""
from __future__ import annotations

import argparse
import subprocess
import time

from relnorthd.reference import Sandbox


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("side", choices=["relnorthd", "reference"])
    ap.add_argument("nb_file")
    args = ap.parse_args()
    with Sandbox(args.nb_file, northd=args.side == "reference", timeout=600) as box:
        start = time.perf_counter()
        run = (subprocess.Popen(["relnorthd", "run", "--ovnnb-db", box.nb_remote,
                                 "--ovnsb-db", box.sb_remote],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               if args.side == "relnorthd" else None)
        try:
            box.sync()
            print(args.side, f"{time.perf_counter() - start:.2f}", flush=True)
        finally:
            if run is not None:
                run.kill()
                run.wait()


if __name__ == "__main__":
    main()
