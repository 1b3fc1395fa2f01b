"""Rules runner: DuckDB executes sql/lib/*.sql (stages, macros, derived
views) and every rule file sql/*.sql over the mirrored Arrow tables, and
returns the union as one Arrow table in the flow contract.

NB tables are visible under their own names (Logical_Switch, ACL, ...), SB
inputs as sb_<Table>. Arrow tables are registered, not copied.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from .contract import FLOWS, RULE_COLUMNS
from .mirror import Database
from .sbinputs import sb_input_tables


def sql_dir() -> Path:
    """sql/ of a source checkout, or the copy installed with the package."""
    here = Path(__file__).resolve().parent.parent / "sql"
    if here.is_dir():
        return here
    return Path(str(resources.files("relnorthd") / "sql"))


def rule_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or sql_dir()).glob("*.sql"))


def connect(nb: Database, sb: Database | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with NB/SB tables registered and sql/lib loaded."""
    con = duckdb.connect()
    for name, table in nb.tables.items():
        con.register(name, table)
    for name, table in sb_input_tables(sb).items():
        con.register(f"sb_{name}", table)
    for lib in sorted((sql_dir() / "lib").glob("*.sql")):
        con.execute(lib.read_text())
    return con


def _rule_query(path: Path) -> str:
    body = path.read_text().strip().rstrip(";")
    cols = ", ".join(f"r.{c}" for c in RULE_COLUMNS)
    return f"SELECT {cols}, '{path.stem}' AS rule FROM (\n{body}\n) AS r"


def run(con: duckdb.DuckDBPyConnection, files: list[Path] | None = None) -> pa.Table:
    """Run the rule files on `con`; returns the flows (FLOWS schema)."""
    files = rule_files() if files is None else files
    union = "\nUNION ALL\n".join(_rule_query(f) for f in files)
    query = f"""
        WITH raw AS ({union})
        SELECT raw.datapath, s.pipeline, s.table_id, raw.stage,
               CAST(raw.priority AS BIGINT) AS priority, raw.match, raw.actions,
               raw.io_port, raw.ctrl_meter, raw.stage_hint, raw.rule,
               raw.owner_table, raw.owner
        FROM raw JOIN stages s USING (stage)"""
    return con.sql(query).to_arrow_table().cast(FLOWS)


def compute_flows(nb: Database, sb: Database | None = None) -> pa.Table:
    """Mirror in, flow contract out."""
    con = connect(nb, sb)
    try:
        return run(con)
    finally:
        con.close()
