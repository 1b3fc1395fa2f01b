"""Portable SQL (issue 20): the rules with our macros expanded in place, for
engines without DuckDB's CREATE MACRO (Spark SQL).

The macros of sql/lib (`CREATE OR REPLACE MACRO name(params) AS expr`) are
the engine-specific layer: `expand` replaces each call of one in a
statement with its body, the parameters bound to the call's arguments
(parenthesised), until none is left; `to_dialect` then prints the
statement in another engine's SQL. sqlglot parses and prints.

For another engine, a statement is first rewritten where sqlglot's own
transpiling would change its meaning (sparksql.py for Spark), and the
macros of sql/lib/<dialect>/*.sql, written in that engine's SQL, replace
the DuckDB macros of the same name whose bodies do not carry over.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from . import sparksql
from .dependencies import LibStatement, lib_graph
from .rules import sql_dir

_MACRO = re.compile(r"CREATE\s+OR\s+REPLACE\s+MACRO\s+(\w+)\s*\(([^)]*)\)\s+AS\s+(.*)",
                    re.IGNORECASE | re.DOTALL)
_DEPTH = 20     # macros calling macros: deeper than this is a cycle
# sqlglot says at INFO level each time it shifts a list index to 0-based
logging.getLogger("sqlglot").setLevel(logging.WARNING)
# dialect -> what makes a DuckDB statement mean the same there
_REWRITES = {"spark": sparksql.rewrite}


class PortableError(ValueError):
    """A statement or macro that cannot be expanded or printed."""


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    body: exp.Expression


def lib_statements() -> list[LibStatement]:
    """Every sql/lib statement in load order (dependencies.lib_graph)."""
    return [s for step in lib_graph().steps for s in step]


@functools.cache
def macros(dialect: str = "duckdb") -> dict[str, Macro]:
    """Every scalar macro sql/lib defines, by lower-case name, for
    `dialect`: the DuckDB bodies rewritten for it, and its own
    sql/lib/<dialect>/ macros in place of those of the same name."""
    rewrite = _REWRITES.get(dialect, lambda tree: tree)
    out = {}
    for statement in lib_statements():
        m = _MACRO.match(statement.text) if statement.kind == "macro" else None
        if m is not None:
            macro = _macro(*m.groups(), read="duckdb")
            out[macro.name] = Macro(macro.name, macro.params, rewrite(macro.body))
    for macro in _own_macros(dialect):
        if macro.name not in out:
            raise PortableError(f"sql/lib/{dialect}: {macro.name}() replaces no sql/lib macro")
        if len(macro.params) != len(out[macro.name].params):
            raise PortableError(f"sql/lib/{dialect}: {macro.name}() takes other parameters "
                                "than the sql/lib macro it replaces")
        out[macro.name] = macro
    return out


def _own_macros(dialect: str) -> list[Macro]:
    """The macros of sql/lib/<dialect>/*.sql (`CREATE OR REPLACE MACRO`
    statements in that dialect, each ending with `;` at the end of a line)."""
    out = []
    for path in sorted((sql_dir() / "lib" / dialect).glob("*.sql")):
        text = re.sub(r"(?m)^\s*--.*\n", "", path.read_text())
        for statement in filter(None, (s.strip() for s in re.split(r";\s*$", text, flags=re.M))):
            m = _MACRO.match(statement)
            if m is None:
                raise PortableError(f"{path}: not a macro: {statement[:60]!r}")
            out.append(_macro(*m.groups(), read=dialect))
    return out


def _macro(name: str, params: str, body: str, read: str) -> Macro:
    return Macro(name.lower(), tuple(p.strip() for p in params.split(",") if p.strip()),
                 sqlglot.parse_one(body, read=read))


def macro_calls(sql: str) -> set[str]:
    """The names of the macros `sql` (DuckDB) calls."""
    return {_name(node) for node in _parse(sql).find_all(exp.Func) if _name(node) in macros()}


def expand(sql: str, names: frozenset[str] | None = None) -> str:
    """`sql` (DuckDB) with every call of a macro (of those `names`) replaced
    by the macro's body."""
    table = macros()
    if names is not None:
        table = {name: macro for name, macro in table.items() if name in names}
    return _expanded(_parse(sql), table).sql(dialect="duckdb")


@functools.cache
def variable_macros() -> frozenset[str]:
    """The macros that read a variable (getvariable), themselves or through
    the macros they call."""
    table = macros()
    out: set[str] = set()
    while True:
        more = {name for name, macro in table.items() if name not in out and any(
            _name(n) == "getvariable" or _name(n) in out for n in macro.body.find_all(exp.Func))}
        if not more:
            return frozenset(out)
        out |= more


def to_dialect(sql: str, dialect: str) -> str:
    """`sql` (DuckDB), rewritten for `dialect` and macros expanded, printed
    in `dialect`'s SQL."""
    tree = _parse(sql)
    try:
        tree = _REWRITES.get(dialect, lambda t: t)(tree)
        return _expanded(tree, macros(dialect)).sql(dialect=dialect, unsupported_level="raise")
    except (sqlglot.errors.UnsupportedError, ValueError) as e:
        raise PortableError(f"not expressible in {dialect}: {e}") from None


def _parse(sql: str) -> exp.Expression:
    try:
        return sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError as e:
        raise PortableError(str(e)) from None


def _expanded(tree: exp.Expression, table: dict[str, Macro], depth: int = 0) -> exp.Expression:
    if depth > _DEPTH:
        raise PortableError("macros nest too deep (a cycle?)")
    calls = [node for node in tree.find_all(exp.Func) if _name(node) in table]
    if not calls:
        return tree
    for call in calls:
        call.replace(_bound(table[_name(call)], _arguments(call)))
    return _expanded(tree, table, depth + 1)


def _name(node: exp.Func) -> str:
    return (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()


def _arguments(call: exp.Func) -> list[exp.Expression]:
    if isinstance(call, exp.Anonymous):
        return list(call.expressions)
    return [v for v in call.args.values() if isinstance(v, exp.Expression)]


def _bound(macro: Macro, args: list[exp.Expression]) -> exp.Expression:
    """The macro's body with its parameters replaced by `args`."""
    if len(args) != len(macro.params):
        raise PortableError(f"{macro.name}() takes {len(macro.params)} arguments, "
                            f"got {len(args)}")
    values = dict(zip(macro.params, args, strict=True))
    body = macro.body.copy()

    def bind(node):
        if isinstance(node, exp.Column) and not node.table and node.name in values:
            return exp.Paren(this=values[node.name].copy())
        return node
    return exp.Paren(this=body.transform(bind))
