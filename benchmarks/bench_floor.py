"""Benchmark (issues 16 and 17): the floor of running the rules as DuckDB
queries, statement by statement, on real NBs.

    python3 benchmarks/bench_floor.py --sizes 120 500 [--repeat 3] [--markdown]

Every statement relnorthd runs on the DuckDB connections it opens
(engine.connect, patched here to hand out recording connections) is
profiled by DuckDB itself (`PRAGMA enable_profiling='json'`, detailed):
its planning time (planner + optimizer + physical_planner of the profile),
its execution (the profile's total minus planning), the Python wall time of
the call, and for `con.sql` relations the wall time of creating them (parse
and bind, outside the profile; a rule batch is bound there once and planned
again when run). Planning is what no data-side optimisation removes: the
floor of this design.

(a) full compute (examples/nb-basic.db, then `relnorthd gen ovn-k8s` at each
    size): pipeline.compute as `relnorthd compute` runs it (rule queries
    widened afresh each run, as in a new process), --repeat runs; every
    statement's planning and execution; each rule file alone (rules.run with
    one file) for its own planning time; the import time of the modules a
    compute needs (a subprocess); the reference's full recompute
    (reference.recompute_timing, as bench_compute.py).
(b) the incremental path (ovn-k8s sizes): a Northd stepped by hand in a
    sandbox without ovn-northd (as profile_iterate.py) through each change
    kind of bench_run.py (and its undo), --repeat times; per change the
    statements of the iteration it causes (lib statements replayed, rule
    files rerun, sql/sb files, grouping, SB plan) and their planning, vs the
    30 ms target and 0.1x the reference's latency (benchmarks/run_results.json,
    an idle machine; "load" = the reference's recompute here / there, by
    which the report also divides).
    Also the least a port add must run even with perfect deltas: one query
    per rule file with rows owned by the new port (and, counted apart, per
    rule file with new rows), times the median planning of those alone.
(c) on the example NB, per rule file: planning of the plain query, of
    EXECUTE of it prepared (DuckDB plans again at each EXECUTE), and with
    `PRAGMA disable_optimizer`.

Results go to --json (benchmarks/floor_results.json); --markdown prints the
tables. Timings are medians of --repeat runs on whatever machine runs it;
on a shared one the planning fractions are the robust part.
"""
from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))   # this tree's relnorthd

from bench_run import KINDS, TARGET_MS, changes  # noqa: E402

from relnorthd import engine, mirror, profiles, rules  # noqa: E402
from relnorthd.daemon import LOCK, Northd  # noqa: E402
from relnorthd.dependencies import lib_graph, rule_inputs, rule_reads, sb_row_reads  # noqa: E402
from relnorthd.libstate import LibState  # noqa: E402
from relnorthd.pipeline import compute  # noqa: E402
from relnorthd.reference import Sandbox, recompute_timing  # noqa: E402

EXAMPLE = ROOT / "examples" / "nb-basic.db"
PORT = "bench-port"          # the port bench_run.changes adds


@dataclass
class Statement:
    """One DuckDB statement as relnorthd ran it; seconds."""
    where: str              # module:function that ran it
    label: str              # the lib relation, rule files, sql/sb file, or the SQL's start
    bind: float = 0.0       # creating the con.sql relation (outside the profile)
    plan: float = 0.0       # planner + optimizer + physical_planner (profile)
    optimizer: float = 0.0
    exec: float = 0.0       # profile total minus planning
    wall: float = 0.0       # Python wall time of the call(s), bind included
    profiled: bool = False


class Recorder:
    """Records every statement of the connections engine.connect hands out
    while `recording()` is active."""

    def __init__(self, directory: Path):
        self.dir = directory
        self.statements: list[Statement] = []
        self._ids = itertools.count()

    @contextlib.contextmanager
    def recording(self):
        """engine.connect, and the modules' own `connect` names bound to
        it, return recording connections (which keep recording after);
        yields the statements list."""
        real = engine.connect
        names = [m for name, m in sys.modules.items()
                 if name.startswith("relnorthd") and getattr(m, "connect", None) is real]
        for module in names:
            module.connect = lambda: _Con(real(), self)
        self.statements = []
        try:
            yield self.statements
        finally:
            for module in names:
                module.connect = real

    def take(self) -> list[Statement]:
        """The statements recorded since the last take."""
        out, self.statements = self.statements, []
        return out

    def profile_file(self) -> Path:
        return self.dir / f"{next(self._ids)}.json"


def _take(path: Path, s: Statement) -> None:
    """Put the profile DuckDB wrote at `path` (if any) into `s`."""
    if not path.exists():
        return
    p = json.loads(path.read_text())
    path.unlink()
    s.optimizer = p["optimizer"]["total_time"]
    s.plan = p["planner"]["total_time"] + s.optimizer + p["physical_planner"]["total_time"]
    s.exec = max(p["query"]["total_time"] - s.plan, 0.0)
    s.profiled = True


def _caller() -> str:
    """module:function of the code that called the recording method (a
    comprehension stands for the function it is in)."""
    frame = sys._getframe(2)
    while frame.f_code.co_name.startswith("<"):
        frame = frame.f_back
    return f"{frame.f_globals['__name__']}:{frame.f_code.co_name}"


class _Con:
    """A DuckDB connection that records its statements (others forwarded)."""

    def __init__(self, con, recorder: Recorder):
        self._con, self._rec, self._file = con, recorder, recorder.profile_file()
        con.execute("PRAGMA enable_profiling='json'")
        con.execute("SET profiling_mode='detailed'")
        con.execute(f"SET profiling_output='{self._file}'")

    def __getattr__(self, name):
        return getattr(self._con, name)

    def execute(self, query, *args, **kw):
        s = Statement(_caller(), _label(query))
        start = time.perf_counter()
        self._con.execute(query, *args, **kw)
        s.wall = time.perf_counter() - start
        _take(self._file, s)
        self._rec.statements.append(s)
        return self._con

    def sql(self, query, *args, **kw):
        s = Statement(_caller(), _label(query))
        start = time.perf_counter()
        rel = self._con.sql(query, *args, **kw)
        s.bind = s.wall = time.perf_counter() - start
        _take(self._file, s)       # a statement that is not a query ran right away
        self._rec.statements.append(s)
        return rel if rel is None else _Rel(rel, self._file, s)


class _Rel:
    """A relation whose runs add to its Statement."""

    def __init__(self, rel, file: Path, s: Statement):
        self._rel, self._file, self._s = rel, file, s

    def __getattr__(self, name):
        attr = getattr(self._rel, name)
        if name not in ("to_arrow_table", "arrow", "fetchall", "fetchone", "df", "fetchdf"):
            return attr

        def run(*args, **kw):
            start = time.perf_counter()
            out = attr(*args, **kw)
            self._s.wall += time.perf_counter() - start
            _take(self._file, self._s)
            return out
        return run


_LIB = {st.text.strip(): st.defines or st.text.split()[0] for step in lib_graph().steps
        for st in step}
_SB = {f.read_text(): f"sb/{f.stem}" for f in rules.sb_row_files()}


def _label(query: str) -> str:
    if names := re.findall(r"'(\w+)' AS rule", query):
        return "rules: " + " ".join(names)
    return _LIB.get(query.strip()) or _SB.get(query) or " ".join(query.split())[:60]


def phase(s: Statement) -> str:
    """The iteration phase a statement belongs to (as daemon.Iteration
    names them), by the function that ran it."""
    module, func = s.where.split(":")
    if module.endswith("libstate"):
        return "fingerprint" if func == "_fingerprint" else "lib"
    if module.endswith("rules"):
        return {"run": "rules", "_widen": "rules", "evaluate": "sb_rows"}.get(func, "other")
    return {"lflows": "group", "sbsync": "plan"}.get(module.rsplit(".", 1)[-1], "other")


def totals(statements: list[Statement]) -> dict:
    """Statement count and summed seconds, overall and per phase."""
    def add(group):
        return {"n": len(group), **{k: sum(getattr(s, k) for s in group)
                                    for k in ("bind", "plan", "optimizer", "exec", "wall")}}
    out = {"all": add(statements)}
    for name in dict.fromkeys(map(phase, statements)):
        out[name] = add([s for s in statements if phase(s) == name])
    return out


def median_totals(runs: list[dict]) -> dict:
    """Per phase and measure, the median over runs."""
    return {p: {k: statistics.median(r.get(p, {}).get(k, 0) for r in runs) for k in runs[0][p]}
            for p in runs[0]}


# (a) full compute

def full_compute(rec: Recorder, nb_file: Path, repeat: int) -> dict:
    nb = mirror.load(str(nb_file))
    runs, walls, libs, last = [], [], [], []
    for _ in range(repeat):
        rules._QUERIES.clear()      # widened afresh, as in a new `relnorthd compute` process
        with rec.recording() as statements:
            start = time.perf_counter()
            compute(nb)
            walls.append(time.perf_counter() - start)
        runs.append(totals(statements))
        libs.append({})
        for s in statements:
            if phase(s) == "lib":
                libs[-1][s.label] = libs[-1].get(s.label, 0.0) + s.plan
        last = statements
    top = sorted(last, key=lambda s: -s.plan)[:10]
    return {"compute_wall_s": statistics.median(walls), "phases": median_totals(runs),
            "top_planning": [asdict(s) for s in top],
            "lib_plan_s": {k: statistics.median(lib.get(k, 0.0) for lib in libs) for k in libs[0]},
            "rules_alone": rule_alone(rec, nb, repeat)}


def rule_alone(rec: Recorder, nb, repeat: int) -> dict[str, dict]:
    """Each rule file run alone (rules.run with one file) on a loaded lib:
    its median planning, bind and execution seconds."""
    state = LibState()
    state.load(nb)
    con = _Con(state.con, rec)
    out = {}
    for path in rules.rule_files():
        samples = []
        for _ in range(repeat):
            with rec.recording() as statements:
                rules.run(con, [path])
            samples.append(next(s for s in statements if s.label.startswith("rules:")))
        out[path.stem] = {k: statistics.median(getattr(s, k) for s in samples)
                          for k in ("bind", "plan", "exec")}
    state.con.close()
    return out


IMPORT = ("import time; t = time.perf_counter(); import {module}; "
          "print(time.perf_counter() - t)")


def import_seconds(repeat: int) -> dict:
    """Median seconds of a fresh interpreter doing nothing, and of its
    imports of the modules `relnorthd compute` needs (pipeline and mirror;
    the CLI module on top; duckdb and pyarrow alone)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(code: str) -> float:
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                             capture_output=True, text=True).stdout
        return float(out) if out.strip() else time.perf_counter() - start
    return {"interpreter_s": statistics.median(run("pass") for _ in range(repeat)),
            **{f"import_{name}_s": statistics.median(
                run(IMPORT.format(module=module)) for _ in range(repeat))
               for name, module in (("compute", "relnorthd.pipeline, relnorthd.mirror"),
                                    ("cli", "relnorthd.cli"),
                                    ("duckdb_pyarrow", "duckdb, pyarrow"))}}


# (b) the incremental path

def incremental(rec: Recorder, nb_file: Path, repeat: int) -> dict:
    """Per change kind, the statements of the iteration the change causes."""
    plan, skipped = changes(nb_file)
    rule_inputs(), rule_reads(), sb_row_reads()     # as Northd.run does, up front
    out: dict[str, list] = {}
    owned, new_rows = set(), set()
    with Sandbox(nb_file=str(nb_file), northd=False, timeout=1800) as box, rec.recording():
        northd = Northd(box.nb_remote, box.sb_remote)
        northd._connect()
        while not northd.sb.has_lock(LOCK):
            northd.sb.poll()
        _settle(northd)
        for change in plan:
            for _ in range(repeat):
                for kind, argv in ((change.kind, change.apply), (change.undo_kind, change.undo)):
                    previous = northd._result
                    box.nbctl(*argv)
                    rec.take()
                    it = _iteration(northd)
                    statements = rec.take()
                    result = northd._result
                    if kind == "add a port":
                        owned = _owned_rules(result, PORT)
                        new_rows = _rules_with_new_rows(previous, result)
                    out.setdefault(kind, []).append({
                        "seconds": it.seconds, "phases": it.phases, "mode": it.mode,
                        "statements": totals(statements),
                        "lib_replayed": sorted(result.state.replayed) if result.state else [],
                        "rules_run": list(result.rules_run),
                        "scoped_run": list(result.scoped_run),
                        "owners_run": len(result.owners_run)})
                    _settle(northd)
        northd._disconnect()
    kinds = {}
    for kind, runs in out.items():
        if kind not in KINDS:
            continue
        kinds[kind] = {**{k: runs[-1][k] for k in ("lib_replayed", "rules_run", "scoped_run",
                                                  "owners_run", "mode")},
                       "iteration_s": statistics.median(r["seconds"] for r in runs),
                       "phases": median_totals([r["statements"] for r in runs])}
    return {"changes": kinds, "skipped": skipped,
            "port_add_rules": {"owned_by_port": sorted(owned), "new_rows": sorted(new_rows)}}


def _owned_rules(result, port: str) -> set[str]:
    """The rule files with flows owned by the switch port named `port`."""
    lsps = result.nb["Logical_Switch_Port"]
    uuid = lsps.filter(pc.equal(lsps["name"], port))["_uuid"][0].as_py()
    flows = result.flows
    return set(flows.filter(pc.equal(flows["owner"], uuid))["rule"].to_pylist())


def _rules_with_new_rows(before, after) -> set[str]:
    """The rule files of the rows `after` has and `before` has not."""
    def rows(result):
        flows = result.flows.filter(pc.is_in(result.flows["rule"],
                                             pa.array(after.rules_run, pa.string())))
        return set(zip(*(flows[c].to_pylist() for c in flows.column_names), strict=True))
    names = after.flows.column_names
    return {row[names.index("rule")] for row in rows(after) - rows(before)}


def port_add_floor(rule_sets: dict[str, list[str]], replayed: list[str], compute: dict) -> dict:
    """The least planning a port add needs with perfect deltas, seconds:
    one query per rule file with rows of the port (counted two ways: rows
    owned by the port; new rows), each planned as long as the median of
    them alone; and one statement per lib relation the change reaches
    (`replayed`), each planned as long as in a full compute."""
    lib = [compute["lib_plan_s"][r] for r in replayed if r in compute["lib_plan_s"]]
    out = {"lib": {"statements": len(lib), "median_plan_s": statistics.median(lib or [0.0]),
                   "floor_s": sum(lib)}}
    for name, files in rule_sets.items():
        plans = [compute["rules_alone"][f]["plan"] for f in files]
        out[name] = {"rule_files": len(files), "median_plan_s": statistics.median(plans or [0.0]),
                     "floor_s": statistics.median(plans or [0.0]) * len(files)}
    return out


def _iteration(northd: Northd):
    """Poll until the change gives an iteration (not a mere handshake)."""
    while True:
        northd.nb.poll()
        northd.sb.poll()
        it = northd.step()
        if it is not None and it.mode != "handshake":
            return it
        time.sleep(0.01)


def _settle(northd: Northd, quiet: int = 5) -> None:
    """Step until nothing happened `quiet` times in a row (echo iterations
    of our own SB writes, handshakes)."""
    n = 0
    while n < quiet:
        northd.nb.poll()
        northd.sb.poll()
        n = 0 if northd.step() is not None else n + 1
        time.sleep(0.02)


# (c) prepared statements and the optimizer

def prepared_and_unoptimized(rec: Recorder, nb_file: Path, repeat: int) -> dict:
    """Per rule file body on the example's loaded lib: median planning of
    the plain query, of EXECUTE of it prepared (and the PREPARE's wall
    time), and with the optimizer disabled."""
    state = LibState()
    state.load(mirror.load(str(nb_file)))
    con = _Con(state.con, rec)
    per_rule = {}
    for path in rules.rule_files():
        body = path.read_text().strip().rstrip(";")
        samples = []
        for _ in range(repeat):
            with rec.recording() as st:
                con.sql(body).fetchall()
                con.execute(f"PREPARE floor_q AS {body}")
                con.execute("EXECUTE floor_q").fetchall()
                con.execute("DEALLOCATE floor_q")
                con.execute("PRAGMA disable_optimizer")
                con.sql(body).fetchall()
                con.execute("PRAGMA enable_optimizer")
            plain, prepare, execute, unoptimized = st[0], st[1], st[2], st[5]
            samples.append({"plain": plain.plan, "plain_optimizer": plain.optimizer,
                            "plain_wall": plain.wall, "prepare_wall": prepare.wall,
                            "execute": execute.plan, "execute_optimizer": execute.optimizer,
                            "execute_wall": execute.wall, "no_optimizer": unoptimized.plan,
                            "no_optimizer_wall": unoptimized.wall})
        per_rule[path.stem] = {k: statistics.median(x[k] for x in samples) for k in samples[0]}
    state.con.close()
    sums = {k: sum(r[k] for r in per_rule.values()) for k in next(iter(per_rule.values()))}
    return {"sums_s": sums, "rules": per_rule}


# driving and reporting

def reference_run(size: int) -> dict:
    """The reference at ovn-k8s `size` in bench_run.py's results (an idle
    machine): its latency per change kind and its no-change sync (a full
    recompute), seconds."""
    path = ROOT / "benchmarks" / "run_results.json"
    runs = json.loads(path.read_text())["runs"] if path.exists() else []
    for r in runs:
        if (r["profile"], r["size"]) == ("ovn-k8s", size):
            ref = r["reference"]
            return {"recompute_s": ref["sync_median_s"],
                    "latency_s": {k: c["latency_s"] for k, c in ref["changes"].items()}}
    return {"recompute_s": None, "latency_s": {}}


def measure(args) -> dict:
    out = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "machine": {"cpus": os.cpu_count(), "loadavg": os.getloadavg()},
           "repeat": args.repeat, "imports": import_seconds(max(args.repeat, 5)), "nbs": []}
    with tempfile.TemporaryDirectory() as tmp:
        rec = Recorder(Path(tmp))
        nbs = [("example", EXAMPLE)] if args.example else []
        for size in args.sizes:
            nb_file = Path(tmp) / f"ovn-k8s-{size}.db"
            profiles.generate("ovn-k8s", size, nb_file)
            nbs.append((f"ovn-k8s {size}", nb_file))
        for name, nb_file in nbs:
            print(f"{name}: full compute", file=sys.stderr)
            entry = {"nb": name, "repeat": args.repeat,
                     "compute": full_compute(rec, nb_file, args.repeat)}
            out["nbs"].append(entry)
            _write(args, out)       # what is done so far
            print(f"{name}: reference recompute", file=sys.stderr)
            entry["reference_recompute_s"] = recompute_timing(nb_file, args.repeat,
                                                              timeout=1800)["seconds"]
            if name == "example":
                print(f"{name}: prepared / no optimizer", file=sys.stderr)
                entry["prepared_and_unoptimized"] = prepared_and_unoptimized(
                    rec, nb_file, args.repeat)
            else:
                print(f"{name}: incremental", file=sys.stderr)
                inc = entry["incremental"] = incremental(rec, nb_file, args.repeat)
                entry["port_add_floor"] = port_add_floor(
                    inc["port_add_rules"], inc["changes"]["add a port"]["lib_replayed"],
                    entry["compute"])
                entry["reference_run"] = reference_run(int(name.split()[1]))
            _write(args, out)
    return _write(args, out)


def _write(args, out: dict) -> dict:
    """Write `out` to --json, with --merge after the file's other NBs."""
    if args.merge and args.json.exists():
        mine = {e["nb"] for e in out["nbs"]}
        out = {**out, "nbs": [e for e in json.loads(args.json.read_text())["nbs"]
                              if e["nb"] not in mine] + out["nbs"]}
    args.json.write_text(json.dumps(out, indent=1))
    return out


def _load(e: dict) -> float:
    """How much slower this run's machine was than bench_run.py's: the
    reference's full recompute here / its no-change sync there."""
    return e["reference_recompute_s"] / (e["reference_run"]["recompute_s"] or float("nan"))


def _ms(s: float) -> str:
    return f"{1000 * s:.0f}"


def markdown(out: dict) -> str:
    imp = out["imports"]
    start = imp["interpreter_s"] + imp["import_compute_s"]
    runs = ", ".join(f"{e['nb']} {e.get('repeat', out['repeat'])}" for e in out["nbs"])
    lines = [f"Medians of runs ({runs}); planning = DuckDB's planner + optimizer + "
             f"physical planner. Interpreter start {_ms(imp['interpreter_s'])} ms, imports "
             f"for a compute {_ms(imp['import_compute_s'])} ms (CLI: "
             f"{_ms(imp['import_cli_s'])} ms; duckdb and pyarrow alone: "
             f"{_ms(imp.get('import_duckdb_pyarrow_s', float('nan')))} ms).", "",
             "| NB | statements | planning ms | of it optimizer | execution ms | relation "
             "bind ms | statements' wall ms | compute wall ms | floor: start + planning ms | "
             "reference recompute ms | floor / reference |", "|" + "---|" * 11]
    for e in out["nbs"]:
        a = e["compute"]["phases"]["all"]
        floor = start + a["plan"]
        lines.append(f"| {e['nb']} | {a['n']:.0f} | {_ms(a['plan'])} | {_ms(a['optimizer'])} | "
                     f"{_ms(a['exec'])} | {_ms(a['bind'])} | {_ms(a['wall'])} | "
                     f"{_ms(e['compute']['compute_wall_s'])} | {_ms(floor)} | "
                     f"{_ms(e['reference_recompute_s'])} | "
                     f"{floor / e['reference_recompute_s']:.2f}x |")
    lines += ["", "| NB | phase | statements | planning ms | execution ms | wall ms |",
              "|" + "---|" * 6]
    for e in out["nbs"]:
        for p, t in e["compute"]["phases"].items():
            lines.append(f"| {e['nb']} | {p} | {t['n']:.0f} | {_ms(t['plan'])} | "
                         f"{_ms(t['exec'])} | {_ms(t['wall'])} |")
    lines += ["", "Per change: the reference's latency is bench_run.py's (idle machine); "
              "load = this run's reference recompute / bench_run's (how much slower this "
              "machine was); planning / reference is given as measured and divided by load.",
              "", "| NB | change | statements | lib replayed | rule files (scoped) | "
              "planning ms (lib / rules / sb_rows / group / plan) | bind ms | execution ms | "
              "iteration ms | reference ms | load | planning / reference (target <= 0.1x) |",
              "|" + "---|" * 12]
    for e in out["nbs"]:
        for kind, c in e.get("incremental", {}).get("changes", {}).items():
            idle = e["reference_run"]
            ph, ref = c["phases"], idle["latency_s"].get(kind)
            load = _load(e)
            parts = " / ".join(_ms(ph.get(p, {}).get("plan", 0))
                               for p in ("lib", "rules", "sb_rows", "group", "plan"))
            fp = ph.get("fingerprint", {}).get("plan", 0)
            lines.append(
                f"| {e['nb']} | {kind} | {ph['all']['n']:.0f} | {len(c['lib_replayed'])} | "
                f"{len(c['rules_run'])} ({len(c['scoped_run'])}) | **{_ms(ph['all']['plan'])}** "
                f"({parts}; fingerprints {_ms(fp)}) | {_ms(ph['all']['bind'])} | "
                f"{_ms(ph['all']['exec'])} | {_ms(c['iteration_s'])} | "
                f"{_ms(ref) if ref else '-'} | {load:.1f}x | "
                + (f"{ph['all']['plan'] / ref:.2f}x, {ph['all']['plan'] / ref / load:.2f}x |"
                   if ref else "- |"))
    for e in out["nbs"]:
        if floor := e.get("port_add_floor"):
            rules_s, lib = floor["owned_by_port"]["floor_s"], floor["lib"]
            lines.append(
                f"\n{e['nb']}, a port add with perfect deltas: rule files with rows owned by "
                f"the port {floor['owned_by_port']['rule_files']} (with new rows "
                f"{floor['new_rows']['rule_files']}) x median planning alone "
                f"{1000 * floor['owned_by_port']['median_plan_s']:.1f} ms = {_ms(rules_s)} ms; "
                f"lib relations it reaches {lib['statements']}, planned in {_ms(lib['floor_s'])} ms"
                f" (median {1000 * lib['median_plan_s']:.1f} ms); together "
                f"{_ms(rules_s + lib['floor_s'])} ms as measured, "
                f"{_ms((rules_s + lib['floor_s']) / _load(e))} ms divided by load "
                f"(target {TARGET_MS} ms).")
        if "prepared_and_unoptimized" in e:
            s = e["prepared_and_unoptimized"]["sums_s"]
            lines.append(f"\n{e['nb']}, every rule file once: planning {_ms(s['plain'])} ms "
                         f"plain (optimizer {_ms(s['plain_optimizer'])}; wall "
                         f"{_ms(s['plain_wall'])}); at EXECUTE of the prepared query "
                         f"{_ms(s['execute'])} ms (optimizer {_ms(s['execute_optimizer'])}; "
                         f"wall {_ms(s['execute_wall'])}, PREPARE {_ms(s['prepare_wall'])} on "
                         f"top); optimizer disabled {_ms(s['no_optimizer'])} ms (wall "
                         f"{_ms(s['no_optimizer_wall'])}).")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[120, 500],
                    help="ovn-k8s sizes (nodes)")
    ap.add_argument("--no-example", dest="example", action="store_false",
                    help="skip examples/nb-basic.db (and part c)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "floor_results.json")
    ap.add_argument("--merge", action="store_true",
                    help="keep the --json file's results of NBs not measured in this run")
    ap.add_argument("--report-only", action="store_true", help="report --json, run nothing")
    ap.add_argument("--markdown", action="store_true", help="print the tables as markdown")
    args = ap.parse_args()
    out = json.loads(args.json.read_text()) if args.report_only else measure(args)
    if args.markdown:
        print(markdown(out))
    print(f"wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
