"""The DuckDB connections every module uses: quiet (no progress bar on
stdout, which is where our outputs go)."""
from __future__ import annotations

import duckdb


def connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con
