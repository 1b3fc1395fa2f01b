"""Benchmark: `relnorthd run` vs the reference ovn-northd 23.03.1 as running
northds, per NB change.

    python3 benchmarks/bench_run.py --switches 20 --switches 120

For each size, an NB of SWITCHES switches with --ports VIF ports each and a
cluster LB group of --services services on every switch
(generate.lb_group_nb) is loaded into a sandbox's NB; then, once with
relnorthd run (in this process) and once with ovn-northd, the same NB
changes are applied one by one with `ovn-nbctl --wait=sb`:
- first sync: start of the northd to SB committed;
- per change: the `--wait=sb` wall time (NB commit -> SB committed -> sb_cfg)
  and the SB rows it wrote: Logical_Flow and Logical_DP_Group rows inserted,
  updated and deleted, counted from SB snapshots before and after.
relnorthd recomputes everything on each change (no incremental engine yet).
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
    for table in ("Logical_Flow", "Logical_DP_Group"):
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
    """First sync and per-change latency / SB rows for one northd."""
    out = {"changes": {}}
    with Sandbox(nb_file=nb_file, northd=False, timeout=600) as box:
        stop = threading.Event()
        start = time.perf_counter()
        if which == "relnorthd":
            northd = Northd(f"unix:{box.nb_sock}", f"unix:{box.sb_sock}")
            thread = threading.Thread(target=northd.run, args=(stop.is_set,), daemon=True)
            thread.start()
        else:
            box.start_northd()
        box.sync()
        out["first_sync_s"] = time.perf_counter() - start
        for name, argv in CHANGES:
            before = _rows(box)
            start = time.perf_counter()
            box.nbctl(f"--timeout={int(box.timeout)}", "--wait=sb", *argv)
            seconds = time.perf_counter() - start
            out["changes"][name] = {"seconds": seconds, "sb_rows": _written(before, _rows(box))}
        stop.set()
        if which == "relnorthd":
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
            for which in ("relnorthd", "reference"):
                with console.status(f"{n} switches: {which}"):
                    row[which] = bench(nb, which)
            results.append(row)
    table = Table(title="per NB change: --wait=sb latency and SB rows written "
                        "(relnorthd full recompute vs ovn-northd 23.03.1)")
    for col in ("switches", "change", "relnorthd s", "northd s", "relnorthd rows",
                "northd rows"):
        table.add_column(col, justify="right")
    for r in results:
        o, f = r["relnorthd"], r["reference"]
        table.add_row(str(r["switches"]), "first sync", f"{o['first_sync_s']:.2f}",
                      f"{f['first_sync_s']:.2f}", "", "")
        for name in o["changes"]:
            oc, fc = o["changes"][name], f["changes"][name]
            table.add_row("", name, f"{oc['seconds']:.2f}", f"{fc['seconds']:.2f}",
                          str(oc["sb_rows"]), str(fc["sb_rows"]))
    console.print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
