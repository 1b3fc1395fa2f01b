"""Rules runner: DuckDB executes sql/lib/*.sql (stages, macros, derived
views) and every rule file sql/*.sql over the mirrored Arrow tables, and
returns the union as one Arrow table in the flow contract.

NB tables are visible under their own names (Logical_Switch, ACL, ...), SB
inputs as sb_<Table>, Python-derived relations (derive.py) by their names.
Arrow tables are registered, not copied.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from .contract import DP_SETS, FLOWS, REQUIRED_COLUMNS, RULE_COLUMNS
from .mirror import Database
from .phases import Phases
from .derive import python_relations
from .sbinputs import SB_INPUTS, sb_input_tables
from . import engine, ipam


class RuleError(ValueError):
    """A rule file does not fit the flow contract."""


@functools.cache
def sql_dir() -> Path:
    """sql/ of a source checkout, or the copy installed with the package;
    an install missing rule, lib or sb/ files is an error, never an empty
    result."""
    here = Path(__file__).resolve().parent.parent / "sql"
    found = here if here.is_dir() else Path(str(resources.files("relnorthd") / "sql"))
    missing = [part for part, pattern in (("rule files", "*.sql"), ("lib/", "lib/*.sql"),
                                          ("sb/", "sb/*.sql"))
               if not any(found.glob(pattern))]
    if missing:
        raise RuleError(f"{found}: no {', '.join(missing)}: relnorthd is installed incompletely")
    return found


def rule_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or sql_dir()).glob("*.sql"))


def sb_row_files() -> list[Path]:
    """sql/sb/<Table>.sql: the rows northd writes to SB table <Table>."""
    return sorted((sql_dir() / "sb").glob("*.sql"))


def connect(nb: Database, sb: Database | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with NB/SB tables registered (NB with northd's
    IPAM allocations) and sql/lib loaded."""
    nb = ipam.settle(nb)
    con = engine.connect()
    for name, table in nb.tables.items():
        con.register(name, table)
    sb_tables = sb_input_tables(sb)
    for name, table in sb_tables.items():
        con.register(f"sb_{name}", table)
    for name, table in python_relations(nb, sb_tables).items():
        con.register(name, table)
    for lib in sorted((sql_dir() / "lib").glob("*.sql")):
        con.execute(lib.read_text())
    return con


def load_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Only the general macros of sql/lib (options, JSON, hashing), for
    connections that run no rules."""
    con.execute((sql_dir() / "lib" / "10_macros.sql").read_text())


_PER_OWNER = re.compile(r"^-- Per owner: (.+)$", re.MULTILINE)
_KEYED = re.compile(r"(\w+)\((\w+)\)")


@functools.cache
def per_owner() -> dict[Path, tuple[tuple[str, str], ...]]:
    """Rule files declaring `-- Per owner: rel(key), ...`: each row's owner
    is a `key` value of those relations, and a row of owner o depends on
    no other rows of them than those with key o (tests/test_incremental.py
    checks every declaration) -> the declared (relation, key) pairs."""
    out = {}
    for path in rule_files():
        m = _PER_OWNER.search(path.read_text())
        if m:
            out[path] = tuple(_KEYED.findall(m.group(1)))
    return out


# (rule file, mtime) -> its widened query: binding a rule to learn its
# columns costs a few ms, which a running daemon pays once
_QUERIES: dict[tuple[Path, int], str] = {}


def _rule_query(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """The rule's SELECT widened to RULE_COLUMNS: a rule names only what it
    sets; io_port, ctrl_meter, stage_hint and dp_set default to null, and
    owner to the flow's own datapath."""
    key = (path, path.stat().st_mtime_ns)
    if key not in _QUERIES:
        _QUERIES[key] = _widen(con, path)
    return _QUERIES[key]


def _widen(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    body = path.read_text().strip().rstrip(";")
    have = set(con.sql(body).columns)
    missing = [c for c in REQUIRED_COLUMNS if c not in have]
    if missing:
        raise RuleError(f"{path.name}: rule does not return {', '.join(missing)}")
    cols = ", ".join(f"r.{c}" if c in have else f"NULL AS {c}" for c in RULE_COLUMNS)
    return f"SELECT {cols}, '{path.stem}' AS rule FROM (\n{body}\n) AS r"


def _scoped_query(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """The rule's query reading its per-owner relations through
    `scoped__<relation>` views (only the rows of the owners in table
    `scope_owners`)."""
    query = _rule_query(con, path)
    for rel, _ in per_owner()[path]:
        query = re.sub(rf"(?<![.\w]){rel}(?!\w)", f"scoped__{rel}", query)
    return query


# what _rule_query returns
_RAW = pa.schema([(c, pa.int64() if c == "priority" else pa.string())
                  for c in (*RULE_COLUMNS, "rule")])
_BATCH = 8      # rule files per query


def run(con: duckdb.DuckDBPyConnection, files: list[Path] | None = None,
        scoped: list[Path] = (), owners: frozenset[str] = frozenset()) -> pa.Table:
    """Run the rule files on `con`, and the `scoped` ones (which declare
    per-owner relations) for `owners` only; returns the flows (FLOWS)."""
    files = rule_files() if files is None else files
    queries = [_rule_query(con, f) for f in files]
    if scoped:
        con.execute("CREATE OR REPLACE TEMP TABLE scope_owners AS "
                    "SELECT unnest(?::VARCHAR[]) AS owner", [sorted(owners)])
        for rel, key in sorted({pair for f in scoped for pair in per_owner()[f]}):
            con.execute(f"CREATE OR REPLACE TEMP VIEW scoped__{rel} AS SELECT * FROM {rel} "
                        f"WHERE {key} IN (SELECT owner FROM scope_owners)")
        queries += [_scoped_query(con, f) for f in scoped]
    # the rules in batches: DuckDB plans a UNION of ~90 rules in far more
    # time than ~11 unions of 8 (docs/incremental-profile.md)
    con.register("raw", pa.concat_tables([_RAW.empty_table(), *(
        con.sql("\nUNION ALL\n".join(queries[i:i + _BATCH])).to_arrow_table().cast(_RAW)
        for i in range(0, len(queries), _BATCH))]))
    query = """
        SELECT raw.datapath, s.pipeline, s.table_id, raw.stage,
               CAST(raw.priority AS BIGINT) AS priority, raw.match, raw.actions,
               raw.io_port, raw.ctrl_meter, raw.stage_hint, raw.rule,
               coalesce(raw.owner_table, d.nb_table) AS owner_table,
               coalesce(raw.owner, raw.datapath) AS owner, raw.dp_set
        FROM raw
        JOIN stages s USING (stage)
        LEFT JOIN datapaths d ON d.datapath = raw.datapath
        WHERE raw.datapath IS NOT NULL
           OR raw.dp_set IN (SELECT dp_set FROM dp_sets)"""
    try:
        return con.sql(query).to_arrow_table().cast(FLOWS)
    finally:
        con.unregister("raw")


@dataclass(frozen=True)
class Computed:
    """What one run of the rules gives."""
    flows: pa.Table                 # FLOWS
    dp_sets: pa.Table               # DP_SETS: the sets dp_set rows name
    sb_rows: dict[str, pa.Table] = field(default_factory=dict)  # SB table -> its rows
    files: list[Path] = field(default_factory=list)  # the rule files run in full
    scoped: list[Path] = field(default_factory=list)  # ... and for `owners` only
    owners: frozenset[str] = frozenset()
    # with tracking (incremental.py): relation -> fingerprint, and
    # "rel(key)" -> per-key fingerprints (k, h) of the per-owner relations
    fingerprints: dict[str, tuple] = field(default_factory=dict)
    keyed_fingerprints: dict[str, pa.Table] = field(default_factory=dict)


def fingerprints(con: duckdb.DuckDBPyConnection, inputs: set[str]) -> dict[str, tuple]:
    """The content of each relation on `con` but the `inputs` (the lib and
    Python relations), as (rows, sum of row hashes): equal fingerprints,
    equal bags of rows (but for a 64-bit hash collision)."""
    names = [n for (n,) in con.sql("""
        SELECT table_name FROM duckdb_tables() WHERE temporary AND NOT internal
        UNION SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal""").fetchall()
             if n not in inputs]
    query = " UNION ALL ".join(
        f"SELECT '{r}', count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {r} t"
        for r in sorted(names))
    return {name: (n, int(h)) for name, n, h in con.sql(query).fetchall()}


def keyed_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, pa.Table]:
    """For every per-owner relation a rule declares, "rel(key)" -> its rows'
    content per key value, as a table (k, h)."""
    return {f"{rel}({key})": con.sql(
                f"SELECT CAST({key} AS VARCHAR) AS k, sum(hash(t)::HUGEINT)::VARCHAR AS h "
                f"FROM {rel} t GROUP BY ALL").to_arrow_table()
            for rel, key in sorted({p for pairs in per_owner().values() for p in pairs})}


def compute_flows(nb: Database, sb: Database | None = None, track: bool = False,
                  select: Callable | None = None, timer: Phases | None = None) -> Computed:
    """Mirror in, flow contract out: the flows of every rule file, the
    datapath sets they name, and the rows of sql/sb/. With `track`, also
    the lib relations' fingerprints; `select(fingerprints,
    keyed_fingerprints)` (tracking) then picks the rule files to run, as an
    incremental.Rerun. `timer` collects the time of each phase."""
    timer = timer or Phases()
    with timer("lib"):
        con = connect(nb, sb)
    try:
        prints, keyed = {}, {}
        if track or select is not None:
            with timer("fingerprints"):
                prints = fingerprints(con, {*nb.tables, *(f"sb_{t}" for t in SB_INPUTS)})
                keyed = keyed_fingerprints(con)
        files, scoped, owners = rule_files(), [], frozenset()
        if select is not None:
            pick = select(prints, keyed)
            files, scoped, owners = pick.files, pick.scoped, pick.owners
        with timer("rules"):
            flows = run(con, files, scoped, owners)
        with timer("sb_rows"):
            dp_sets = con.sql("SELECT dp_set, datapath FROM dp_sets").to_arrow_table() \
                .cast(DP_SETS)
            sb_rows = {f.stem: con.sql(f.read_text()).to_arrow_table() for f in sb_row_files()}
        return Computed(flows, dp_sets, sb_rows, files, scoped, owners, prints, keyed)
    finally:
        con.close()
