"""Many NBs in one set of queries (issue 20): a statement over one NB's
relations made a statement over the relations of many, each row tagged with
its NB in an `nb` column.

Every relation (NB and SB input tables, derived Python relations, lib
relations, `nbs`: one row per NB) carries `nb` as its last column. `keyed`
rewrites a query (DuckDB SQL) so that no row of one NB meets a row of
another and every result row says its NB:

- each SELECT gets an anchor: its first source with `nb`, or `nbs` when it
  reads none (constant rows are every NB's); its output ends with the
  anchor's `nb` (stars leave theirs out), but for a lone star over its one
  source, which has the `nb` where the source has it;
- every other source with `nb` joins on the anchor's `nb`;
- GROUP BY and window partitions add the anchor's `nb`; an aggregate with
  no GROUP BY (one row even over no rows) reads its one source through a
  LEFT JOIN from `nbs`, so an NB with no rows still gets its row;
- `x IN (SELECT y ...)` becomes `(x, nb) IN (SELECT y, nb ...)`; any
  other subquery in an expression (scalar, EXISTS) keeps its columns and
  is correlated on `nb` instead;
- `getvariable('x')` reads the NB's row of relation `var_x` (what SET
  VARIABLE x makes, batch.py).

A SELECT with no source that reads another's columns (a correlated
`(SELECT unnest(outer.list))`) is left as it is: its outer row has one NB.
"""
from __future__ import annotations

import functools
import itertools

import sqlglot
from sqlglot import exp

from . import portable

NB = "nb"
SPINE = "nbs"           # one row per NB: (nb)


class KeyedError(ValueError):
    """A statement shape the NB keying does not handle."""


@functools.lru_cache(maxsize=4096)
def keyed(sql: str) -> str:
    """`sql` (DuckDB) over many NBs' relations; the macros that read
    variables are expanded (their variables are per NB), the others kept."""
    tree = sqlglot.parse_one(portable.expand(sql, portable.variable_macros()), read="duckdb")
    return _key_tree(tree).sql(dialect="duckdb")


def variable_relation(name: str) -> str:
    return f"var_{name}"


def _key_tree(tree: exp.Expression) -> exp.Expression:
    """The NB-keyed form of a parsed query (changed in place)."""
    counter = itertools.count()
    selects = [s for s in tree.find_all(exp.Select)]
    for select in selects:
        _name_sources(select, counter)
    anchors = {id(s): _anchor(s, counter) for s in selects}
    for select in selects:
        if anchors[id(select)] is not None:
            for join in select.args.get("joins") or ():
                join.set("this", _lateral(join.this))
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.lower() == "getvariable":
            node.replace(_variable(node, anchors))
    for node in list(tree.find_all(exp.In)):
        if node.args.get("query") is not None:
            _pair_with_nb(node, anchors)
    for select in selects:
        anchor = anchors[id(select)]
        if anchor is None:
            continue
        _join_on_nb(select, anchor)
        if _is_expression_subquery(select):
            outer = _nearest_anchor(_outer_select(select), anchors)
            if outer is not None:
                select.where(exp.EQ(this=exp.column(NB, anchor), expression=exp.column(NB, outer)),
                             copy=False)
            _partition_windows(select, anchor)
            _group(select, anchor, spine=False)
            continue
        spine = _group(select, anchor, spine=True)
        if spine:
            anchor = spine
        _partition_windows(select, anchor)
        _project(select, anchor)
    return tree


def _name_sources(select: exp.Select, counter) -> None:
    """Every derived table named, and in a subquery of an expression every
    source named apart from the sources of the selects around it (its
    correlation on nb must not read its own nb for theirs)."""
    for source in _sources(select):
        if isinstance(source, exp.Subquery) and not source.alias:
            source.set("alias", exp.TableAlias(this=exp.to_identifier(f"q_src{next(counter)}")))
    if not _is_expression_subquery(select):
        return
    outer = set()
    node = _outer_select(select)
    while node is not None:
        outer |= {s.alias_or_name for s in _sources(node)}
        node = _outer_select(node)
    for source in _sources(select):
        if isinstance(source, exp.Table) and source.alias_or_name in outer:
            old = source.alias_or_name
            new = f"{old}__k{next(counter)}"
            source.set("alias", exp.TableAlias(this=exp.to_identifier(new)))
            for column in select.find_all(exp.Column):
                if column.table == old and column.parent_select is select:
                    column.set("table", exp.to_identifier(new))


def _anchor(select: exp.Select, counter) -> str | None:
    """The alias whose `nb` this select's rows take; a spine source is
    added when it reads no relation with `nb` (None: a correlated select
    without sources, left as it is)."""
    for source in _sources(select):
        if _keyed_source(source):
            return _alias(source)
    if _correlated(select):
        return None
    alias = f"q_nbs{next(counter)}"
    spine = exp.Table(this=exp.to_identifier(SPINE), alias=exp.TableAlias(
        this=exp.to_identifier(alias)))
    first = select.args["from_"].this if select.args.get("from_") is not None else None
    meant = [_alias(s) for s in _sources(select)]
    for i, projection in enumerate(list(select.expressions)):
        if isinstance(projection, exp.Star):     # not the spine's columns
            select.expressions[i:i + 1] = [exp.Column(this=projection.copy(),
                                                      table=exp.to_identifier(a))
                                           for a in meant]
    select.set("from_", exp.From(this=spine))
    if first is not None:       # after the spine, so its rows may read its nb
        joins = select.args.get("joins") or []
        select.set("joins", [exp.Join(this=_lateral(first)), *joins])
    return alias


def _lateral(source: exp.Expression) -> exp.Expression:
    """A VALUES source that reads a variable made LATERAL (its rows read
    the nb of the sources before it); any other source as it is."""
    values = source.this if isinstance(source, exp.Subquery) else source
    if not isinstance(values, exp.Values) or not any(
            n.name.lower() == "getvariable" for n in values.find_all(exp.Anonymous)):
        return source
    alias = source.args.get("alias") or values.args.get("alias")
    values = values.copy()
    values.set("alias", None)
    return exp.Lateral(this=exp.Subquery(this=values), alias=alias.copy())


def _sources(select: exp.Select) -> list[exp.Expression]:
    out = []
    if select.args.get("from_") is not None:
        out.append(select.args["from_"].this)
    out += [j.this for j in select.args.get("joins") or ()]
    return out


def _keyed_source(source: exp.Expression) -> bool:
    """A table or a derived table (whose select is keyed in turn); VALUES,
    LATERAL and table functions carry no NB."""
    if isinstance(source, exp.Table):
        return isinstance(source.this, exp.Identifier)
    if isinstance(source, exp.Subquery):
        inner = source.this
        return not isinstance(inner, exp.Values) and not (
            isinstance(inner, exp.Select) and not any(
                _keyed_source(s) for s in _sources(inner)) and _correlated(inner))
    return False


def _alias(source: exp.Expression) -> str:
    name = source.alias_or_name
    if not name:
        raise KeyedError(f"a source without a name: {source.sql()[:80]}")
    return name


def _correlated(select: exp.Select) -> bool:
    """Whether the select reads columns of a relation it does not name."""
    own = {_alias(s) for s in _sources(select) if s.alias_or_name}
    return any(c.table and c.table not in own for c in select.find_all(exp.Column)
               if c.parent_select is select)


def _is_expression_subquery(select: exp.Select) -> bool:
    """A subquery in an expression (scalar, EXISTS, an IN not paired with
    nb), correlated on nb rather than giving it."""
    node = select
    while isinstance(node.parent, (exp.Union, exp.Intersect, exp.Except)):
        node = node.parent
    parent = node.parent
    if isinstance(parent, exp.Subquery):
        if isinstance(parent.parent, exp.In):
            return not parent.parent.meta.get("paired")
        return not isinstance(parent.parent, (exp.From, exp.Join, exp.Lateral))
    return isinstance(parent, (exp.In, exp.Exists))


def _pair_with_nb(node: exp.In, anchors: dict) -> None:
    """x IN (SELECT y ...) -> (x, nb) IN (SELECT y, nb ...): a semi join on
    nb rather than a subquery correlated on it."""
    anchor = _nearest_anchor(node.parent_select, anchors)
    inner = [s for s in node.args["query"].find_all(exp.Select)]
    if anchor is None or any(_correlated(s) for s in inner):
        return      # correlated: it takes the nb correlation (DuckDB has no
                    # correlated IN of several columns)
    node.set("this", exp.Tuple(expressions=[node.this.copy(), exp.column(NB, anchor)]))
    node.meta["paired"] = True


def _nearest_anchor(select: exp.Select | None, anchors: dict) -> str | None:
    """The anchor of `select`, or of the nearest select around it that has
    one (a correlated select without sources reads the nb of its outer row)."""
    while select is not None:
        if anchors.get(id(select)) is not None:
            return anchors[id(select)]
        select = _outer_select(select)
    return None


def _outer_select(select: exp.Select) -> exp.Select | None:
    node = select.parent
    while node is not None and not isinstance(node, exp.Select):
        node = node.parent
    return node


def _join_on_nb(select: exp.Select, anchor: str) -> None:
    for join in select.args.get("joins") or ():
        source = join.this
        if not _keyed_source(source) or _alias(source) == anchor:
            continue
        same = exp.EQ(this=exp.column(NB, _alias(source)), expression=exp.column(NB, anchor))
        if join.args.get("using"):
            join.set("using", [*join.args["using"], exp.to_identifier(NB)])
            continue
        if join.args.get("kind", "").upper() == "CROSS":
            join.set("kind", None)
        on = join.args.get("on")
        join.set("on", same if on is None else exp.and_(exp.Paren(this=on), same))


def _group(select: exp.Select, anchor: str, spine: bool) -> str | None:
    """GROUP BY the anchor's nb; for a global aggregate outside an
    expression, the spine as anchor (its alias returned)."""
    group = select.args.get("group")
    if group is not None:
        if not group.args.get("all"):
            group.append("expressions", exp.column(NB, anchor))
        return None
    if not any(_is_aggregate(p) for p in select.expressions) or not spine:
        return None
    return _spine_aggregate(select, anchor)


def _is_aggregate(projection: exp.Expression) -> bool:
    """Whether a projection aggregates its select's rows (not in a window,
    not in a subquery of its own)."""
    select = projection.parent_select
    return any(n.parent_select is select and not isinstance(n.parent, exp.Window)
               for n in projection.find_all(exp.AggFunc))


def _spine_aggregate(select: exp.Select, anchor: str) -> str:
    """SELECT agg FROM s WHERE w -> SELECT agg FILTER (WHERE s.nb IS NOT
    NULL) FROM nbs LEFT JOIN s ON s.nb = nbs.nb AND w GROUP BY nbs.nb (the
    aggregates see s's rows only)."""
    sources = _sources(select)
    if len(sources) != 1:
        raise KeyedError(f"an aggregate without GROUP BY over several sources: "
                         f"{select.sql()[:120]}")
    if anchor.startswith("q_nbs"):          # already on the spine
        select.set("group", exp.Group(expressions=[exp.column(NB, anchor)]))
        return anchor
    spine = f"{anchor}__nbs"
    source = select.args["from_"].this
    on = exp.EQ(this=exp.column(NB, anchor), expression=exp.column(NB, spine))
    if select.args.get("where") is not None:
        on = exp.and_(on, exp.Paren(this=select.args["where"].this))
        select.set("where", None)
    select.set("from_", exp.From(this=exp.Table(this=exp.to_identifier(SPINE),
                                                 alias=exp.TableAlias(this=exp.to_identifier(spine)))))
    select.set("joins", [exp.Join(this=source, side="LEFT", on=on)])
    matched = exp.Not(this=exp.Is(this=exp.column(NB, anchor), expression=exp.Null()))
    for agg in [n for p in select.expressions for n in p.find_all(exp.AggFunc)
                if n.parent_select is select and not isinstance(n.parent, exp.Window)]:
        if isinstance(agg.parent, exp.Filter):      # FILTER (WHERE c) AND matched
            where = agg.parent.expression
            where.set("this", exp.and_(exp.Paren(this=where.this), matched.copy()))
        else:
            agg.replace(exp.Filter(this=agg.copy(), expression=exp.Where(this=matched.copy())))
    select.set("group", exp.Group(expressions=[exp.column(NB, spine)]))
    return spine


def _partition_windows(select: exp.Select, anchor: str) -> None:
    for window in select.find_all(exp.Window):
        if window.parent_select is not select:
            continue
        window.set("partition_by", [*(window.args.get("partition_by") or []),
                                    exp.column(NB, anchor)])


def _project(select: exp.Select, anchor: str) -> None:
    """End the output with the anchor's nb; stars over sources with nb
    leave theirs out."""
    keyed = {_alias(s) for s in _sources(select) if _keyed_source(s)}
    if _star_carries_nb(select, keyed):
        return
    for projection in select.expressions:
        if isinstance(projection, exp.Star):
            star, covers = projection, bool(keyed)
        elif isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
            star, covers = projection.this, projection.table in keyed
        else:
            continue
        if covers:
            star.set("except_", [*(star.args.get("except_") or []), exp.column(NB)])
    select.append("expressions", exp.alias_(exp.column(NB, anchor), NB))
    node = select
    while isinstance(node.parent, (exp.Union, exp.Intersect, exp.Except)):
        node = node.parent
    alias = node.parent.args.get("alias") if isinstance(node.parent, (exp.CTE, exp.Subquery)) \
        else None
    if alias is not None and alias.columns and NB not in {c.name for c in alias.columns}:
        alias.append("columns", exp.to_identifier(NB))     # a column list names it too


def _star_carries_nb(select: exp.Select, keyed: set[str]) -> bool:
    """A select whose one star covers its one source with nb, outside a set
    operation and a column list: its output has that nb already, where
    it is. (`* EXCEPT (nb), ..., src.nb` beside a generator fails in
    Spark 4: "key not found".)"""
    stars = [p for p in select.expressions if isinstance(p, exp.Star) or (
        isinstance(p, exp.Column) and isinstance(p.this, exp.Star))]
    if len(keyed) != 1 or len(stars) != 1 or select.args.get("group") is not None:
        return False
    star = stars[0]
    if isinstance(star, exp.Column) and star.table not in keyed:
        return False
    node = select.parent
    if isinstance(node, (exp.Union, exp.Intersect, exp.Except)):
        return False
    alias = node.args.get("alias") if isinstance(node, (exp.CTE, exp.Subquery)) else None
    return not (alias is not None and alias.columns)


def _variable(node: exp.Anonymous, anchors: dict) -> exp.Expression:
    (name,) = node.expressions
    anchor = _nearest_anchor(node.parent_select, anchors)
    if anchor is None:
        raise KeyedError(f"getvariable() outside a keyed select: {node.sql()}")
    alias = "q_var"
    value = exp.Subquery(this=exp.select(exp.column("value", alias)).from_(
        exp.Table(this=exp.to_identifier(variable_relation(name.this)),
                  alias=exp.TableAlias(this=exp.to_identifier(alias))))
        .where(exp.EQ(this=exp.column(NB, alias), expression=exp.column(NB, anchor))))
    if _projected_in_grouped_select(node):
        return exp.AnyValue(this=value)     # Spark: a correlated scalar subquery of a
    return value                            # grouped select's output is aggregated


def _projected_in_grouped_select(node: exp.Expression) -> bool:
    """Whether `node` is part of an output expression of a grouped select,
    outside any aggregate."""
    select = node.parent_select
    if select is None or select.args.get("group") is None:
        return False
    child = node
    while child.parent is not select:
        if isinstance(child.parent, exp.AggFunc):
            return False
        child = child.parent
    return child.arg_key == "expressions"
