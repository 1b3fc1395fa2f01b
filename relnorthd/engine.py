"""The DuckDB connections every module uses: quiet (no progress bar on
stdout, which is where our outputs go), and with RELNORTHD_THREADS=N at
most N threads each (DuckDB's default: one per core; the test suite sets 1,
as it runs one process per core)."""
from __future__ import annotations

import os

import duckdb


def connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
    except duckdb.InvalidInputException:
        pass    # a Jupyter kernel without ipywidgets: DuckDB draws no bar there
    threads = os.environ.get("RELNORTHD_THREADS")
    if threads:
        if not threads.isdigit() or int(threads) < 1:
            raise ValueError(f"RELNORTHD_THREADS={threads!r}: not a number of threads")
        con.execute(f"SET threads = {int(threads)}")
    return con
