"""The `relnorthd` command line."""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import many, mirror, output
from .mirror import MirrorError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="OVN northd's logical-flow generation as relational rules.")
err = Console(stderr=True)

NB_HELP = "NB source: a db file, unix:PATH or tcp:HOST:PORT (default: $OVN_NB_DB)."
SB_HELP = "SB source for northd's SB inputs (Chassis features, ...); default: an empty SB."
LIST_ITEMS = 10     # list entries shown before "… N more"


@app.callback()
def _setup(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging.")):
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(message)s", handlers=[RichHandler(console=err, show_path=False)])


def _fail(message: str) -> typer.Exit:
    """Print a one-line error; the caller raises the returned Exit(2)."""
    err.print(f"[red]error:[/] {message}", soft_wrap=True, highlight=False)
    return typer.Exit(2)


def _load(nb: str | None, sb: str | None):
    try:
        nb_db = mirror.load(nb, mirror.NB)
        sb_db = mirror.load(sb, mirror.SB) if sb else None
    except MirrorError as e:
        raise _fail(str(e)) from None
    _warn_unsupported(nb_db)
    return nb_db, sb_db


def _warn_unsupported(nb_db) -> None:
    """Say up front which NB features present have no rules yet."""
    from .support import unsupported
    _warn_missing(unsupported(nb_db))


def _warn_missing(missing: list[tuple[str, int]], name: str | None = None) -> None:
    """Name the NB features without rules (support.unsupported) of NB `name`."""
    if missing:
        err.print(f"[yellow]warning:[/] {'this NB' if name is None else f'NB {name}'} uses "
                  "features relnorthd does not generate flows for yet; their flows will be "
                  "missing:", soft_wrap=True, highlight=False)
        for feature, count in missing:
            err.print(f"  {count:>6}  {feature}", soft_wrap=True, highlight=False)


@app.command()
def compute(
    nbs: list[str] | None = typer.Argument(None, metavar="NB...", show_default=False,
                                           help="NB sources, as --nb."),
    nb: list[str] | None = typer.Option(None, "--nb", show_default=False,
                                        help=NB_HELP + " Repeatable; a quoted glob pattern "
                                        "('snaps/*.db') names the files it matches. Several NBs "
                                        "(or a pattern) make one Parquet dataset with an nb "
                                        "column (on Spark, a folder of part files)."),
    sb: str | None = typer.Option(None, "--sb", help=SB_HELP),
    out: Path | None = typer.Option(None, "-o", "--output", help="Output file (default stdout)."),
    fmt: str | None = typer.Option(None, "--format", "-f",
                                      help="lflow-list | jsonl | parquet (default: from the "
                                           "output file's suffix, else lflow-list; parquet for "
                                           "several NBs)."),
    sb_out: Path | None = typer.Option(None, "--sb-out", metavar="DIR",
                                       help="Also write the rows of every other SB table "
                                            "northd writes (Port_Binding, Address_Set, "
                                            "Meter, ...), one Parquet file per table in DIR "
                                            "(one NB only)."),
    engine: str = typer.Option("duckdb", "--engine",
                               help="duckdb | spark: where the SQL rules run (spark needs "
                                    "relnorthd[spark] and Java)."),
    spark_master: str | None = typer.Option(None, "--spark-master", metavar="URL",
                                            help="Spark master (default: $SPARK_MASTER, "
                                                 "what spark-submit set, else local[*])."),
):
    """Compute the Southbound logical flows for an NB database, or for several
    into one Parquet dataset."""
    from .pipeline import compute as run
    if engine not in ("duckdb", "spark"):
        raise _fail(f"unknown engine {engine!r}; choose duckdb or spark")
    if spark_master is not None and engine != "spark":
        raise _fail("--spark-master goes with --engine spark")
    sources = [*(nbs or []), *(nb or [])]
    several = len(sources) > 1 or any(map(many.is_pattern, sources))
    fmt = fmt or {".parquet": "parquet", ".jsonl": "jsonl"}.get(
        out.suffix if out else "", "parquet" if several else "lflow-list")
    if fmt not in output.FORMATS:
        raise _fail(f"unknown format {fmt!r}; choose {', '.join(output.FORMATS)}")
    if fmt == "parquet" and out is None:
        raise _fail("parquet output needs -o FILE")
    if several:
        if fmt != "parquet":
            raise _fail(f"several NBs make one Parquet dataset (-o FILE.parquet); {fmt} "
                        "output takes one NB")
        if sb_out is not None:
            raise _fail("--sb-out takes one NB")
        raise typer.Exit(_compute_many(sources, sb, out, engine, spark_master))
    if engine == "spark" and sb_out is not None:
        raise _fail("--sb-out takes --engine duckdb (the SB tables' rows are not all "
                    "computed on Spark yet)")
    if sb_out is not None and sb_out.exists() and not sb_out.is_dir():
        raise _fail(f"--sb-out {sb_out}: not a directory")
    start = time.perf_counter()
    with err.status("mirroring NB/SB"):
        nb_db, sb_db = _load(sources[0] if sources else None, sb)
    with err.status(f"running rules and grouping datapaths on {engine}"):
        result = (_on_spark(nb_db, sb_db, spark_master) if engine == "spark"
                  else run(nb_db, sb_db, sb_rows=sb_out is not None))
    with err.status(f"writing {fmt}"):
        output.write(result, fmt, str(out) if out else None)
        if sb_out is not None:
            output.write_sb_tables(result, sb_out)
    g = result.grouped
    err.print(f"{result.n_flow_rows()} flow rows -> {g.flows.num_rows} SB flows, "
              f"{g.dp_groups.num_rows} datapath groups in {time.perf_counter() - start:.2f}s")


def _spark(master: str | None):
    """A SparkConnection, or exit 2 with one line when Spark cannot start."""
    from .spark import SparkConnection, SparkError, session
    try:
        return SparkConnection(session(master))
    except SparkError as e:
        raise _fail(str(e)) from None


def _on_spark(nb_db, sb_db, master: str | None):
    """One NB computed on Spark: a batch of one (batch.py)."""
    from .batch import KeyedConnection, compute, result
    con = KeyedConnection(_spark(master))
    con.load([("nb", nb_db, sb_db)])
    compute(con)
    return result(con, "nb", nb_db)


def _compute_many(sources: list[str], sb: str | None, out: Path, engine: str,
                  spark_master: str | None) -> int:
    """compute's several-NB mode; returns its exit code (2 when an NB failed)."""
    start = time.perf_counter()
    try:
        sources = many.expand(sources)
        sb_db = mirror.load(sb, mirror.SB) if sb else None
    except MirrorError as e:
        raise _fail(str(e)) from None

    def report(o):
        if o.error:
            err.print(f"[red]error:[/] {o.error} (NB {o.nb} left out)", soft_wrap=True,
                      highlight=False)
        elif o.unsupported:
            _warn_missing(o.unsupported, o.nb)

    if engine == "spark":
        with err.status("starting Spark"):
            con = _spark(spark_master)
        with err.status(f"computing {len(sources)} NBs together on Spark"):
            outcomes = many.compute_together(sources, out, con, sb_db, report)
    else:
        with Progress(SpinnerColumn(), *Progress.get_default_columns(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as progress:
            def track(pairs):
                task = progress.add_task("", total=len(pairs))
                for name, source in pairs:
                    progress.update(task, description=name)
                    yield name, source
                    progress.advance(task)
            outcomes = many.compute_many(sources, out, sb_db, track, report)
    seconds = time.perf_counter() - start
    done = [o for o in outcomes if not o.error]
    failed = len(outcomes) - len(done)
    wrote = f"{sum(o.sb_flows for o in done)} SB flows in {out}" if done else "nothing written"
    err.print(f"{len(done)} NBs -> {wrote} in {seconds:.2f}s ({len(done) / seconds:.2f} NBs/s)"
              + (f"; [red]{failed} failed[/]" if failed else ""), soft_wrap=True,
              highlight=False)
    return 2 if failed else 0


@app.command()
def gen(
    profile: str = typer.Argument(..., help="l2 | ovn-k8s[-pods|-services|-cluster] | "
                                            "openstack"),
    scale: int = typer.Option(..., "--scale", min=1,
                              help="Switches (l2), nodes (ovn-k8s*) or projects "
                                   "(openstack)."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same file."),
    out: Path = typer.Option(..., "-o", "--output", help="NB db file to write."),
):
    """Generate a synthetic NB db file of a deployment profile (see
    relnorthd.profiles); prints its object counts per table and the NB
    features in it that relnorthd does not compute yet."""
    from . import profiles
    if profile not in profiles.PROFILES:
        raise _fail(f"unknown profile {profile!r}; choose {', '.join(profiles.PROFILES)}")
    start = time.perf_counter()
    with Progress(SpinnerColumn(), *Progress.get_default_columns(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        progress.add_task(f"{profile} at scale {scale}", total=None)
        try:
            sizes = profiles.generate(profile, scale, out, seed,
                                      lambda items, what: progress.track(items, description=what))
        except ValueError as e:
            raise _fail(str(e)) from None
    for table, count in sizes.items():
        err.print(f"{count:>8}  {table}", highlight=False)
    err.print(f"wrote {out} in {time.perf_counter() - start:.2f}s", highlight=False, soft_wrap=True)
    _warn_unsupported(mirror.load(str(out), mirror.NB))


@app.command()
def stats(
    nb: str | None = typer.Option(None, "--nb", help=NB_HELP),
    sb: str | None = typer.Option(None, "--sb", help=SB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    top: int = typer.Option(10, "--top", min=1, help="Owners and datapaths to list."),
):
    """Where the flows come from: rows per stage, rule, owner and datapath, and
    how datapath groups compress them into SB flows."""
    from . import analysis
    from .pipeline import compute as run
    with err.status("mirroring NB/SB"):
        nb_db, sb_db = _load(nb, sb)
    with err.status("running rules and grouping datapaths"):
        frames = analysis.stats(run(nb_db, sb_db), top)
    if as_json:
        _print_json(analysis.to_json(frames))
        return
    con = Console()
    for name, df in frames.items():
        _print_frame(con, name, df)


@app.command()
def explain(
    nb: str | None = typer.Option(None, "--nb", help=NB_HELP),
    sb: str | None = typer.Option(None, "--sb", help=SB_HELP),
    match: str | None = typer.Option(None, "--match", help="Flows whose match contains this."),
    stage: str | None = typer.Option(None, "--stage", help="Flows of this stage (ls_in_arp_rsp)."),
    priority: int | None = typer.Option(None, "--priority", help="Flows of this priority."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    limit: int = typer.Option(20, "--limit", min=1, help="Flows to show."),
):
    """Where chosen SB flows come from: the rule files and NB rows behind each,
    and the datapaths it is on."""
    from . import analysis
    from .pipeline import compute as run
    if match is None and stage is None:
        raise _fail("choose flows with --match and/or --stage")
    with err.status("mirroring NB/SB"):
        nb_db, sb_db = _load(nb, sb)
    with err.status("running rules and grouping datapaths"):
        flows = analysis.explain(run(nb_db, sb_db), match, stage, priority)
    shown = flows.head(limit).to_dicts()
    if as_json:
        _print_json({"total": flows.height, "flows": shown})
    else:
        con = Console()
        for flow in shown:
            _print_explained(con, flow)
    err.print(f"{len(shown)} of {flows.height} matching flows shown")


@app.command("snapshot-diff")
def snapshot_diff(
    nb: str | None = typer.Option(None, "--nb", help="NB before the change: a db file, "
                                                       "unix:PATH or tcp:HOST:PORT "
                                                       "(default: $OVN_NB_DB)."),
    nb2: str = typer.Option(..., "--nb2", help="NB after the change, in the same forms."),
    sb: str | None = typer.Option(None, "--sb", help=SB_HELP + " Used for both."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    examples: int = typer.Option(5, "--examples", min=1,
                                 help="Owners, and flows per kind of change, to show."),
):
    """What an NB change does to SB: the flows added, removed and moved to other
    datapaths from --nb to --nb2, by stage and by owner.

    Exits 0 when identical, 1 when different, 2 on errors."""
    from . import analysis
    from .pipeline import compute as run
    with err.status("mirroring NB/SB"):
        nb_db, sb_db = _load(nb, sb)
        nb2_db, _ = _load(nb2, None)
    with err.status("running rules on both snapshots"):
        frames = analysis.snapshot_diff(run(nb_db, sb_db), run(nb2_db, sb_db))
    different = any(df.height for df in frames.values())
    if as_json:
        _print_json(analysis.to_json(frames))
    else:
        con = Console()
        if different:
            _print_frame(con, "by_stage", frames["by_stage"])
            _print_frame(con, "by_owner", frames["by_owner"], examples)
        for change in analysis.CHANGES:
            _print_changes(con, change, frames[change], examples)
        con.print("[red]different[/]" if different else "[green]identical[/]")
    raise typer.Exit(1 if different else 0)


def _print_json(data) -> None:
    json.dump(data, sys.stdout, indent=2)
    sys.stdout.write("\n")


def _print_frame(con: Console, name: str, df, limit: int | None = None) -> None:
    """A DataFrame as a table titled `name`; with `limit`, its first rows only."""
    shown = df if limit is None else df.head(limit)
    more = df.height - shown.height
    table = Table(title=name.replace("_", " "), caption=f"… {more} more" if more else None)
    for col, dtype in df.schema.items():
        table.add_column(col, justify="right" if dtype.is_numeric() else "left",
                         overflow="fold")
    for row in shown.iter_rows():
        table.add_row(*(Text(_cell(v)) for v in row))
    con.print(table)


def _print_changes(con: Console, change: str, flows, limit: int) -> None:
    """The first `limit` flows of a snapshot_diff frame (added, removed,
    changed), a line each, with their datapaths (+added -removed)."""
    for f in flows.head(limit).iter_rows(named=True):
        dps = (f["datapaths"] if change != "changed" else
               [f"+{d}" for d in f["datapaths_added"]] + [f"-{d}" for d in f["datapaths_removed"]])
        meter = f" meter={f['ctrl_meter']}" if f["ctrl_meter"] else ""
        con.print(f"{change}: {f['stage']} priority={f['priority']} match=({f['match']}) "
                  f"action=({f['actions']}){meter} datapaths: {_listing(dps, ' ')}",
                  markup=False, highlight=False, soft_wrap=True)
    if flows.height > limit:
        con.print(f"{change}: … {flows.height - limit} more", highlight=False)


def _print_explained(con: Console, flow: dict) -> None:
    """One `analysis.explain` flow as a two-column table."""
    table = Table(title=f"{flow['stage']} ({flow['pipeline']} table {flow['table_id']}) "
                        f"priority {flow['priority']} ({flow['rows']} rows)",
                  title_justify="left", show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    fields = {"match": flow["match"], "actions": flow["actions"], "meter": flow["ctrl_meter"],
              f"datapaths ({len(flow['datapaths'])})": _listing(flow["datapaths"], ", "),
              f"sources ({len(flow['sources'])})": _cell(flow["sources"])}
    for field, value in fields.items():
        if value is not None:
            table.add_row(field, Text(value))
    con.print(table)


def _cell(value) -> str:
    """A table cell: floats to two places, a struct as its values, a list one
    item a line."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return " ".join(_cell(v) for v in value.values() if v is not None)
    if isinstance(value, list):
        return _listing([_cell(v) for v in value], "\n")
    return str(value)


def _listing(items: list[str], sep: str) -> str:
    """The first LIST_ITEMS items joined by `sep`, then how many more."""
    more = [f"… {len(items) - LIST_ITEMS} more"] if len(items) > LIST_ITEMS else []
    return sep.join(items[:LIST_ITEMS] + more)


@app.command()
def diff(
    nb: str | None = typer.Option(None, "--nb", help=NB_HELP),
    sb: str | None = typer.Option(None, "--sb", help="SB db file to start the reference "
                                                        "from (its Chassis rows are inputs)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    examples: int = typer.Option(5, help="Example differences to show per side."),
):
    """Run relnorthd and the reference ovn-northd on the same NB and compare.

    Exits 0 when equal, 1 when they differ, 2 on errors."""
    from .differential import differential
    from .reference import ReferenceUnavailable
    try:
        nb_file = _as_file(nb)
        with err.status("running the reference ovn-northd and relnorthd"):
            d = differential(nb_file=nb_file, sb_file=sb)
    except (ReferenceUnavailable, MirrorError, RuntimeError) as e:
        raise _fail(str(e)) from None
    c = d.comparison
    if as_json:
        json.dump(c.to_json(examples), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_comparison(c, examples)
    raise typer.Exit(0 if c.equal else 1)


@app.command()
def run(
    ovnnb_db: str | None = typer.Option(None, "--ovnnb-db", help="NB remote (default "
                                        "$OVN_NB_DB or unix:/var/run/ovn/ovnnb_db.sock)."),
    ovnsb_db: str | None = typer.Option(None, "--ovnsb-db", help="SB remote (default "
                                        "$OVN_SB_DB or unix:/var/run/ovn/ovnsb_db.sock)."),
    stats: Path | None = typer.Option(None, "--stats", help="On exit, write per-phase "
                                      "percentiles of the incremental iterations and every "
                                      "iteration's phases to this JSON file."),
):
    """Run as northd: keep SB's datapaths, datapath groups and logical flows
    in sync with NB (holds the SB lock ovn_northd; logs every iteration and,
    on SIGTERM or SIGINT, a summary of them, then stops)."""
    from .daemon import Northd
    log = logging.getLogger("relnorthd.run")
    log.setLevel(logging.INFO)    # one line per iteration
    nb = ovnnb_db or mirror.default_source(mirror.NB)
    sb = ovnsb_db or mirror.default_source(mirror.SB)
    if not (nb.startswith(mirror.REMOTE_PREFIXES) and sb.startswith(mirror.REMOTE_PREFIXES)):
        raise _fail("run needs ovsdb-server remotes (unix:PATH or tcp:HOST:PORT)")
    stop = _stop_on_signals()
    northd = Northd(nb, sb)
    try:
        northd.run(stop.is_set)
    except KeyboardInterrupt:       # a second signal: stop at once
        pass
    summary = run_stats(northd.iterations)
    log.info("%s", _stats_line(summary))
    if stats:
        stats.write_text(json.dumps(summary, indent=1))


def _stop_on_signals():
    """An event set by the first SIGTERM or SIGINT (the loop then stops after
    its current iteration); a second one interrupts."""
    import signal
    import threading
    stop = threading.Event()

    def handler(signum, _frame):
        stop.set()
        signal.signal(signum, signal.default_int_handler)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handler)
    return stop


def run_stats(iterations) -> dict:
    """What `run --stats` writes: iterations per mode, percentiles of the
    incremental iterations' time (`seconds`) and of each of their phases
    (`phases`), and every iteration (`iterations`)."""
    from .phases import percentiles
    incremental = [it for it in iterations if it.mode == "incremental"]
    modes: dict[str, int] = {}
    for it in iterations:
        modes[it.mode] = modes.get(it.mode, 0) + 1
    return {"modes": modes,
            "seconds": percentiles([{"iteration": it.seconds} for it in incremental]).get(
                "iteration", {"n": 0}),
            "phases": percentiles(it.phases for it in incremental),
            "iterations": [{"mode": it.mode, "at": it.at, "seconds": it.seconds,
                            "phases": it.phases, "sb_rows": it.sb_rows,
                            "rules_run": it.rules_run} for it in iterations]}


def _stats_line(summary: dict) -> str:
    modes = ", ".join(f"{n} {mode}" for mode, n in summary["modes"].items()) or "none"
    if not summary["phases"]:
        return f"iterations: {modes}"
    phases = " ".join(f"{name} {1000 * p['p50']:.0f}/{1000 * p['p90']:.0f}"
                      for name, p in summary["phases"].items())
    total = summary["seconds"]
    return (f"iterations: {modes}; incremental p50/p90 ms: {1000 * total['p50']:.0f}/"
            f"{1000 * total['p90']:.0f} = {phases}")


def _as_file(nb: str | None) -> str:
    """The NB as a standalone file the reference can load (backs up a live server)."""
    source = nb or mirror.default_source(mirror.NB)
    if not source.startswith(mirror.REMOTE_PREFIXES):
        if not Path(source).is_file():
            raise MirrorError(f"{source}: no such file")
        _warn_unsupported(mirror.load(source, mirror.NB))   # errors before starting servers
        return source
    import subprocess
    import tempfile
    dest = Path(tempfile.mkdtemp(prefix="relnorthd-nb-")) / "nb.db"
    proc = subprocess.run(["ovsdb-client", "backup", source.split(",")[0], mirror.NB],
                          capture_output=True, text=True)
    if proc.returncode:
        raise MirrorError(f"{source}: cannot back up: {proc.stderr.strip()}")
    dest.write_text(proc.stdout)
    return str(dest)


def _print_comparison(c, examples: int) -> None:
    con = Console()
    table = Table(title="relnorthd vs ovn-northd 23.03.1")
    for col in ("stage", "matched", "only reference", "only relnorthd"):
        table.add_column(col, justify="left" if col == "stage" else "right")
    for s in c.stages.values():
        style = None if not (s.only_reference or s.only_ours) else "red"
        table.add_row(s.stage, str(s.matched), str(s.only_reference), str(s.only_ours),
                      style=style)
    t = c.totals
    table.add_row("total", str(t.matched), str(t.only_reference), str(t.only_ours),
                  style="bold")
    con.print(table)
    sides = (("only in reference", c.only_reference), ("only in relnorthd", c.only_ours))
    for label, rows in sides:
        for r in rows[:examples]:
            con.print(f"{label}: {r['stage']} priority={r['priority']} match=({r['match']}) "
                      f"action=({r['actions']}) datapaths={len(r['datapaths'])}",
                      markup=False, soft_wrap=True)
    con.print("[green]equal[/]" if c.equal else "[red]different[/]")


def main():  # pragma: no cover
    app()
