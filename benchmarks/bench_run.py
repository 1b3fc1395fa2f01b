"""Benchmark: `relnorthd run` vs the reference ovn-northd 23.03.1 as running
northds, per NB change.

    python3 benchmarks/bench_run.py --switches 20 --switches 120

For each size, an NB of SWITCHES switches with --ports VIF ports each and a
cluster LB group of --services services on every switch
(generate.lb_group_nb) is loaded into a sandbox's NB; then three times --
relnorthd run (in this process) incremental, relnorthd run forced to
recompute every rule on each change, and ovn-northd -- the same NB changes
are applied one by one with `ovn-nbctl --wait=sb`:
- first sync: start of the northd to SB committed;
- per change: the `--wait=sb` wall time (NB commit -> SB committed -> sb_cfg)
  and the SB rows it wrote: rows of the tables relnorthd writes inserted,
  updated and deleted, counted from SB snapshots before and after.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from relnorthd import mirror
from relnorthd.daemon import Northd
from relnorthd.generate import lb_group_nb
from relnorthd.reference import Sandbox
from relnorthd.sbsync import OWNED

MODES = ("incremental", "recompute", "reference")

CHANGES = [
    ("add a port", ["lsp-add", "sw0", "bench-p", "--", "lsp-set-addresses", "bench-p",
                    "0a:58:0a:ff:00:01 10.255.0.1"]),
    ("add an ACL", ["acl-add", "sw1", "to-lport", "1001", "ip4.src == 10.255.0.9", "drop"]),
    ("add a service to the LB group",
     ["--id=@lb", "create", "load_balancer", "name=bench-lb", "protocol=tcp",
      'vips:"10.99.0.1:80"="10.0.0.2:8080"', "--", "add", "load_balancer_group",
      "clusterLBGroup", "load_balancer", "@lb"]),
    ("port external_ids only", ["set", "logical_switch_port", "sw0-p0", "external_ids:x=y"]),
    ("delete the port", ["lsp-del", "bench-p"]),
]


def _rows(box: Sandbox) -> dict[str, dict[str, tuple]]:
    sb = mirror.load(f"unix:{box.sb_sock}", mirror.SB)
    out = {}
    for table in OWNED:
        t = sb[table]
        cols = [c for c in t.column_names if c != "_uuid"]
        out[table] = {r["_uuid"]: tuple(str(r[c]) for c in cols) for r in t.to_pylist()}
    return out


def _written(before, after) -> int:
    n = 0
    for table in before:
        b, a = before[table], after[table]
        n += len(a.keys() - b.keys()) + len(b.keys() - a.keys())
        n += sum(1 for u in a.keys() & b.keys() if a[u] != b[u])
    return n


def bench(nb_file: Path, which: str) -> dict:
    """First sync and per-change latency / SB rows for one northd (MODES)."""
    out = {"changes": {}}
    ours = which != "reference"
    with Sandbox(nb_file=nb_file, northd=False, timeout=600) as box:
        stop = threading.Event()
        start = time.perf_counter()
        if ours:
            northd = Northd(f"unix:{box.nb_sock}", f"unix:{box.sb_sock}")
            thread = threading.Thread(target=northd.run, args=(stop.is_set,), daemon=True)
            thread.start()
        else:
            box.start_northd()
        box.sync()
        out["first_sync_s"] = time.perf_counter() - start
        for name, argv in CHANGES:
            before = _rows(box)
            if which == "recompute":
                northd.force_recompute = True
            start = time.perf_counter()
            box.nbctl(f"--timeout={int(box.timeout)}", "--wait=sb", *argv)
            seconds = time.perf_counter() - start
            out["changes"][name] = {"seconds": seconds, "sb_rows": _written(before, _rows(box))}
            if ours:
                out["changes"][name]["mode"] = northd.iterations[-1].mode
        stop.set()
        if ours:
            thread.join(30)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--switches", action="append", type=int, default=None)
    ap.add_argument("--ports", type=int, default=50)
    ap.add_argument("--services", type=int, default=100)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    console = Console(width=150)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.switches or [20, 120]:
            nb = lb_group_nb(Path(tmp) / f"nb-{n}.db", n, args.services, args.ports)
            row = {"switches": n}
            for which in MODES:
                with console.status(f"{n} switches: {which}"):
                    row[which] = bench(nb, which)
            results.append(row)
    table = Table(title="per NB change: --wait=sb latency and SB rows written "
                        "(relnorthd incremental / full recompute vs ovn-northd 23.03.1)")
    for col in ("switches", "change", *(f"{m} s" for m in MODES), *(f"{m} rows" for m in MODES)):
        table.add_column(col, justify="right")
    for r in results:
        table.add_row(str(r["switches"]), "first sync",
                      *(f"{r[m]['first_sync_s']:.2f}" for m in MODES), *("" for _ in MODES))
        for name in r["reference"]["changes"]:
            got = [r[m]["changes"][name] for m in MODES]
            table.add_row("", name, *(f"{c['seconds']:.2f}" for c in got),
                          *(str(c["sb_rows"]) for c in got))
    console.print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
