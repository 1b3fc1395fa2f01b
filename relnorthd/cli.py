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
from rich.table import Table
from rich.text import Text

from . import mirror, output
from .mirror import MirrorError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="OVN northd's logical-flow generation as relational rules.")
err = Console(stderr=True)

NB_HELP = "NB source: a db file, unix:PATH or tcp:HOST:PORT (default: $OVN_NB_DB)."
SB_HELP = "SB source for northd's SB inputs (Chassis features, ...); default: an empty SB."


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
    missing = unsupported(nb_db)
    if missing:
        err.print("[yellow]warning:[/] this NB uses features relnorthd does not generate flows "
                  "for yet; their flows will be missing:", soft_wrap=True)
        for feature, count in missing:
            err.print(f"  {count:>6}  {feature}", soft_wrap=True, highlight=False)


@app.command()
def compute(
    nb: str | None = typer.Option(None, "--nb", help=NB_HELP),
    sb: str | None = typer.Option(None, "--sb", help=SB_HELP),
    out: Path | None = typer.Option(None, "-o", "--output", help="Output file (default stdout)."),
    fmt: str | None = typer.Option(None, "--format", "-f",
                                      help="lflow-list | jsonl | parquet (default: from the "
                                           "output file's suffix, else lflow-list)."),
):
    """Compute the Southbound logical flows for an NB database."""
    from .pipeline import compute as run
    fmt = fmt or {".parquet": "parquet", ".jsonl": "jsonl"}.get(out.suffix if out else "",
                                                                  "lflow-list")
    if fmt not in output.FORMATS:
        raise _fail(f"unknown format {fmt!r}; choose {', '.join(output.FORMATS)}")
    if fmt == "parquet" and out is None:
        raise _fail("parquet output needs -o FILE")
    start = time.perf_counter()
    with err.status("mirroring NB/SB"):
        nb_db, sb_db = _load(nb, sb)
    with err.status("running rules and grouping datapaths"):
        result = run(nb_db, sb_db)
    with err.status(f"writing {fmt}"):
        output.write(result, fmt, str(out) if out else None)
    g = result.grouped
    err.print(f"{result.flows.num_rows} flow rows -> {g.flows.num_rows} SB flows, "
              f"{g.dp_groups.num_rows} datapath groups in {time.perf_counter() - start:.2f}s")


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
        json.dump(analysis.to_json(frames), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    con = Console()
    for name, df in frames.items():
        table = Table(title=name.replace("_", " "))
        for col, dtype in df.schema.items():
            table.add_column(col, justify="right" if dtype.is_numeric() else "left",
                             overflow="fold")
        for row in df.iter_rows():
            table.add_row(*(Text("" if v is None else f"{v:.2f}" if isinstance(v, float)
                                 else str(v)) for v in row))
        con.print(table)


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
