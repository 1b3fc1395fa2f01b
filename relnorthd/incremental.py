"""Which rules a change can affect: incremental compute at rule level.

Every rule file's inputs as base tables and columns (NB tables, SB input
tables as `sb_<Table>`), followed through the sql/lib relations it reads
(CREATE TABLE/VIEW and INSERT INTO statements) and the Python relations
(derive.PYTHON_RELATION_INPUTS; all their table's columns). A statement
reads from each base table it names every column name it mentions (all of
them when it has a star): coarse, never too little. What lib macros and SET
VARIABLE statements read is an input of every rule. Built once per process
from DuckDB's parse trees of the SQL text.

`recompute(nb, sb, previous, changed)` reruns only the rules whose inputs
changed and keeps the other rules' rows from `previous`; lib relations, the
SB rows of sql/sb/ and the grouping are always computed in full (unless
nothing any of them reads changed).
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from .derive import PYTHON_RELATION_INPUTS
from .lflows import group
from .mirror import Database
from .pipeline import Result, compute
from .rules import compute_flows, rule_files, sb_row_files, sql_dir

_COMMENTS = re.compile(r"^(?:\s*--[^\n]*\n)*\s*")
# a lib statement: (what it defines, the query whose tables it reads)
_SHAPES = [
    re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?(?:TABLE|VIEW)\s+(\w+)"
               r"\s+AS\s+(.*)", re.IGNORECASE | re.DOTALL),
    re.compile(r"INSERT\s+INTO\s+(\w+)\s+(.*)", re.IGNORECASE | re.DOTALL),
    re.compile(r"()SET\s+VARIABLE\s+\w+\s*=\s*(.*)", re.IGNORECASE | re.DOTALL),
    re.compile(r"()CREATE\s+(?:OR\s+REPLACE\s+)?MACRO\s+\w+\s*\([^)]*\)\s+AS\s+(?:TABLE\s+)?(.*)",
               re.IGNORECASE | re.DOTALL),
]


# A dependency: base table -> the column names read from it ("*": all).
Deps = dict[str, frozenset[str]]
ALL = "*"


def _merge(*deps: Deps) -> Deps:
    out: dict[str, set[str]] = {}
    for dep in deps:
        for table, columns in dep.items():
            out.setdefault(table, set()).update(columns)
    return {t: frozenset(c) for t, c in out.items()}


@functools.cache
def _lib_graph() -> tuple[dict[str, Deps], Deps]:
    """(lib relation -> its base dependencies, the dependencies of every
    rule: what lib macros and SET VARIABLE statements read)."""
    relations: dict[str, Deps] = {name: {t: frozenset([ALL]) for t in tables}
                                  for name, tables in PYTHON_RELATION_INPUTS.items()}
    everywhere: Deps = {}
    for lib in sorted((sql_dir() / "lib").glob("*.sql")):
        for statement in duckdb.extract_statements(lib.read_text()):
            text = _COMMENTS.sub("", statement.query).rstrip().rstrip(";")
            shape = next((m for m in (p.match(text) for p in _SHAPES) if m), None)
            if shape is None:
                raise ValueError(f"{lib.name}: cannot tell what this reads: {text[:60]!r}")
            name, query = shape.groups()
            query = query.strip()
            if not re.match(r"(SELECT|WITH)\b", query, re.IGNORECASE):
                query = f"SELECT {query}"       # an expression
            deps = _deps(query, relations, exclude=name)
            if name:
                relations[name] = _merge(relations.get(name, {}), deps)
            else:                   # macros, SET VARIABLE
                everywhere = _merge(everywhere, deps)
    return relations, everywhere


def _deps(query: str, relations: dict[str, Deps], exclude: str = "") -> Deps:
    """A query's base dependencies: the lib relations it reads bring theirs;
    from base tables it reads the columns it names (all on a star)."""
    tables, columns = _parse(query)
    own = {t: columns for t in tables - {exclude} if t not in relations}
    return _merge(own, *(relations[t] for t in tables - {exclude} if t in relations))


@functools.cache
def _parser() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def _parse(query: str) -> tuple[set[str], frozenset[str]]:
    """(the tables a query reads, the column names it mentions, or ALL when
    it has a star), from DuckDB's parse tree (no binding); the query's own
    CTEs are not tables."""
    doc = json.loads(_parser().execute("SELECT json_serialize_sql(?)", [query]).fetchall()[0][0])
    if doc.get("error"):
        raise ValueError(f"cannot parse: {doc.get('error_message')}: {query[:60]!r}")
    tables, ctes, columns = set(), set(), set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            kind = node.get("class")
            if node.get("type") == "BASE_TABLE" and "table_name" in node:
                tables.add(node["table_name"])
            elif kind == "COLUMN_REF":
                columns.update(node.get("column_names") or [])
            elif kind == "STAR":
                columns.add(ALL)
            if isinstance(node.get("using_columns"), list):
                columns.update(node["using_columns"])
            if isinstance(node.get("cte_map"), dict):
                ctes.update(e["key"] for e in node["cte_map"].get("map", []))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return tables - ctes, frozenset([ALL]) if ALL in columns else frozenset(columns)


@functools.cache
def rule_inputs() -> dict[Path, Deps]:
    """Every rule file and sql/sb/ file -> the base tables and columns it
    depends on."""
    relations, everywhere = _lib_graph()
    return {path: _merge(_deps(path.read_text(), relations), everywhere)
            for path in rule_files() + sb_row_files()}


def affected(changed: dict[str, set[str]]) -> list[Path]:
    """The rule and sql/sb/ files that read a changed column (`changed`:
    table -> its changed columns, ALL for inserted or deleted rows)."""
    def reads(deps: Deps) -> bool:
        return any(table in deps and (ALL in columns or ALL in deps[table]
                                      or columns & deps[table])
                   for table, columns in changed.items())
    return [path for path, deps in rule_inputs().items() if reads(deps)]


def recompute(nb: Database, sb: Database | None, previous: Result | None,
              changed: dict[str, set[str]] | None) -> tuple[Result, str]:
    """The result for (nb, sb) and how it was reached: "recompute" (every
    rule) or "incremental" (the rules reading `changed` columns, the rest of
    the rows kept from `previous`)."""
    hit = affected(changed) if previous is not None and changed is not None else None
    rules = [f for f in hit if f.parent != sql_dir() / "sb"] if hit is not None else None
    if rules is None or len(rules) == len(rule_files()):
        return compute(nb, sb), "recompute"
    if not hit:                         # nothing any rule or SB row reads changed
        return Result(nb, previous.flows, previous.grouped, previous.dp_sets,
                      previous.sb_rows), "incremental"
    c = compute_flows(nb, sb, rules)
    if not rules:
        return Result(nb, previous.flows, previous.grouped, previous.dp_sets,
                      c.sb_rows), "incremental"
    rerun = pa.array([f.stem for f in rules], pa.string())
    kept = previous.flows.filter(pc.invert(pc.is_in(previous.flows["rule"], rerun)))
    flows = pa.concat_tables([kept, c.flows])
    return Result(nb, flows, group(flows, c.dp_sets), c.dp_sets, c.sb_rows), "incremental"
