"""DuckDB SQL to Spark SQL, where sqlglot's own transpiling does not keep
the meaning (issue 20). `rewrite` takes a parsed DuckDB statement, our
macros already expanded (portable.py), and returns a tree that prints as
Spark SQL computing the same rows:

- DuckDB's regular expressions are RE2: POSIX classes (`[[:space:]]`)
  become Java's, and `regexp_full_match` an anchored RLIKE;
- `list(x ORDER BY k)` keeps its order and its nulls (Spark's
  collect_list has neither);
- list indexing and slicing are 1-based and give NULL past the end, as in
  DuckDB (Spark's `a[i]` is 0-based and fails past the end under ANSI);
- `range(a, b)` and `generate_series(a, b)` are empty when b is below a
  (Spark's sequence counts down);
- `count(DISTINCT x) OVER w` counts the window's set of x;
- `MAP {}` is an empty map; UBIGINT and HUGEINT are decimals;
- a LATERAL VALUES list whose rows read the relations before it (which
  Spark's inline tables cannot) joins a constant list of row numbers
  instead, and each of its columns becomes a CASE over the row number,
  evaluated where the outer columns are.
"""
from __future__ import annotations

import re

from sqlglot import exp

# RE2's POSIX classes, as Java writes them inside a bracket expression
_POSIX = {"[:space:]": r"\s", "[:digit:]": r"\d", "[:alpha:]": "a-zA-Z",
          "[:alnum:]": "a-zA-Z0-9", "[:xdigit:]": "0-9a-fA-F", "[:upper:]": "A-Z",
          "[:lower:]": "a-z"}
_POSIX_RE = re.compile("|".join(re.escape(k) for k in _POSIX))
_REGEX_FUNCS = (exp.RegexpLike, exp.RegexpExtract, exp.RegexpReplace, exp.RegexpFullMatch,
                exp.RegexpSplit)
_WIDE_INTS = {exp.DataType.Type.UBIGINT: "DECIMAL(20, 0)", exp.DataType.Type.INT128:
              "DECIMAL(38, 0)", exp.DataType.Type.UINT128: "DECIMAL(38, 0)"}


def rewrite(tree: exp.Expression) -> exp.Expression:
    """`tree` (DuckDB, macros expanded) made to mean the same in Spark SQL.
    Children are rewritten before their parents (a node built here is not
    visited again)."""
    root = tree.copy()
    for node in reversed(list(root.dfs())):
        new = _node(node)
        if new is not node:
            if node is root:
                root = new
            else:
                node.replace(new)
    return root


def _node(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Select):
        return _lateral_values(node)
    if isinstance(node, _REGEX_FUNCS):
        node = _java_regex(node)
    if isinstance(node, exp.RegexpFullMatch):
        return exp.RegexpLike(this=node.this, expression=_anchored(node.expression))
    if isinstance(node, exp.ArrayAgg):
        return _ordered_list(node)
    if isinstance(node, exp.Filter) and node.this.meta.get("filters"):
        return node.this        # the list built with its filter (_ordered_list)
    if isinstance(node, exp.Window) and isinstance(node.this, exp.Count) and isinstance(
            node.this.this, exp.Distinct):      # count(DISTINCT x) OVER w: not in Spark
        (arg,) = node.this.this.expressions
        window = node.copy()
        window.set("this", exp.func("collect_set", arg.copy()))
        return exp.func("size", window)
    if isinstance(node, exp.Bracket) and _is_list_access(node):
        return _list_access(node)
    if isinstance(node, exp.GenerateSeries):
        return _series(node)
    if isinstance(node, exp.ToMap) and not node.this.expressions:
        return exp.Anonymous(this="map", expressions=[])
    if isinstance(node, exp.DataType) and node.this in _WIDE_INTS:
        return exp.DataType.build(_WIDE_INTS[node.this], dialect="spark")
    return node


def _java_regex(node: exp.Expression) -> exp.Expression:
    pattern = node.args.get("expression")
    if isinstance(pattern, exp.Literal) and pattern.is_string:
        java = _POSIX_RE.sub(lambda m: _POSIX[m.group(0)], pattern.this)
        if java != pattern.this:
            node = node.copy()
            node.set("expression", exp.Literal.string(java))
    return node


def _anchored(pattern: exp.Expression) -> exp.Expression:
    if isinstance(pattern, exp.Literal) and pattern.is_string:
        return exp.Literal.string(f"^(?:{pattern.this})$")
    return exp.func("concat", exp.Literal.string("^(?:"), pattern, exp.Literal.string(")$"))


def _ordered_list(node: exp.ArrayAgg) -> exp.Expression:
    """list(x [ORDER BY k...]) [FILTER (WHERE c)] -> the values of the
    sorted list of structs (k..., x): nulls kept, in order, and NULL when no
    row is collected, as DuckDB's list() gives."""
    arg = node.this
    distinct = isinstance(arg, exp.Distinct)
    order = []
    if isinstance(arg, exp.Order):
        order, arg = arg.expressions, arg.this
    if isinstance(arg, exp.Distinct):
        distinct, (arg,) = True, arg.expressions
    if any(o.args.get("desc") for o in order):
        raise ValueError(f"list(... ORDER BY ... DESC) has no Spark form here: {node.sql()}")
    keys = [o.this for o in order]
    condition = node.parent.expression if isinstance(node.parent, exp.Filter) else None

    def aggregate(name: str, value: exp.Expression) -> exp.Expression:
        call = exp.func(name, value)
        return exp.Filter(this=call, expression=condition.copy()) if condition else call
    if distinct:
        if any(k != arg for k in keys):
            raise ValueError(f"list(DISTINCT x ORDER BY another) has no Spark form: {node.sql()}")
        values = exp.func("array_sort", aggregate("collect_set", arg))
    else:
        fields = [exp.alias_(k, f"k{i}") for i, k in enumerate(keys)] + [exp.alias_(arg, "v")]
        collected = aggregate("collect_list", exp.Struct(expressions=fields))
        if keys:
            collected = exp.func("array_sort", collected)
        values = exp.Transform(this=collected, expression=exp.Lambda(
            this=exp.Dot(this=exp.column("e"), expression=exp.to_identifier("v")),
            expressions=[exp.to_identifier("e")]))
    out = exp.Case(ifs=[exp.If(this=exp.GT(this=exp.func("size", values.copy()),
                                            expression=exp.Literal.number(0)), true=values)])
    if condition is not None:
        out.meta["filters"] = True      # the FILTER around the list goes (_node)
    return out


def _is_list_access(node: exp.Bracket) -> bool:
    """An index or slice, not a map key: a number or a slice inside."""
    (index,) = node.expressions
    return isinstance(index, exp.Slice) or not (isinstance(index, exp.Literal)
                                                 and index.is_string) and _numeric(index)


def _numeric(index: exp.Expression) -> bool:
    return (isinstance(index, exp.Literal) and not index.is_string) or (
        isinstance(index, (exp.Add, exp.Sub, exp.Neg)) and all(
            _numeric(e) for e in (index.this, index.args.get("expression")) if e is not None))


def _list_access(node: exp.Bracket) -> exp.Expression:
    (index,) = node.expressions
    if not isinstance(index, exp.Slice):
        if isinstance(index, exp.Literal):      # sqlglot keeps a literal index 0-based
            index = exp.Literal.number(int(index.this) + 1)
        return exp.Anonymous(this="try_element_at", expressions=[node.this, index])
    start = index.this or exp.Literal.number(1)
    size = exp.func("size", node.this.copy())
    end = index.expression or size
    length = exp.func("greatest", exp.Sub(this=exp.Add(this=end, expression=exp.Literal.number(1)),
                                           expression=start.copy()), exp.Literal.number(0))
    return exp.func("slice", node.this, start, length)


def _lateral_values(select: exp.Select) -> exp.Select:
    """The select with its LATERAL VALUES joins made row-number joins."""
    laterals = [j for j in select.args.get("joins") or ()
                if isinstance(j.this, exp.Lateral) and isinstance(j.this.this, exp.Subquery)
                and isinstance(j.this.this.this, exp.Values)]
    if not laterals:
        return select
    for join in [j for j in select.args["joins"] if j in laterals]:
        lateral = join.this
        alias = lateral.args["alias"]
        rows = [t.expressions for t in lateral.this.this.expressions]
        columns = [c.name for c in alias.columns]
        number = f"{alias.name}__row"
        join.set("this", exp.Values(
            expressions=[exp.Tuple(expressions=[exp.Literal.number(i)])
                         for i in range(1, len(rows) + 1)],
            alias=exp.TableAlias(this=exp.to_identifier(alias.name),
                                 columns=[exp.to_identifier(number)])))
        if join.args.get("kind") is None and join.args.get("on") is None:
            join.set("kind", "CROSS")

        def value(i: int, name: str = alias.name, rows=rows, number=number) -> exp.Expression:
            return exp.Case(this=exp.column(number, name), ifs=[
                exp.If(this=exp.Literal.number(n), true=row[i].copy())
                for n, row in enumerate(rows, 1)])
        for column in list(select.find_all(exp.Column)):
            if column.parent_select is not select:
                continue
            if isinstance(column.this, exp.Star) and column.table == alias.name:
                column.replace(exp.Tuple(expressions=[
                    exp.alias_(value(i), c) for i, c in enumerate(columns)]))
            elif column.name in columns and column.table in ("", alias.name):
                case = value(columns.index(column.name))
                column.replace(exp.alias_(case, column.name) if column.parent is select else case)
        for i, expression in enumerate(list(select.expressions)):
            if isinstance(expression, exp.Tuple):       # an expanded `alias.*`
                select.expressions[i:i + 1] = expression.expressions
    return select


def _series(node: exp.GenerateSeries) -> exp.Expression:
    """range / generate_series (step 1) as a Spark sequence that is empty,
    not descending, when the end is below the start."""
    if node.args.get("step") is not None:
        raise ValueError(f"a series with a step has no Spark form here: {node.sql()}")
    start, end = node.args["start"], node.args["end"]
    if node.args.get("is_end_exclusive"):
        end = exp.Sub(this=end, expression=exp.Literal.number(1))
    x = exp.to_identifier("q_n")
    return exp.func("filter", exp.func("sequence", start.copy(), end.copy()), exp.Lambda(
        this=exp.and_(exp.GTE(this=exp.column(x), expression=start.copy()),
                      exp.LTE(this=exp.column(x), expression=end.copy())),
        expressions=[x]))
