"""Benchmark (issue 16): `relnorthd run` vs the reference ovn-northd 23.03.1
as running northds, per NB change, side by side in one run.

    python3 benchmarks/bench_run.py --sizes 120 500
    python3 benchmarks/bench_run.py --profile ovn-k8s --sizes 500 --cold-start --json F

For each profile (`relnorthd gen`: default l2 and ovn-k8s) and size, the
generated NB is loaded into a sandbox with an empty SB and each side in turn
serves it: `relnorthd run --stats` as its own process, ovn-northd, and with
--recompute also relnorthd forced to run every rule on each change (in this
process; latency only). Per side:
- cold start: northd started -> `--wait=sb sync` returns (empty SB);
- sync: median of --repeat no-change `ovn-nbctl --wait=sb sync`;
- per change kind (KINDS, found in the NB by `changes`; kinds the profile
  lacks are skipped and said so): --repeat times the change then its undo,
  each timed as `ovn-nbctl --wait=sb` (NB commit -> SB committed), then the
  northd let settle (until its process is idle); latency = median - the
  sync median; SB rows written = rows of the tables relnorthd writes
  (sbsync.OWNED) inserted, deleted or updated (`_version` changed) from
  before the change until it settled;
- peak RSS (VmHWM) of the northd process at the end;
- relnorthd: percentiles of each phase over the iterations of each change
  kind and over all incremental iterations (`run --stats`).
Results go to --json, a table to stdout, the latency plot to --plot.
Timings on a shared machine are noisy: run it on an idle one.
"""
from __future__ import annotations

import argparse
import ipaddress
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))   # this tree's relnorthd, here and in `relnorthd run`

from relnorthd import mirror, profiles  # noqa: E402
from relnorthd.daemon import Northd  # noqa: E402
from relnorthd.phases import percentiles  # noqa: E402
from relnorthd.reference import Sandbox  # noqa: E402
from relnorthd.sbsync import OWNED  # noqa: E402

SIDES = ("relnorthd", "reference")
RECOMPUTE = "recompute"
# the change kinds, in table order; each is measured as a change or as its undo
KINDS = ("add a port", "delete the port", "add an ACL to a port group",
         "add a VIP to an LB in the group of every switch", "external_ids only",
         "add a static route", "add a NAT")
TARGET_MS = 30
TIMEOUT = 1800
SETTLE_STEP, SETTLE_QUIET = 0.05, 3     # idle: no CPU tick in 3 x 50 ms


@dataclass
class Change:
    """A change and its undo, each named (`undo_kind` in KINDS is reported
    as a kind of its own; the other undos are kept in the JSON only)."""
    kind: str
    apply: list[str]
    undo_kind: str
    undo: list[str]
    target: str        # what it touches, for the output


def changes(nb_file: Path) -> tuple[list[Change], dict[str, str]]:
    """The CHANGES this NB allows, found in it: (changes, {kind: why skipped})."""
    nb = mirror.load(str(nb_file), mirror.NB)
    rows = {t: nb[t].to_pylist() for t in ("Logical_Switch", "Logical_Switch_Port",
                                           "Port_Group", "Load_Balancer_Group",
                                           "Load_Balancer", "Logical_Router", "NAT",
                                           "Logical_Router_Port",
                                           "Logical_Router_Static_Route")}
    by_uuid = {t: {r["_uuid"]: r for r in rs} for t, rs in rows.items()}
    out, skipped = [], {}
    used_ips = {a for p in rows["Logical_Switch_Port"] for a in _ips(p["addresses"])}

    lsps = by_uuid["Logical_Switch_Port"]
    switches = sorted(rows["Logical_Switch"], key=lambda s: (
        -len(s["load_balancer_group"]), -len(_vifs(s, lsps)), _natural(s["name"])))
    switch = switches[0] if switches and _vifs(switches[0], lsps) else None
    if switch is None:
        skipped.update({k: "no switch with VIF ports" for k in KINDS[:2] + KINDS[4:5]})
    else:
        port = _vifs(switch, lsps)[0]
        ip = _ips(port["addresses"])[0]
        try:        # next to its neighbours if the /24 has room
            new_ip = _free(ipaddress.ip_network(f"{ip}/24", strict=False), used_ips)
        except ValueError:
            new_ip = _free(ipaddress.ip_network("10.255.255.0/24"), used_ips)
        out.append(Change("add a port", ["lsp-add", switch["name"], "bench-port", "--",
                                         "lsp-set-addresses", "bench-port",
                                         f"0a:58:ff:00:00:01 {new_ip}"],
                          "delete the port", ["lsp-del", "bench-port"],
                          f"bench-port {new_ip} on {switch['name']}"))
        out.append(Change("external_ids only",
                          ["set", "logical_switch_port", port["name"], "external_ids:bench=1"],
                          "external_ids removed",
                          ["remove", "logical_switch_port", port["name"], "external_ids",
                           "bench"], f"port {port['name']}"))

    groups = sorted((g for g in rows["Port_Group"] if g["acls"]),
                    key=lambda g: (-len(g["ports"]), _natural(g["name"])))
    if groups:
        pg = groups[0]["name"]
        match = f"outport == @{pg} && ip4.src == 10.255.255.9"
        out.append(Change("add an ACL to a port group",
                          ["--type=port-group", "acl-add", pg, "to-lport", "1001", match, "drop"],
                          "delete the ACL",
                          ["--type=port-group", "acl-del", pg, "to-lport", "1001", match],
                          f"port group {pg}"))
    else:
        skipped["add an ACL to a port group"] = "no port group with ACLs"

    users = {}
    for table in ("Logical_Switch", "Logical_Router"):
        for r in rows[table]:
            for g in r["load_balancer_group"]:
                users.setdefault(g, {"Logical_Switch": 0, "Logical_Router": 0})[table] += 1
    group = max(users, key=lambda g: users[g]["Logical_Switch"], default=None)
    kind = KINDS[3]
    if group is None:
        skipped[kind] = "no load balancer group"
    else:
        lbs = sorted((by_uuid["Load_Balancer"][u] for u in
                      by_uuid["Load_Balancer_Group"][group]["load_balancer"]),
                     key=lambda lb: _natural(lb["name"]))
        lb = lbs[0]
        vip, backends = lb["vips"][0]
        new_vip = f"{vip.rsplit(':', 1)[0]}:65000"
        n = users[group]
        out.append(Change(kind, ["lb-add", lb["name"], new_vip, backends, lb["protocol"] or "tcp"],
                          "delete the VIP", ["lb-del", lb["name"], new_vip],
                          f"LB {lb['name']} of group "
                          f"{by_uuid['Load_Balancer_Group'][group]['name']} ({n['Logical_Switch']} "
                          f"of {len(rows['Logical_Switch'])} switches, {n['Logical_Router']} "
                          "routers)"))

    routers = sorted((r for r in rows["Logical_Router"] if r["static_routes"]),
                     key=lambda r: (-len(r["ports"]), _natural(r["name"])))
    if routers:
        router = routers[0]
        nexthop = by_uuid["Logical_Router_Static_Route"][router["static_routes"][0]]["nexthop"]
        prefix = "10.255.250.0/24"
        out.append(Change("add a static route",
                          ["lr-route-add", router["name"], prefix, nexthop],
                          "delete the route", ["lr-route-del", router["name"], prefix],
                          f"router {router['name']} via {nexthop}"))
    else:
        skipped["add a static route"] = "no router with static routes"

    routers = sorted((r for r in rows["Logical_Router"] if r["nat"]),
                     key=lambda r: _natural(r["name"]))
    if routers:
        router = routers[0]
        nat = by_uuid["NAT"][router["nat"][0]]
        ext = ipaddress.ip_address(nat["external_ip"])
        net = next((n for p in router["ports"]
                    for n in (ipaddress.ip_interface(x).network
                              for x in by_uuid["Logical_Router_Port"][p]["networks"])
                    if ext in n), ipaddress.ip_network(f"{ext}/24", strict=False))
        inside = ipaddress.ip_network(nat["logical_ip"], strict=False)
        ext_ip = _free(net, {nat["external_ip"] for nat in rows["NAT"]})
        logical_ip = _free(inside, used_ips, low=True)
        out.append(Change("add a NAT", ["lr-nat-add", router["name"], "dnat_and_snat", ext_ip,
                                        logical_ip],
                          "delete the NAT",
                          ["lr-nat-del", router["name"], "dnat_and_snat", ext_ip],
                          f"router {router['name']}: {ext_ip} <-> {logical_ip}"))
    else:
        skipped["add a NAT"] = "no router with NAT"
    out.sort(key=lambda c: KINDS.index(c.kind))
    return out, skipped


def _natural(name: str) -> tuple:
    """node2 before node10."""
    head = name.rstrip("0123456789")
    return head, int(name[len(head):] or -1)


def _vifs(switch: dict, lsps: dict) -> list[dict]:
    ports = (lsps[u] for u in switch["ports"])
    return sorted((p for p in ports if not p["type"] and _ips(p["addresses"])),
                  key=lambda p: _natural(p["name"]))


def _ips(addresses: list[str]) -> list[str]:
    return [w for a in addresses for w in a.split()[1:] if w.count(".") == 3]


def _free(net, used: set[str], low: bool = False) -> str:
    """An address of `net` not in `used`, from the top (or bottom) of it."""
    hosts = list(net.hosts())
    for ip in hosts[10:] if low else reversed(hosts[:-1]):
        if str(ip) not in used:
            return str(ip)
    raise ValueError(f"no free address in {net}")


class Side:
    """One northd serving a sandbox."""
    name = ""
    pid = None

    def __init__(self, box: Sandbox, tmp: Path):
        self.box, self.tmp = box, tmp

    def start(self) -> None: ...
    def before_change(self) -> None: ...

    def settle(self) -> None:
        """Wait until the northd process is idle (no CPU time for a while):
        what it does after SB committed (e.g. decoding the echo of its own
        transaction) is not charged to the next change."""
        quiet, ticks = 0, _cpu_ticks(self.pid)
        while quiet < SETTLE_QUIET:
            time.sleep(SETTLE_STEP)
            now = _cpu_ticks(self.pid)
            quiet, ticks = (quiet + 1 if now == ticks else 0), now

    def stop(self) -> dict: return {}       # noqa: E704
    def close(self) -> None: ...            # after a failure


class Relnorthd(Side):
    """`relnorthd run --stats` as its own process (this tree's code)."""
    name = "relnorthd"

    def start(self):
        self.stats, self.log = self.tmp / "stats.json", self.tmp / "relnorthd.log"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]), "COLUMNS": "250"}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from relnorthd.cli import app; app()", "run",
             f"--ovnnb-db=unix:{self.box.nb_sock}", f"--ovnsb-db=unix:{self.box.sb_sock}",
             f"--stats={self.stats}"], env=env, stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"))
        self.pid = self.proc.pid

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        if self.proc.wait(TIMEOUT):
            raise RuntimeError(f"relnorthd run exited {self.proc.returncode}: "
                               f"{self.log.read_text()[-2000:]}")
        return json.loads(self.stats.read_text())

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Reference(Side):
    name = "reference"

    def start(self):
        self.box.start_northd()
        self.pid = self.box.northd_pid()


class Recompute(Side):
    """relnorthd in this process, running every rule on each change."""
    name = RECOMPUTE

    def start(self):
        self.northd = Northd(f"unix:{self.box.nb_sock}", f"unix:{self.box.sb_sock}")
        self.event = threading.Event()
        self.thread = threading.Thread(target=self.northd.run, args=(self.event.is_set,),
                                       daemon=True)
        self.thread.start()

    def before_change(self):
        self.northd.force_recompute = True

    def stop(self):
        from relnorthd.cli import run_stats
        self.event.set()
        self.thread.join(TIMEOUT)
        return run_stats(self.northd.iterations)

    def close(self):
        self.event.set()

    def settle(self):         # this process is not idle while it waits
        self.box.sync()


def _versions(box: Sandbox) -> dict[str, str]:
    """uuid -> _version of every row of the SB tables relnorthd writes."""
    request = ["OVN_Southbound", *({"op": "select", "table": t, "where": [],
                                    "columns": ["_uuid", "_version"]} for t in OWNED)]
    out = {}
    for reply in json.loads(box.transact(json.dumps(request))):
        out.update((r["_uuid"][1], r["_version"][1]) for r in reply["rows"])
    return out


def _written(before: dict, after: dict) -> int:
    return (len(after.keys() - before.keys()) + len(before.keys() - after.keys())
            + sum(1 for u in after.keys() & before.keys() if after[u] != before[u]))


def _timed(box: Sandbox, *args: str) -> tuple[float, float, float]:
    """(seconds, wall start, wall end) of one `ovn-nbctl --wait=sb`."""
    wall, start = time.time(), time.perf_counter()
    box.nbctl(f"--timeout={TIMEOUT}", "--wait=sb", *args)
    return time.perf_counter() - start, wall, time.time()


def _cpu_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _peak_rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def bench(nb_file: Path, side_class, plan: list[Change], repeat: int, advance) -> dict:
    """Cold start, sync baseline, every change of `plan` and its undo `repeat`
    times, peak RSS and (relnorthd) phases, for one side."""
    with Sandbox(nb_file=nb_file, northd=False, timeout=TIMEOUT) as box, \
            tempfile.TemporaryDirectory() as tmp:
        side = side_class(box, Path(tmp))
        try:
            out, steps = _measure(box, side, plan, repeat, advance)
            out["peak_rss_mb"] = _peak_rss_mb(side.pid)
            stats = side.stop()
        finally:
            side.close()
    its = stats.get("iterations", [])
    out["changes"] = {}
    for name, runs in steps.items():
        median = statistics.median(r["seconds"] for r in runs)
        entry = {"seconds": [r["seconds"] for r in runs], "median_s": median,
                 "latency_s": median - out["sync_median_s"],
                 "sb_rows": [r["sb_rows"] for r in runs]}
        if its:
            mine = [[it for it in its if t0 <= it["at"] <= t1]
                    for t0, t1 in (r["window"] for r in runs)]
            entry["iterations"] = [[it["mode"] for it in m] for m in mine]
            entry["phases"] = percentiles(_summed(m) for m in mine if m)
        out["changes"][name] = entry
    windows = [r["window"] for runs in steps.values() for r in runs]
    out["other_iterations"] = [   # not during a change: cold start, echoes, syncs
        {"mode": it["mode"], "seconds": it["seconds"], "at_s": it["at"] - out["started"]}
        for it in its if not any(t0 <= it["at"] <= t1 for t0, t1 in windows)]
    out["wall_s"] = time.time() - out["started"]
    if stats:
        out["stats"] = {k: v for k, v in stats.items() if k != "iterations"}
    return out


def _measure(box: Sandbox, side: Side, plan: list[Change], repeat: int, advance):
    start, wall = time.perf_counter(), time.time()
    side.start()
    box.sync()
    out = {"cold_start_s": time.perf_counter() - start, "started": wall}
    advance()
    side.settle()
    syncs = [_timed(box, "sync")[0] for _ in range(repeat)]
    out["sync_s"] = syncs
    out["sync_median_s"] = statistics.median(syncs)
    advance()
    steps: dict[str, list] = {}
    side.settle()
    before = _versions(box)
    for change in plan:
        for _ in range(repeat):
            for name, argv in ((change.kind, change.apply), (change.undo_kind, change.undo)):
                side.before_change()
                seconds, t0, t1 = _timed(box, *argv)
                side.settle()
                after = _versions(box)
                steps.setdefault(name, []).append(
                    {"seconds": seconds, "window": (t0, t1), "sb_rows": _written(before, after)})
                before = after
                advance()
    return out, steps


def _summed(iterations: list[dict]) -> dict[str, float]:
    """Phase seconds of a change's iterations added up, with their total."""
    out = {"total": sum(it["seconds"] for it in iterations)}
    for it in iterations:
        for name, s in it["phases"].items():
            out[name] = out.get(name, 0.0) + s
    return out


def run_all(args, console: Console) -> list[dict]:
    sides = [Relnorthd, Reference, *([Recompute] if args.recompute else [])]
    results = []
    with tempfile.TemporaryDirectory() as tmp, Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                                                                      "{task.total}"),
            TimeElapsedColumn(), console=console) as progress:
        for profile in args.profile:
            for size in args.sizes:
                nb_file = Path(tmp) / f"{profile}-{size}.db"
                gen = progress.add_task(f"{profile} {size}: gen", total=None)
                counts = profiles.generate(profile, size, nb_file, args.seed)
                progress.remove_task(gen)
                plan, skipped = ([], {}) if args.cold_start else changes(nb_file)
                for kind, why in skipped.items():
                    console.print(f"{profile} {size}: skipping '{kind}': {why}")
                row = {"profile": profile, "size": size, "nb_rows": counts,
                       "targets": {c.kind: c.target for c in plan}, "skipped": skipped,
                       "repeat": args.repeat}
                for side in sides:
                    task = progress.add_task(f"{profile} {size}: {side.name}",
                                             total=2 + 2 * len(plan) * args.repeat)
                    row[side.name] = bench(nb_file, side, plan, args.repeat,
                                           lambda t=task: progress.advance(t))
                    progress.remove_task(task)
                    console.print(f"{profile} {size}: {side.name} done "
                                  f"(cold start {row[side.name]['cold_start_s']:.2f}s)")
                results.append(row)
    return results


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{1000 * seconds:.0f}"


COLUMNS = ("NB", "change", "relnorthd ms", "northd ms", "ratio", "SB rows (ours / northd)",
           "relnorthd phases, p50 ms")


def table_rows(results: list[dict]) -> list[list[str]]:
    """The result table (COLUMNS, then recompute ms when measured): per NB
    its cold start, peak RSS and no-change sync, then each change kind;
    SB rows are the distinct counts over the repeats; a row ending in "!"
    wrote other counts than northd."""
    out = []
    for r in results:
        ours, ref = r["relnorthd"], r["reference"]
        extra = RECOMPUTE in r
        nb = f"{r['profile']} {r['size']}"
        out.append([nb, "cold start (s)", f"{ours['cold_start_s']:.2f}",
                    f"{ref['cold_start_s']:.2f}",
                    f"{ours['cold_start_s'] / ref['cold_start_s']:.2f}x", "", "",
                    *([""] if extra else [])])
        out.append(["", "peak RSS (MB)", f"{ours['peak_rss_mb']:.0f}", f"{ref['peak_rss_mb']:.0f}",
                    f"{ours['peak_rss_mb'] / ref['peak_rss_mb']:.2f}x", "", "",
                    *([""] if extra else [])])
        out.append(["", "no-change sync", _ms(ours["sync_median_s"]), _ms(ref["sync_median_s"]),
                    "", "", "", *([_ms(r[RECOMPUTE]["sync_median_s"])] if extra else [])])
        for kind in KINDS:
            if kind not in ours["changes"]:
                out.append(["", f"{kind}: skipped ({r['skipped'].get(kind)})", *[""] * 5,
                            *([""] if extra else [])])
                continue
            mine, theirs = ours["changes"][kind], ref["changes"][kind]
            rows = [sorted(set(c["sb_rows"])) for c in (mine, theirs)]
            phases = " ".join(f"{n} {1000 * p['p50']:.0f}"
                              for n, p in mine.get("phases", {}).items())
            out.append(["", kind, _ms(mine["latency_s"]), _ms(theirs["latency_s"]),
                        _ratio(mine, theirs),
                        f"{_rows(rows[0])} / {_rows(rows[1])}" + ("" if rows[0] == rows[1]
                                                                  else " !"),
                        phases,
                        *([_ms(r[RECOMPUTE]["changes"][kind]["latency_s"])] if extra else [])])
    return out


def report(results: list[dict], console: Console) -> None:
    extra = any(RECOMPUTE in r for r in results)
    table = Table(title="NB commit -> SB committed (--wait=sb): median minus the median "
                        "no-change sync; SB rows written per change; relnorthd's phases")
    for col in (*COLUMNS, *(["recompute ms"] if extra else [])):
        table.add_column(col, justify="left" if col in ("NB", "change") else "right",
                         overflow="fold")
    for row in table_rows(results):
        if row[0] and table.row_count:
            table.add_section()
        style = "red" if row[5].endswith("!") else "dim" if "skipped" in row[1] else None
        table.add_row(*row, style=style)
    console.print(table)
    _targets(results, console)


def markdown(results: list[dict]) -> str:
    extra = any(RECOMPUTE in r for r in results)
    head = [*COLUMNS, *(["recompute ms"] if extra else [])]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(results)]
    return "\n".join(lines)


def _rows(values: list[int]) -> str:
    return "/".join(map(str, values))


def _ratio(ours: dict, ref: dict) -> str:
    return f"{ours['latency_s'] / ref['latency_s']:.1f}x" if ref["latency_s"] > 0 else "-"


def _targets(results: list[dict], console: Console) -> None:
    """Issue 16's targets per profile, at its largest size (flatness: largest
    vs smallest size)."""
    table = Table(title="issue 16 targets (at the largest size of each profile)")
    for col in ("profile", "worst change ms (<= 30)", "worst ratio to ref (<= 0.1x)",
                "flatness largest/smallest (<= 1.5x)", "cold start ratio (<= 0.5x)",
                "peak RSS ratio (<= 1x)", "SB rows = ref"):
        table.add_column(col, justify="right")
    for profile in dict.fromkeys(r["profile"] for r in results):
        runs = sorted((r for r in results if r["profile"] == profile), key=lambda r: r["size"])
        small, big = runs[0], runs[-1]
        ours, ref = big["relnorthd"], big["reference"]
        kinds = [k for k in KINDS if k in ours["changes"]]
        if not kinds:       # --cold-start: no change was measured
            continue
        worst = max(ours["changes"][k]["latency_s"] for k in kinds)
        ratio = max(ours["changes"][k]["latency_s"] / max(ref["changes"][k]["latency_s"], 1e-3)
                    for k in kinds)
        flat = max(ours["changes"][k]["latency_s"]
                   / max(small["relnorthd"]["changes"][k]["latency_s"], 1e-3) for k in kinds)
        same = all(set(r["relnorthd"]["changes"][k]["sb_rows"])
                   == set(r["reference"]["changes"][k]["sb_rows"]) for r in runs for k in kinds)
        cells = [(f"{1000 * worst:.0f}", 1000 * worst <= TARGET_MS),
                 (f"{ratio:.2f}x", ratio <= 0.1),
                 (f"{flat:.2f}x ({small['size']} -> {big['size']})" if len(runs) > 1 else "-",
                  flat <= 1.5),
                 (f"{ours['cold_start_s'] / ref['cold_start_s']:.2f}x",
                  ours["cold_start_s"] <= 0.5 * ref["cold_start_s"]),
                 (f"{ours['peak_rss_mb'] / ref['peak_rss_mb']:.2f}x",
                  ours["peak_rss_mb"] <= ref["peak_rss_mb"]),
                 ("yes" if same else "no", same)]
        table.add_row(f"{profile} {big['size']}",
                      *(f"[{'green' if ok else 'red'}]{text}[/]" for text, ok in cells))
    console.print(table)


def plot(results: list[dict], path: Path) -> None:
    """Latency (ms, log) per change kind against NB size: a line per profile
    and side; the last panel is the cold start."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    panels = [*KINDS, "cold start"]
    fig, axes = plt.subplots(2, 4, figsize=(18, 8), sharex=True)
    styles = {"relnorthd": "-", "reference": "--", RECOMPUTE: ":"}
    names = dict.fromkeys(r["profile"] for r in results)
    colors = dict(zip(names, plt.cm.tab10.colors, strict=False))
    for ax, kind in zip(axes.flat, panels, strict=True):
        for profile, color in colors.items():
            runs = sorted((r for r in results if r["profile"] == profile), key=lambda r: r["size"])
            for side, style in styles.items():
                points = [(r["size"], _point(r[side], kind)) for r in runs if side in r]
                points = [(x, y) for x, y in points if y is not None]
                if points:
                    ax.plot(*zip(*points, strict=True), style, color=color, marker="o",
                            label=f"{profile} {side}")
        ax.set_yscale("log")
        ax.set_xticks(sorted({r["size"] for r in results}))
        ax.set_title(kind, fontsize=10)
        ax.set_ylabel("s" if kind == "cold start" else "ms")
        ax.grid(True, which="both", alpha=0.3)
        if kind != "cold start":
            ax.axhline(TARGET_MS, color="grey", lw=0.8)
    for ax in axes[-1]:
        ax.set_xlabel("NB size (switches / nodes)")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=6)
    fig.suptitle("relnorthd run vs ovn-northd 23.03.1: NB commit -> SB committed "
                 "(median minus no-change sync; grey: 30 ms)")
    fig.tight_layout(rect=(0, 0.05, 1, 0.96))
    fig.savefig(path, dpi=100)


def _point(side: dict, kind: str) -> float | None:
    if kind == "cold start":
        return side["cold_start_s"]
    change = side["changes"].get(kind)
    return max(1000 * change["latency_s"], 0.1) if change else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", action="append", choices=sorted(profiles.PROFILES),
                    help="relnorthd gen profile (repeatable; default l2 and ovn-k8s)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[120, 500])
    ap.add_argument("--repeat", type=int, default=5, help="times each change is applied")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cold-start", action="store_true",
                    help="only the cold start, no-change syncs and peak RSS (no changes)")
    ap.add_argument("--recompute", action="store_true",
                    help="also relnorthd running every rule on each change (slow)")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "run_results.json")
    ap.add_argument("--plot", type=Path, default=ROOT / "benchmarks" / "run_latency.png")
    ap.add_argument("--merge", action="store_true",
                    help="keep the --json runs of other profiles and sizes")
    ap.add_argument("--report-only", action="store_true",
                    help="print the table and plot from --json without running")
    ap.add_argument("--markdown", action="store_true", help="also print the table as "
                                                             "markdown (README)")
    args = ap.parse_args()
    args.profile = args.profile or ["l2", "ovn-k8s"]
    console = Console(width=200)
    if args.report_only:
        results = json.loads(args.json.read_text())["runs"]
    else:
        results = run_all(args, console)
        if args.merge and args.json.exists():
            new = {(r["profile"], r["size"]) for r in results}
            results = [r for r in json.loads(args.json.read_text())["runs"]
                       if (r["profile"], r["size"]) not in new] + results
        results.sort(key=lambda r: (r["profile"], r["size"]))
        args.json.write_text(json.dumps({"machine": {"cpus": os.cpu_count(),
                                                     "loadavg": os.getloadavg()},
                                         "date": time.strftime("%Y-%m-%d %H:%M UTC",
                                                               time.gmtime()),
                                         "runs": results}, indent=1))
    report(results, console)
    if args.markdown:
        print(markdown(results))
    plot(results, args.plot)
    console.print(f"wrote {args.json} and {args.plot}")


if __name__ == "__main__":
    main()
