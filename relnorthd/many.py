"""Many NBs in one run: `relnorthd compute A.db B.db 'snaps/*.db' -o flows.parquet`.

The NBs are computed in turn in one process, so the start-up (imports,
DuckDB, the rule queries' preparation) is paid once, and their flows go to
one Parquet file (output.ParquetDataset): each NB's rows as `relnorthd
compute -o X.parquet` writes them for that NB alone, plus an `nb` column.
One file rather than a hive-partitioned directory: `pl.read_parquet`,
DuckDB's `FROM 'flows.parquet'` and `pyarrow.parquet.read_table` read it as
it is, `nb` stays a string (hive partition values are type-guessed: an NB
named `120` would come back as a number) and names need no path escaping.

An NB that cannot be computed (a corrupt file, say) is reported and left
out; the others are still computed and written.

On Spark (`compute_together`) the NBs are computed together, each statement
once for all of them (batch.py), and Spark writes the dataset: a folder of
Parquet part files with the same columns.
"""
from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import batch, mirror, output, support
from .mirror import Database, MirrorError
from .pipeline import compute

GLOB_CHARS = frozenset("*?[")


def expand(sources: Iterable[str]) -> list[str]:
    """The sources with glob patterns (a quoted `snaps/*.db`, `**` too)
    replaced by the files they match, sorted, each file once. A pattern
    matching nothing is an error."""
    out: dict[str, None] = {}
    for source in sources:
        if is_pattern(source):
            found = sorted(glob.glob(source, recursive=True))
            if not found:
                raise MirrorError(f"{source}: matches no file")
        else:
            found = [source]
        out.update((os.path.normpath(f) if not f.startswith(mirror.REMOTE_PREFIXES) else f,
                    None) for f in found)
    return list(out)


def is_pattern(source: str) -> bool:
    """A glob pattern, not a remote or a file whose name has glob characters."""
    return (not source.startswith(mirror.REMOTE_PREFIXES) and not Path(source).exists()
            and any(c in GLOB_CHARS for c in source))


def names(sources: list[str]) -> list[str]:
    """A unique name per source for the `nb` column: the file stems
    (`snaps/k8s-120.db` -> `k8s-120`) when they are unique, else the
    sources as given."""
    stems = [s if s.startswith(mirror.REMOTE_PREFIXES) else Path(s).stem for s in sources]
    return stems if len(set(stems)) == len(stems) else list(sources)


@dataclass(frozen=True)
class Outcome:
    """One NB of the run: how many SB flows it got, or why it has none."""
    nb: str
    source: str
    sb_flows: int = 0
    error: str | None = None
    unsupported: list[tuple[str, int]] = field(default_factory=list)


def compute_many(sources: list[str], dest: str | Path, sb: Database | None = None,
                 track: Callable[[list[tuple[str, str]]], Iterable[tuple[str, str]]] = iter,
                 report: Callable[[Outcome], None] = lambda outcome: None) -> list[Outcome]:
    """Compute every NB source (files or remotes, no patterns: see `expand`)
    with the same SB inputs `sb`, writing one Parquet dataset to `dest`;
    `track` wraps the (name, source) pairs (a progress bar) and `report`
    sees each outcome as soon as it is known."""
    outcomes = []
    with output.ParquetDataset(dest) as dataset:
        for name, source in track(list(zip(names(sources), sources, strict=True))):
            outcomes.append(_compute_one(name, source, sb, dataset))
            report(outcomes[-1])
    return outcomes


def _compute_one(name: str, source: str, sb: Database | None,
                 dataset: output.ParquetDataset) -> Outcome:
    """One NB into `dataset` (its mirror and result freed on return, before
    the next NB is loaded)."""
    try:
        nb = mirror.load(source, mirror.NB)
        return Outcome(name, source, dataset.add(name, compute(nb, sb, sb_rows=False)),
                       unsupported=support.unsupported(nb))
    except Exception as e:      # noqa: BLE001 -- one NB's failure must not stop the others
        return Outcome(name, source,
                       error=str(e) if isinstance(e, MirrorError) else f"{type(e).__name__}: {e}")


def compute_together(sources: list[str], dest: str | Path, con, sb: Database | None = None,
                     report: Callable[[Outcome], None] = lambda outcome: None) -> list[Outcome]:
    """Compute every NB source at once on `con` (a spark.SparkConnection)
    and have it write one Parquet dataset to `dest`; an NB that cannot be
    loaded is reported and left out."""
    outcomes, loaded = [], []
    for name, source in zip(names(sources), sources, strict=True):
        try:
            nb = mirror.load(source, mirror.NB)
        except MirrorError as e:
            outcomes.append(Outcome(name, source, error=str(e)))
            report(outcomes[-1])
            continue
        loaded.append((name, source, nb))
        outcomes.append(Outcome(name, source, unsupported=support.unsupported(nb)))
    if not loaded:
        return outcomes
    keyed = batch.KeyedConnection(con)
    keyed.load((name, nb, sb) for name, _, nb in loaded)
    batch.compute(keyed)
    batch.output(keyed)
    con.write_parquet("out", str(dest), first="nb", order=["stage", "priority DESC", "match"])
    counts = dict(con.sql("SELECT nb, count(*) FROM out GROUP BY nb").fetchall())
    done = []
    for o in outcomes:
        if o.error is None:
            o = Outcome(o.nb, o.source, counts.get(o.nb, 0), unsupported=o.unsupported)
            report(o)
        done.append(o)
    return done
