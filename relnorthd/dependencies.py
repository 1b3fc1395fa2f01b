"""What SQL reads: the base tables and columns every rule file, sql/sb/
file and sql/lib statement depends on.

Every rule file's inputs as base tables and columns (NB tables, SB input
tables as `sb_<Table>`), followed through the sql/lib relations it reads
(CREATE TABLE/VIEW and INSERT INTO statements) and the Python relations
(derive.PYTHON_RELATION_INPUTS; all their table's columns). A statement
reads from each base table it names every column name it mentions (all of
them when it has a star): coarse, never too little. What lib macros and SET
VARIABLE statements read is an input of every rule. Built once per process
from DuckDB's parse trees of the SQL text.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .derive import PYTHON_RELATION_INPUTS
from .rules import nb_row_files, rule_files, sb_row_files, sql_dir

_COMMENTS = re.compile(r"^(?:\s*--[^\n]*\n)*\s*")
# a lib statement, by kind: (what it defines, the query whose tables it reads)
_CREATE = r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?"
_SHAPES = {kind: re.compile(pattern, re.IGNORECASE | re.DOTALL) for kind, pattern in [
    ("table", _CREATE + r"TABLE\s+(\w+)\s+AS\s+(.*)"),
    ("view", _CREATE + r"VIEW\s+(\w+)\s+AS\s+(.*)"),
    ("insert", r"INSERT\s+INTO\s+(\w+)\s+(.*)"),
    ("set", r"SET\s+VARIABLE\s+(\w+)\s*=\s*(.*)"),
    ("macro", r"()CREATE\s+(?:OR\s+REPLACE\s+)?MACRO\s+\w+\s*\([^)]*\)\s+AS\s+(?:TABLE\s+)?(.*)"),
]}


def split_statement(text: str) -> tuple[str, str, str]:
    """A lib-style statement (comments before it allowed) -> (kind: table,
    view, insert, set or macro; the relation or variable it defines, "" for
    a macro; its query, an expression made a SELECT)."""
    text = _COMMENTS.sub("", text).strip().rstrip(";")
    for kind, pattern in _SHAPES.items():
        m = pattern.match(text)
        if m:
            name, query = m.groups()
            query = _COMMENTS.sub("", query).strip()
            if not re.match(r"(SELECT|WITH)\b", query, re.IGNORECASE):
                query = f"SELECT {query}"       # an expression
            return kind, name, query
    raise ValueError(f"not a lib statement: {text[:60]!r}")


# A dependency: base table -> the column names read from it ("*": all).
Deps = dict[str, frozenset[str]]
ALL = "*"


def _merge(*deps: Deps) -> Deps:
    out: dict[str, set[str]] = {}
    for dep in deps:
        for table, columns in dep.items():
            out.setdefault(table, set()).update(columns)
    return {t: frozenset(c) for t, c in out.items()}


@dataclass(frozen=True)
class LibStatement:
    """One sql/lib statement, as the maintained lib (libstate.py) replays it."""
    text: str
    kind: str                       # table, view, insert, set (VARIABLE) or macro
    defines: str                    # the relation it creates or inserts into, or ""
    own: Deps                       # the base tables and columns it reads itself
    reads: frozenset[str]           # the lib and Python relations it reads


@dataclass(frozen=True)
class _Lib:
    relations: dict[str, Deps]      # lib relation -> its base dependencies
    steps: tuple[tuple[LibStatement, ...], ...]  # every lib statement in load order,
                                    # those defining one relation together
    everywhere: Deps                # what lib macros and SET VARIABLEs read, transitively
    everywhere_own: Deps            # ... the base tables they read themselves
    everywhere_relations: frozenset[str]  # ... and the lib relations they read


@functools.cache
def lib_graph() -> _Lib:
    """The dependencies of the lib relations, and of every rule through the
    lib macros and SET VARIABLE statements."""
    relations: dict[str, Deps] = {name: {t: frozenset([ALL]) for t in tables}
                                  for name, tables in PYTHON_RELATION_INPUTS.items()}
    everywhere: Deps = {}
    everywhere_own: Deps = {}
    everywhere_relations: set[str] = set()
    statements = []
    for lib in sorted((sql_dir() / "lib").glob("*.sql")):
        for statement in duckdb.extract_statements(lib.read_text()):
            text = _COMMENTS.sub("", statement.query).rstrip().rstrip(";")
            try:
                kind, name, query = split_statement(text)
            except ValueError:
                raise ValueError(f"{lib.name}: cannot tell what this reads: {text[:60]!r}") \
                    from None
            if kind == "set":
                name = ""                       # defines no relation
            tables, columns = _parse(query)
            tables.discard(name)
            own = {t: columns for t in tables if t not in relations}
            read = tables & relations.keys()
            deps = _merge(own, *(relations[t] for t in read))
            statements.append(LibStatement(text, kind, name, own, frozenset(read)))
            if name:
                relations[name] = _merge(relations.get(name, {}), deps)
            else:                   # macros, SET VARIABLE
                everywhere = _merge(everywhere, deps)
                everywhere_own = _merge(everywhere_own, own)
                everywhere_relations |= read
    return _Lib(relations, _steps(statements), everywhere, everywhere_own,
                frozenset(everywhere_relations))


def _steps(statements: list[LibStatement]) -> tuple[tuple[LibStatement, ...], ...]:
    """The statements, those defining one relation (CREATE, then INSERT
    INTO) as one step; a relation must be defined by consecutive
    statements, so that replaying it alone rebuilds it whole."""
    steps: list[list[LibStatement]] = []
    for statement in statements:
        if statement.defines and steps and steps[-1][0].defines == statement.defines:
            steps[-1].append(statement)
            continue
        if statement.defines in {s[0].defines for s in steps} - {""}:
            raise ValueError(f"sql/lib: {statement.defines} is defined again after other "
                             "statements; keep its statements together")
        steps.append([statement])
    return tuple(map(tuple, steps))


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
    """Every rule file and sql/sb/ and sql/nb/ file -> the base tables and
    columns it depends on, directly or through lib relations."""
    lib = lib_graph()
    return {path: _merge(_deps(path.read_text(), lib.relations), lib.everywhere)
            for path in rule_files() + sb_row_files() + nb_row_files()}


# the lib relations every rule's rows go through (rules.run joins them)
RUN_RELATIONS = frozenset(["stages", "datapaths", "dp_sets"])


@functools.cache
def rule_reads() -> dict[Path, tuple[Deps, frozenset[str]]]:
    """Every rule file -> (the base tables and columns it reads itself or
    through macros, the lib and Python relations it reads)."""
    return {path: _own_reads(path, RUN_RELATIONS) for path in rule_files()}


@functools.cache
def sb_row_reads() -> dict[Path, tuple[Deps, frozenset[str]]]:
    """The same for every sql/sb/ and sql/nb/ file."""
    return {path: _own_reads(path, frozenset()) for path in sb_row_files() + nb_row_files()}


def _own_reads(path: Path, relations: frozenset[str]) -> tuple[Deps, frozenset[str]]:
    lib = lib_graph()
    tables, columns = _parse(path.read_text())
    own = {t: columns for t in tables if t not in lib.relations}
    return (_merge(own, lib.everywhere_own),
            frozenset(tables & lib.relations.keys()) | lib.everywhere_relations | relations)


def reads(deps: Deps, changed: dict[str, set[str]]) -> bool:
    """Whether `deps` name a changed column (`changed`: table -> its
    changed columns, ALL for inserted or deleted rows)."""
    return any(table in deps and (ALL in columns or ALL in deps[table] or columns & deps[table])
               for table, columns in changed.items())
