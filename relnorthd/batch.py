"""Many NBs computed together: each lib relation, rule batch and grouping
step is one statement over every NB's rows (nbkeyed.py), on DuckDB or on
Spark (spark.SparkConnection). The SQL is the same files the one-NB
compute runs.

The result stays in the engine as relations with an `nb` column: `flows`
(the flow contract), `dp_sets`, `groups` and `sb_flows` (what
lflows.group returns for one NB), read per NB by `grouped` or written
whole by the engine (spark.write_dataset).
"""
from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from . import nbkeyed
from .contract import DP_SETS, FLOWS
from .dependencies import split_statement
from .libstate import _steps, input_tables
from .lflows import DP_GROUPS, SB_FLOWS, SB_FLOWS_QUERY, Grouped, group_statements
from .mirror import Database
from .nbkeyed import NB, SPINE
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

    def materialize(self, name: str, query: str) -> None:
        """Table `name` from a query already keyed."""
        self.inner.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {query}")


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
    con.execute(f"CREATE TEMP TABLE sb_flows AS {SB_FLOWS_QUERY}")


def grouped(con: KeyedConnection, name: str) -> tuple[pa.Table, pa.Table, Grouped]:
    """NB `name`'s flows (FLOWS), datapath sets (DP_SETS) and grouping, as
    the one-NB compute gives them (lflows.group's order)."""
    def rows(query: str, order: str = "") -> pa.Table:
        return con.inner.sql(f"SELECT * FROM ({query}) q WHERE q.{NB} = '{name}' {order}") \
            .to_arrow_table().drop_columns([NB])
    flows = rows("SELECT * FROM flows").cast(FLOWS)
    sets = rows("SELECT dp_set, datapath, nb FROM dp_sets").cast(DP_SETS)
    sb_flows = rows("SELECT * FROM sb_flows", "ORDER BY stage, priority DESC, match, actions")
    dp_groups = rows("SELECT dp_group, datapaths, nb FROM groups", "ORDER BY dp_group")
    return flows, sets, Grouped(sb_flows.cast(SB_FLOWS), dp_groups.cast(DP_GROUPS))


def _tagged(table: pa.Table, name: str) -> pa.Table:
    return table.append_column(NB, pa.array([name] * table.num_rows, pa.string()))
