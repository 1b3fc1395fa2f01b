"""Which rules a change can affect: incremental compute at rule level.

Every rule file's inputs as base tables and columns (NB tables, SB input
tables as `sb_<Table>`), followed through the sql/lib relations it reads
(CREATE TABLE/VIEW and INSERT INTO statements) and the Python relations
(derive.PYTHON_RELATION_INPUTS; all their table's columns). A statement
reads from each base table it names every column name it mentions (all of
them when it has a star): coarse, never too little. What lib macros and SET
VARIABLE statements read is an input of every rule. Built once per process
from DuckDB's parse trees of the SQL text.

`recompute(nb, sb, previous, changed)` computes the lib relations again
(unless no rule reads a changed column at all), compares a fingerprint of
each with the previous one (early cutoff: a relation computed again with
the same content changes nothing downstream), reruns only the rules that
read a changed column themselves or a relation whose content changed, and
keeps the other rules' rows from `previous`. The SB rows of sql/sb/ and the
grouping are computed in full.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from .derive import PYTHON_RELATION_INPUTS
from .lflows import group
from .mirror import Database
from .phases import Phases
from .pipeline import Result, compute
from .rules import compute_flows, per_owner, rule_files, sb_row_files, sql_dir

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


@dataclass(frozen=True)
class _Lib:
    relations: dict[str, Deps]      # lib relation -> its base dependencies
    everywhere: Deps                # what lib macros and SET VARIABLEs read, transitively
    everywhere_own: Deps            # ... the base tables they read themselves
    everywhere_relations: frozenset[str]  # ... and the lib relations they read


@functools.cache
def _lib_graph() -> _Lib:
    """The dependencies of the lib relations, and of every rule through the
    lib macros and SET VARIABLE statements."""
    relations: dict[str, Deps] = {name: {t: frozenset([ALL]) for t in tables}
                                  for name, tables in PYTHON_RELATION_INPUTS.items()}
    everywhere: Deps = {}
    everywhere_own: Deps = {}
    everywhere_relations: set[str] = set()
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
                tables, columns = _parse(query)
                everywhere_own = _merge(everywhere_own, {t: columns for t in tables
                                                         if t not in relations})
                everywhere_relations |= tables & relations.keys()
    return _Lib(relations, everywhere, everywhere_own, frozenset(everywhere_relations))


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
    depends on, directly or through lib relations."""
    lib = _lib_graph()
    return {path: _merge(_deps(path.read_text(), lib.relations), lib.everywhere)
            for path in rule_files() + sb_row_files()}


# the lib relations every rule's rows go through (rules.run joins them)
RUN_RELATIONS = frozenset(["stages", "datapaths", "dp_sets"])


@functools.cache
def rule_reads() -> dict[Path, tuple[Deps, frozenset[str]]]:
    """Every rule file -> (the base tables and columns it reads itself or
    through macros, the lib and Python relations it reads)."""
    lib = _lib_graph()
    out = {}
    for path in rule_files():
        tables, columns = _parse(path.read_text())
        own = {t: columns for t in tables if t not in lib.relations}
        out[path] = (_merge(own, lib.everywhere_own),
                     frozenset(tables & lib.relations.keys()) | lib.everywhere_relations
                     | RUN_RELATIONS)
    return out


def _reads(deps: Deps, changed: dict[str, set[str]]) -> bool:
    return any(table in deps and (ALL in columns or ALL in deps[table] or columns & deps[table])
               for table, columns in changed.items())


def affected(changed: dict[str, set[str]]) -> list[Path]:
    """The rule and sql/sb/ files that read a changed column, directly or
    through lib relations (`changed`: table -> its changed columns, ALL for
    inserted or deleted rows)."""
    return [path for path, deps in rule_inputs().items() if _reads(deps, changed)]


@dataclass(frozen=True)
class Rerun:
    """What to run again: whole rule files, and rule files for some owners."""
    files: list[Path]
    scoped: list[Path]
    owners: frozenset[str]


def rerun(changed: dict[str, set[str]], before: dict[str, tuple], after: dict[str, tuple],
          keyed_before: dict[str, pa.Table] | None = None,
          keyed_after: dict[str, pa.Table] | None = None) -> Rerun:
    """The rule files to run again: those reading a changed column
    themselves, or a lib relation whose content changed (`before` /
    `after`: relation fingerprints, rules.fingerprints). A rule declaring
    per-owner relations, when those are the only inputs that changed, runs
    for the owners whose rows in them changed (`keyed_*`:
    rules.keyed_fingerprints) instead of in full."""
    moved = {r for r in after if before.get(r) != after[r]}
    files, scoped, owners = [], [], set()
    for path, (deps, reads) in rule_reads().items():
        if not (_reads(deps, changed) or reads & moved):
            continue
        declared = dict(per_owner().get(path, ()))
        if (keyed_before is None or keyed_after is None or _reads(deps, changed)
                or not reads & moved <= declared.keys()):
            files.append(path)
            continue
        scoped.append(path)
        for rel in reads & moved:
            name = f"{rel}({declared[rel]})"
            owners |= _changed_keys(keyed_before[name], keyed_after[name])
    return Rerun(files, scoped, frozenset(owners))


def _changed_keys(before: pa.Table, after: pa.Table) -> set[str]:
    """The keys whose rows differ between two keyed fingerprints (k, h)."""
    joined = before.join(after, "k", join_type="full outer", left_suffix="_b",
                         right_suffix="_a")
    differ = pc.fill_null(pc.not_equal(joined["h_b"], joined["h_a"]), True)  # or one side only
    return set(joined.filter(differ)["k"].to_pylist())


def recompute(nb: Database, sb: Database | None, previous: Result | None,
              changed: dict[str, set[str]] | None,
              timer: Phases | None = None) -> tuple[Result, str]:
    """The result for (nb, sb) and how it was reached: "recompute" (every
    rule) or "incremental" (the rules a change reaches, some of them only
    for the owners it reaches; the rest of the rows kept from `previous`).
    `timer` collects the time of each phase."""
    timer = timer or Phases()
    if previous is None or changed is None:
        return compute(nb, sb, track=True, timer=timer), "recompute"
    if not affected(changed):           # nothing any rule or SB row reads changed
        return replace(previous, nb=nb, rules_run=(), scoped_run=(),
                       owners_run=frozenset()), "incremental"
    c = compute_flows(nb, sb, select=lambda fp, keyed: rerun(
        changed, previous.fingerprints, fp, previous.keyed_fingerprints, keyed), timer=timer)
    rules = c.files
    run = tuple(f.stem for f in rules + c.scoped)
    scoped = {"owners_run": c.owners, "scoped_run": tuple(f.stem for f in c.scoped)}
    if len(rules) == len(rule_files()):
        with timer("group"):
            grouped = group(c.flows, c.dp_sets)
        return Result(nb, c.flows, grouped, c.dp_sets, c.sb_rows,
                      c.fingerprints, run, c.keyed_fingerprints), "recompute"
    if not run:
        return replace(previous, nb=nb, sb_rows=c.sb_rows, fingerprints=c.fingerprints,
                       keyed_fingerprints=c.keyed_fingerprints, rules_run=(), **scoped), \
            "incremental"
    old = previous.flows
    whole = pc.is_in(old["rule"], pa.array([f.stem for f in rules], pa.string()))
    some = pc.and_(pc.is_in(old["rule"], pa.array([f.stem for f in c.scoped], pa.string())),
                   pc.is_in(old["owner"], pa.array(sorted(c.owners), pa.string())))
    flows = pa.concat_tables([old.filter(pc.invert(pc.or_(whole, some))), c.flows])
    with timer("group"):
        grouped = group(flows, c.dp_sets)
    return Result(nb, flows, grouped, c.dp_sets, c.sb_rows,
                  c.fingerprints, run, c.keyed_fingerprints, **scoped), "incremental"
