"""Many NBs computed together: each lib relation, rule batch and grouping
step is one statement over every NB's rows (nbkeyed.py), on DuckDB or on
Spark (spark.SparkConnection). The SQL is the same files the one-NB
compute runs.

The result stays in the engine as relations with an `nb` column: `flows`
(the flow contract), `dp_sets`, `groups` and `grouped_flows` (what
lflows.group returns for one NB), read per NB by `grouped`, and `out`
(`output`: what `compute -o X.parquet` writes), written whole by the
engine.
"""
from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from . import nbkeyed
from .contract import DP_SETS, FLOWS
from .dependencies import split_statement
from .libstate import _steps, input_tables
from .lflows import (DP_GROUPS, SB_FLOWS, SB_FLOWS_ORDER, SB_FLOWS_QUERY, Grouped,
                     group_statements)
from .mirror import Database
from .nbkeyed import NB, SPINE
from .output import NAMED
from .pipeline import Result
from .rules import FLOWS_QUERY, rule_files, rule_query


class KeyedConnection:
    """Our one-NB statements run over many NBs on `inner` (a DuckDB or
    Spark connection), keyed by nbkeyed.keyed."""

    def __init__(self, inner):
        self.inner = inner

    def load(self, nbs: Iterable[tuple[str, Database, Database | None]]) -> list[str]:
        """Register the inputs of every (name, NB, SB) with its name in
        column `nb`, and the `nbs` spine; returns the names."""
        tables: dict[str, list[pa.Table]] = {}
        names = []
        for name, nb, sb in nbs:
            names.append(name)
            for table, rows in input_tables(nb, sb).items():
                tables.setdefault(table, []).append(_tagged(rows, name))
        for table, parts in tables.items():
            self.inner.register(table, pa.concat_tables(parts, promote_options="permissive"))
        self.inner.register(SPINE, pa.table({NB: pa.array(names, pa.string())}))
        return names

    def execute(self, statement: str) -> None:
        kind, name, query = split_statement(statement)
        if kind == "macro":     # defined as it is (a Spark connection expands it
            self.inner.execute(statement)       # where called)
            return
        if kind == "set":
            kind, name, query = "table", nbkeyed.variable_relation(name), f"{query} AS value"
        if kind == "insert":
            self.inner.execute(f"INSERT INTO {name} {nbkeyed.keyed(query)}")
        else:
            self.inner.execute(f"CREATE OR REPLACE TEMP {kind.upper()} {name} AS "
                               f"{nbkeyed.keyed(query)}")

    def sql(self, query: str):
        return self.inner.sql(nbkeyed.keyed(query))


def compute(con: KeyedConnection) -> None:
    """Every lib relation, rule and grouping step over the loaded NBs."""
    for step in _steps():
        for statement in step:
            con.execute(statement.text)
    parts = []
    for i, path in enumerate(rule_files()):     # a table each: Spark 4 fails ("key
        parts.append(f"raw_{i}")                # not found") on unions of keyed rules
        con.execute(f"CREATE TEMP TABLE {parts[-1]} AS {rule_query(con, path)}")
    con.inner.execute("CREATE OR REPLACE TEMP VIEW raw AS "
                      + " UNION ALL ".join(f"SELECT * FROM {p}" for p in parts))
    con.execute(f"CREATE TEMP TABLE flows AS {FLOWS_QUERY}")
    group_statements(con)
    con.execute(f"CREATE TEMP TABLE grouped_flows AS {SB_FLOWS_QUERY}")


def output(con: KeyedConnection) -> None:
    """View `out`: every NB's SB flows as `compute -o X.parquet` writes
    them (output.NAMED), its NB in column `nb`."""
    columns = ", ".join("coalesce(f.datapaths, g.datapaths) AS datapaths"
                        if c == "datapaths" else f"f.{c}" for c in SB_FLOWS.names)
    con.execute(f"""CREATE TEMP VIEW sb_flows AS
        SELECT {columns},       -- fid: a key NAMED reads for flows of several datapaths
               CAST(row_number() OVER (ORDER BY f.stage) AS BIGINT) AS fid  -- and no group
        FROM grouped_flows f LEFT JOIN groups g ON g.dp_group = f.dp_group""")
    con.execute("CREATE TEMP VIEW dp_groups AS SELECT dp_group, datapaths FROM groups")
    con.execute("""CREATE TEMP VIEW dp_names AS
        SELECT _uuid AS datapath, name FROM Logical_Switch
        UNION ALL SELECT _uuid, name FROM Logical_Router""")
    con.execute(f"CREATE TEMP VIEW out AS {NAMED}")


def result(con: KeyedConnection, name: str, nb: Database) -> Result:
    """NB `name` (loaded as `nb`) as pipeline.compute(nb, sb_rows=False)
    returns it."""
    flows, sets, grouping = grouped(con, name)
    return Result(nb, flows, grouping, sets, rules_run=tuple(f.stem for f in rule_files()))


def grouped(con: KeyedConnection, name: str) -> tuple[pa.Table, pa.Table, Grouped]:
    """NB `name`'s flows (FLOWS), datapath sets (DP_SETS) and grouping, as
    the one-NB compute gives them (lflows.group's order)."""
    def rows(query: str, order: str = "") -> pa.Table:
        return con.inner.sql(f"SELECT * FROM ({query}) q WHERE q.{NB} = '{name}' {order}") \
            .to_arrow_table().drop_columns([NB])
    flows = rows("SELECT * FROM flows").cast(FLOWS)
    sets = rows("SELECT dp_set, datapath, nb FROM dp_sets").cast(DP_SETS)
    sb_flows = rows("SELECT * FROM grouped_flows", f"ORDER BY {SB_FLOWS_ORDER}")
    dp_groups = rows("SELECT dp_group, datapaths, nb FROM groups", "ORDER BY dp_group")
    return flows, sets, Grouped(sb_flows.cast(SB_FLOWS), dp_groups.cast(DP_GROUPS))


def _tagged(table: pa.Table, name: str) -> pa.Table:
    return table.append_column(NB, pa.array([name] * table.num_rows, pa.string()))
