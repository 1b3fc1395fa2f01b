"""The DuckDB connections every module uses: quiet (no progress bar on
stdout, which is where our outputs go)."""
from __future__ import annotations

import duckdb


def connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
    except duckdb.InvalidInputException:
        pass    # a Jupyter kernel without ipywidgets: DuckDB draws no bar there
    return con
