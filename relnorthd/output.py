"""Writers for computed flows: Parquet, JSONL and `ovn-sbctl lflow-list` text.

All three read the grouped SB flows plus datapath names; the queries run in
DuckDB so large outputs never pass through per-row Python.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as parquet

from .pipeline import Result
from .sbtables import TABLES
from .engine import connect

FORMATS = ("lflow-list", "jsonl", "parquet")

# the SB flows (`sb_flows`, with a row number `fid`) with their datapaths'
# names (sorted; from `dp_names`), found once per datapath
# group (and per flow only for a flow of several datapaths without a group
# id: SB flows read back from a Southbound DB)
NAMED = """
    WITH sets AS (
        SELECT dp_group AS k, datapaths FROM dp_groups
        UNION ALL
        SELECT -fid - 1, datapaths FROM sb_flows
        WHERE dp_group IS NULL AND logical_datapath IS NULL),
    named AS (
        SELECT s.k, list(n.name ORDER BY n.name) AS dp_names
        FROM (SELECT k, unnest(datapaths) AS dp FROM sets) s
        JOIN dp_names n ON n.datapath = s.dp
        GROUP BY s.k)
    SELECT f.* EXCLUDE (fid), coalesce(s.dp_names, [n.name]) AS dp_names
    FROM sb_flows f
    LEFT JOIN named s ON s.k = coalesce(f.dp_group, -f.fid - 1)
    LEFT JOIN dp_names n ON n.datapath = f.logical_datapath"""

_JSONL = f"""
    SELECT datapaths,
           dp_names                 AS datapath_names,
           pipeline, table_id,
           stage                    AS stage_name,
           priority, match, actions,
           ctrl_meter               AS controller_meter,
           io_port                  AS in_out_port,
           stage_hint
    FROM ({NAMED})
    ORDER BY pipeline DESC, table_id, stage, priority DESC, match, actions, datapaths"""

_PARQUET = f"{NAMED} ORDER BY stage, priority DESC, match"


def _connect(result: Result) -> duckdb.DuckDBPyConnection:
    con = connect()
    flows = result.grouped.expanded()
    con.register("sb_flows", flows.append_column("fid", pa.array(range(flows.num_rows),
                                                                 pa.int64())))
    con.register("dp_groups", result.grouped.dp_groups)
    con.register("dp_names", datapath_names(result))
    return con


def datapath_names(result: Result) -> pa.Table:
    """(datapath, name) for every switch and router of the NB."""
    ls, lr = result.nb["Logical_Switch"], result.nb["Logical_Router"]
    return pa.table({
        "datapath": pa.concat_arrays([ls["_uuid"].combine_chunks(), lr["_uuid"].combine_chunks()]),
        "name": pa.concat_arrays([ls["name"].combine_chunks(), lr["name"].combine_chunks()]),
    })


def jsonl_table(result: Result) -> pa.Table:
    return _table(result, _JSONL)


def parquet_table(result: Result) -> pa.Table:
    """The rows `write(result, "parquet", ...)` writes."""
    return _table(result, _PARQUET)


def _table(result: Result, query: str) -> pa.Table:
    con = _connect(result)
    try:
        return con.sql(query).to_arrow_table()
    finally:
        con.close()


def write(result: Result, fmt: str, dest: str | Path | None) -> None:
    """Write `result` in `fmt` to `dest` (None or "-" for stdout; not for parquet)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    to_stdout = dest in (None, "-")
    if fmt == "parquet":
        if to_stdout:
            raise ValueError("parquet output needs -o FILE")
        con = _connect(result)
        try:
            con.sql(f"COPY ({_PARQUET}) TO {_quote(dest)} (FORMAT parquet)")
        finally:
            con.close()
        return
    if fmt == "jsonl":
        if to_stdout:
            for batch in jsonl_table(result).to_batches():
                for row in batch.to_pylist():
                    sys.stdout.write(json.dumps(row, separators=(",", ":")) + "\n")
            return
        con = _connect(result)
        try:
            con.sql(f"COPY ({_JSONL}) TO {_quote(dest)} (FORMAT json)")
        finally:
            con.close()
        return
    if to_stdout:
        write_lflow_list(result, sys.stdout)
    else:
        with open(dest, "w") as out:
            write_lflow_list(result, out)


class ParquetDataset:
    """Several NBs' flows in one Parquet file: each NB's rows as `write`
    puts them in its own Parquet file, with an `nb` column first, appended
    NB after NB (a row group or more each, never shared, so readers filtering
    on `nb` skip the others). A context manager: closing it completes the
    file with what was added; without any NB added, no file is left."""

    def __init__(self, dest: str | Path):
        self.dest = Path(dest)
        self.dest.unlink(missing_ok=True)     # overwritten, as `write` overwrites
        self._writer: parquet.ParquetWriter | None = None

    def add(self, nb: str, result: Result) -> int:
        """Append the flows of `result` as NB `nb`; returns their number."""
        table = parquet_table(result)
        table = table.add_column(0, "nb", pa.array([nb] * table.num_rows, pa.string()))
        if self._writer is None:
            self._writer = parquet.ParquetWriter(self.dest, table.schema)
        self._writer.write_table(table.cast(self._writer.schema))
        return table.num_rows

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()

    def __enter__(self) -> ParquetDataset:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_sb_tables(result: Result, directory: str | Path) -> list[Path]:
    """The other SB tables' rows (sql/sb/<Table>.sql), one Parquet file
    per table in `directory`, references named by natural key as
    relnorthd/sbtables.py says; the files written. Tables northd only
    prunes (FDB, IGMP_Group: ovn-controller's rows) are left out."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in sorted(result.sb_rows.items()):
        if name in TABLES and TABLES[name].prune:
            continue
        paths.append(directory / f"{name}.parquet")
        parquet.write_table(table, paths[-1])
    return paths


def _quote(path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def write_lflow_list(result: Result, out: TextIO) -> None:
    """Text laid out as `ovn-sbctl lflow-list` prints it: one block per
    datapath and pipeline, sorted as ovn-sbctl sorts. The uuid printed after a
    datapath's name is its NB uuid (relnorthd has no SB uuids)."""
    con = _connect(result)
    try:
        rows = con.sql("""
            SELECT n.name, f.dp, f.pipeline,
                   format('  table={:<2d}({:<19s}), priority={:<5d}, match=({}), action=({})',
                          f.table_id, f.stage, f.priority, f.match, f.actions) AS line
            FROM (SELECT unnest(datapaths) AS dp, * FROM sb_flows) f
            JOIN dp_names n ON n.datapath = f.dp
            ORDER BY n.name, f.dp, f.pipeline DESC, f.table_id, f.priority DESC,
                     f.match, f.actions""").fetchall()
    finally:
        con.close()
    prev = None
    for name, dp, pipeline, line in rows:
        if (dp, pipeline) != prev:
            out.write(f'Datapath: "{name}" ({dp})  Pipeline: {pipeline}\n')
            prev = (dp, pipeline)
        out.write(line + "\n")
