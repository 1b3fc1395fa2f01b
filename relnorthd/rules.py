"""Rules runner: DuckDB executes the rule files sql/*.sql and the SB row
files sql/sb/*.sql on a connection that holds the mirrored tables and the
sql/lib relations (libstate.py), and returns the flows as one Arrow table
in the flow contract.

NB tables are visible under their own names (Logical_Switch, ACL, ...), SB
inputs as sb_<Table>, Python-derived relations (derive.py) and lib
relations by their names.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from .contract import DP_SETS, FLOWS, REQUIRED_COLUMNS, RULE_COLUMNS
from .phases import Phases


class RuleError(ValueError):
    """A rule file does not fit the flow contract."""


@functools.cache
def sql_dir() -> Path:
    """sql/ of a source checkout, or the copy installed with the package;
    an install missing rule, lib, sb/ or nb/ files is an error, never an
    empty result."""
    here = Path(__file__).resolve().parent.parent / "sql"
    found = here if here.is_dir() else Path(str(resources.files("relnorthd") / "sql"))
    missing = [part for part, pattern in (("rule files", "*.sql"), ("lib/", "lib/*.sql"),
                                          ("sb/", "sb/*.sql"), ("nb/", "nb/*.sql"))
               if not any(found.glob(pattern))]
    if missing:
        raise RuleError(f"{found}: no {', '.join(missing)}: relnorthd is installed incompletely")
    return found


def rule_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or sql_dir()).glob("*.sql"))


def sb_row_files() -> list[Path]:
    """sql/sb/<Table>.sql: the rows northd writes to SB table <Table>."""
    return sorted((sql_dir() / "sb").glob("*.sql"))


def nb_row_files() -> list[Path]:
    """sql/nb/<Table>.sql: the NB columns northd writes back to NB table
    <Table>, as (_uuid, column...) rows of what they should hold."""
    return sorted((sql_dir() / "nb").glob("*.sql"))


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


def rule_query(con: duckdb.DuckDBPyConnection, path: Path) -> str:
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
    cols = ", ".join(f"r.{c}" if c in have else f"CAST(NULL AS VARCHAR) AS {c}"
                     for c in RULE_COLUMNS)
    return f"SELECT {cols}, '{path.stem}' AS rule FROM (\n{body}\n) AS r"


def _scoped_query(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """The rule's query reading its per-owner relations through
    `scoped__<relation>` views (only the rows of the owners in table
    `scope_owners`)."""
    query = rule_query(con, path)
    for rel, _ in per_owner()[path]:
        query = re.sub(rf"(?<![.\w]){rel}(?!\w)", f"scoped__{rel}", query)
    return query


# the rules' rows (`raw`, as rule_query returns them) in the flow contract
FLOWS_QUERY = """
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

# what rule_query returns
_RAW = pa.schema([(c, pa.int64() if c == "priority" else pa.string())
                  for c in (*RULE_COLUMNS, "rule")])
BATCH = 8       # rule files per query


def run(con: duckdb.DuckDBPyConnection, files: list[Path] | None = None,
        scoped: list[Path] = (), owners: frozenset[str] = frozenset()) -> pa.Table:
    """Run the rule files on `con`, and the `scoped` ones (which declare
    per-owner relations) for `owners` only; returns the flows (FLOWS)."""
    files = rule_files() if files is None else files
    queries = [rule_query(con, f) for f in files]
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
        con.sql("\nUNION ALL\n".join(queries[i:i + BATCH])).to_arrow_table().cast(_RAW)
        for i in range(0, len(queries), BATCH))]))
    try:
        return con.sql(FLOWS_QUERY).to_arrow_table().cast(FLOWS)
    finally:
        con.unregister("raw")


@dataclass(frozen=True)
class Computed:
    """What one run of the rules gives."""
    flows: pa.Table                 # FLOWS
    dp_sets: pa.Table | None        # DP_SETS: the sets dp_set rows name (None: not read)
    sb_rows: dict[str, pa.Table] = field(default_factory=dict)  # SB table -> its rows
    nb_rows: dict[str, pa.Table] = field(default_factory=dict)  # NB table -> written columns


def evaluate(con: duckdb.DuckDBPyConnection, files: list[Path] | None = None,
             scoped: list[Path] = (), owners: frozenset[str] = frozenset(),
             sb_files: list[Path] | None = None, dp_sets: bool = True,
             timer: Phases | None = None, nb_files: list[Path] | None = None) -> Computed:
    """On a connection with the inputs and lib relations (libstate.py): the
    flows of the rule files (all when None; `scoped` for `owners` only, as
    in `run`), the rows of the sql/sb/ and sql/nb/ files (all when None)
    and, with `dp_sets`, the datapath sets. `timer` collects the time of
    each phase."""
    timer = timer or Phases()
    with timer("rules"):
        flows = run(con, files, scoped, owners)
    with timer("sb_rows"):
        sets = (con.sql("SELECT dp_set, datapath FROM dp_sets").to_arrow_table().cast(DP_SETS)
                if dp_sets else None)
        sb_rows = {f.stem: con.sql(f.read_text()).to_arrow_table()
                   for f in (sb_row_files() if sb_files is None else sb_files)}
        nb_rows = {f.stem: con.sql(f.read_text()).to_arrow_table()
                   for f in (nb_row_files() if nb_files is None else nb_files)}
    return Computed(flows, sets, sb_rows, nb_rows)
