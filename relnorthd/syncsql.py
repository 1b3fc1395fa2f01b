"""The generic SB row sync, as SQL generated from a table's declaration
(sbtables.TABLES) and the SB schema: the same few statements for every
table whose desired rows are a sql/sb/<Table>.sql result.

For table T, on a connection holding `want_T` (the desired rows), `sb_T`,
the JSON macros of sbsync.py and, for each table T references, `ref_R(name,
ref)` (a desired reference, R's natural key, -> the OVSDB JSON of the row it
becomes: ["uuid", u] or ["named-uuid", n]) and `name_R(sb_uuid, name)` (the
SB rows of R that stay, by their key):
- w_T: the desired rows with their references as OVSDB JSON (`j_<col>`);
  a row whose required reference has no row cannot be written (`writable`);
- cur_T: SB's rows, key references translated to names; rows on a row that
  goes (a required reference) are not kept; of rows with the same key the
  smallest uuid is (`nth` 1);
- join_T: desired rows LEFT JOIN cur_T by key (and the declaration's `keep`
  condition, else the SB row is replaced); each owned column's current
  value as the same canonical JSON (`cj_<col>`), so a column differs when
  the texts differ;
- ref_T / name_T for the tables referencing T (single-column keys);
- ops: inserts (with uuid-name T_<n>), updates of the owned columns that
  differ (`fixed` columns only at insert; `initial` foreign columns when
  SB's has no value; `clear` ones emptied), deletes of SB rows not kept.
Rows of a key-less table referenced by T (Meter_Band, HA_Chassis,
RBAC_Permission) are T's column values: a struct (or a list of them, or a
map of them) of their columns; they are compared by content, inserted with
their parent or whenever the parent's column changes; the SB ones no kept
parent keeps referencing go by themselves (non-root tables) or are deleted
(RBAC_Permission).
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from .mirror.schema import Column, TableSchema
from .sbtables import TABLES, SbTable

EMPTY_SET = "'[\"set\",[]]'"


def is_child(table: str | None) -> bool:
    """Rows of `table` live inside their referrer (no natural key)."""
    spec = TABLES.get(table or "")
    return spec is not None and not spec.key and spec.sync and not spec.prune


def refs_of(spec: SbTable, schema: dict[str, TableSchema], want: pa.Schema) -> set[str]:
    """The keyed tables whose ref_/name_ relations table `spec`'s sync reads."""
    out = set()
    for c in _columns(spec, schema[spec.name], want):
        target = c.ref_table or c.value_ref_table
        if is_child(target):
            out |= {f.ref_table for f in _child_columns(target, want.field(c.name).type, schema)
                    if f.ref_table}
        elif target:
            out.add(target)
    return out


def children_of(spec: SbTable, schema: dict[str, TableSchema], want: pa.Schema) -> set[str]:
    """The key-less tables whose rows live inside table `spec`'s rows."""
    return {c.ref_table or c.value_ref_table for c in _columns(spec, schema[spec.name], want)
            if is_child(c.ref_table or c.value_ref_table)}


def _columns(spec: SbTable, schema: TableSchema, want: pa.Schema) -> list[Column]:
    return [schema.columns[c] for c in spec.owned(schema.columns) if c in want.names]


def _child_columns(table: str, arrow_type: pa.DataType,
                   schema: dict[str, TableSchema]) -> list[Column]:
    """The child table's columns the desired structs hold (in struct order)."""
    struct = _struct_type(arrow_type)
    return [schema[table].columns[struct.field(i).name] for i in range(struct.num_fields)]


def _struct_type(t: pa.DataType) -> pa.StructType:
    if pa.types.is_map(t):
        return t.item_type
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return t.value_type
    return t


def _atom_json(c: Column, x: str) -> str:
    """Canonical OVSDB JSON of value `x` of column `c`, reference atoms as
    they are (names on the desired side, uuids on SB's)."""
    if c.kind == "map":
        return f"ovs_map({x})"
    if c.kind == "set":
        return f"ovs_strs(list_sort({x}))"
    if c.kind == "optional":
        return f"ovs_opt({x})"
    return f"ovs_str({x})"


def _uuid_json(c: Column, x: str) -> str:
    """Canonical OVSDB JSON of SB's uuid reference value `x` of column `c`."""
    if c.kind == "set":
        return f"ovs_uuids({x})"
    return f"ovs_uuid({x})" if c.kind == "optional" else f"json_array('uuid', {x})::VARCHAR"


def key_exprs(spec: SbTable, alias: str, names: dict[str, str] | None = None) -> list[str]:
    """The key as SQL over row `alias`: plain columns (a reference through
    `names`: column -> its translated name), then the map entries as
    alternatives (Datapath_Binding: logical-switch or logical-router)."""
    plain = [names.get(k, f"{alias}.{k}") if names else f"{alias}.{k}"
             for k in spec.key if ":" not in k]
    entries = [f"{alias}.{k.split(':')[0]}['{k.split(':')[1]}']" for k in spec.key if ":" in k]
    # no key (SB_Global): one row, whichever SB has
    return plain + ([f"coalesce({', '.join(entries)})"] if entries else []) or ["1"]


@dataclass
class TableSql:
    setup: str      # statements creating w_T, cur_T, join_T and (keyed) ref_T / name_T
    ops: str        # SELECT tbl, step, op


def table_sql(spec: SbTable, schema: dict[str, TableSchema], want: pa.Schema) -> TableSql:
    t = spec.name
    if spec.prune:
        return TableSql("", f"""
SELECT '{t}' AS tbl, 'delete' AS step, ovs_delete('{t}', _uuid) AS op
FROM   sb_{t}
WHERE  _uuid NOT IN (SELECT _uuid FROM want_{t})""")
    columns = _columns(spec, schema[t], want)
    refs = [c for c in columns if c.ref_table and not is_child(c.ref_table)]
    kids = {c.name: _Child(c, t, want.field(c.name).type, schema, c.name in spec.shared)
            for c in columns if is_child(c.ref_table or c.value_ref_table)}

    # desired rows: references resolved, children as content text
    joins, resolved = [], []
    for c in refs:
        if c.kind == "set":
            joins.append(f"LEFT JOIN (SELECT n, '[\"set\",[' || string_agg(r.ref, ',' "
                         f"ORDER BY r.ref) || ']]' AS v FROM (SELECT n, unnest({c.name}) AS name "
                         f"FROM w0) u JOIN ref_{c.ref_table} r USING (name) GROUP BY n) "
                         f"r_{c.name} USING (n)")
            resolved.append(f"coalesce(r_{c.name}.v, {EMPTY_SET}) AS j_{c.name}")
        else:
            joins.append(f"LEFT JOIN ref_{c.ref_table} r_{c.name} "
                         f"ON r_{c.name}.name = w.{c.name}")
            resolved.append(f"r_{c.name}.ref AS j_{c.name}" if c.kind == "scalar" else
                            f"coalesce(r_{c.name}.ref, {EMPTY_SET}) AS j_{c.name}")
    resolved += [f"{k.text('w')} AS t_{name}" for name, k in kids.items()]
    joins += [f"LEFT JOIN tv_{k.rel} ON tv_{k.rel}.h = w.h_{name}"
              for name, k in kids.items() if k.shared]
    writable = " AND ".join([f"r_{c.name}.ref IS NOT NULL" for c in refs if c.kind == "scalar"]
                            or ["true"])
    # SB rows: key references as names; rows on a row that goes are not kept
    in_key = [c for c in refs if c.name in spec.key]
    key_cur = key_exprs(spec, "s", {c.name: f"k_{c.name}.name" for c in in_key})
    key_want = key_exprs(spec, "w")
    current = [f"{_uuid_json(c, 's.' + c.name) if c in refs else _atom_json(c, 's.' + c.name)}"
               f" AS cj_{c.name}" for c in columns if c.name not in kids]
    current += [f"s.{name} AS c_{name}" for name in {*(c.name for c in columns),
                                                     *(k for k, _ in spec.initial),
                                                     *(k for k, _ in spec.clear)}]
    stays = [f"s.{c.name} IN (SELECT sb_uuid FROM name_{c.ref_table})"
             for c in refs if c.kind == "scalar"]
    shared = [k for k in kids.values() if k.shared]
    setup = [f"""
CREATE OR REPLACE TEMP TABLE w0 AS
SELECT *{f" EXCLUDE ({', '.join(k.col.name for k in shared)})" if shared else ''},
       {''.join(f'{k.hash_sql()} AS h_{k.col.name}, ' for k in shared)}row_number() OVER () AS n
FROM   want_{t};""", *(k.values_sql() for k in shared), f"""
CREATE OR REPLACE TEMP TABLE w_{t} AS
SELECT w.*, {', '.join(resolved + [f'{writable} AS writable'])}
FROM   w0 w {' '.join(joins)};
CREATE OR REPLACE TEMP TABLE cur_{t} AS
SELECT *, row_number() OVER (PARTITION BY {', '.join(f'k{i}' for i in range(len(key_cur)))}
                             ORDER BY sb_uuid) AS nth
FROM  (SELECT s._uuid AS sb_uuid, {', '.join(f'{k} AS k{i}' for i, k in enumerate(key_cur))},
              {', '.join(current)}
       FROM sb_{t} s {' '.join(f'LEFT JOIN name_{c.ref_table} k_{c.name} '
                               f'ON k_{c.name}.sb_uuid = s.{c.name}' for c in in_key)}
       WHERE {' AND '.join(stays or ['true'])});""",
             *(k.current_sql() for k in kids.values()), f"""
CREATE OR REPLACE TEMP TABLE join_{t} AS
SELECT w.*, c.* EXCLUDE (nth){''.join(f', ct_{k.rel}.ct_{name}' for name, k in kids.items())}
FROM   w_{t} w
LEFT JOIN cur_{t} c ON c.nth = 1 AND {' AND '.join(f'c.k{i} = {k}'
                                                   for i, k in enumerate(key_want))}
      AND {spec.keep}
{' '.join(f'LEFT JOIN ct_{k.rel} USING (sb_uuid)' for k in kids.values())};""",
             *(k.kids_sql() for k in kids.values())]
    if len(key_want) == 1 and spec.key:     # others name these rows by their key
        setup.append(f"""
CREATE OR REPLACE TEMP VIEW ref_{t} AS
SELECT {key_want[0]} AS name,
       CASE WHEN sb_uuid IS NULL THEN json_array('named-uuid', '{t}_' || n)
            ELSE json_array('uuid', sb_uuid) END::VARCHAR AS ref
FROM   join_{t} w WHERE writable OR sb_uuid IS NOT NULL;
CREATE OR REPLACE TEMP VIEW name_{t} AS
SELECT sb_uuid, {key_want[0]} AS name FROM join_{t} w WHERE sb_uuid IS NOT NULL;""")

    def value(c: Column) -> str:
        if c.name in kids:          # (no children: an empty set or map)
            empty = "'[\"map\",[]]'" if c.kind == "map" else EMPTY_SET
            return f"coalesce(kids_{kids[c.name].rel}.j, {empty})"
        return f"j_{c.name}" if c in refs else _atom_json(c, f"w.{c.name}")

    def differs(c: Column) -> str:
        return (f"t_{c.name} <> coalesce(ct_{c.name}, '')" if c.name in kids
                else f"{value(c)} <> cj_{c.name}")

    kid_joins = " ".join(f"LEFT JOIN kids_{k.rel} USING (n)" for k in kids.values())
    row = " || ',' || ".join(f"'\"{c.name}\":' || {value(c)}" for c in columns)
    initial = "".join(f"'\"{k}\":{v},' || " for k, v in spec.initial)
    changing = [c for c in columns if c.name not in spec.fixed]
    empty = EMPTY_SET[1:-1]         # (the JSON, unquoted)
    update = ", ".join([f"CASE WHEN {differs(c)} THEN '\"{c.name}\":' || {value(c)} END"
                        for c in changing]
                       + [f"CASE WHEN c_{k} IS NULL THEN '\"{k}\":{v}' END"
                          for k, v in spec.initial]
                       + [f"CASE WHEN {cond} AND len(c_{k}) > 0 THEN '\"{k}\":{empty}' END"
                          for k, cond in spec.clear])
    updating = ([differs(c) for c in changing] + [f"c_{k} IS NULL" for k, _ in spec.initial]
                + [f"({cond} AND len(c_{k}) > 0)" for k, cond in spec.clear])
    ops = [f"""
SELECT '{t}' AS tbl, 'insert' AS step,
       '{{"op":"insert","table":"{t}","uuid-name":"{t}_' || n || '","row":{{' || {initial}
       {row} || '}}}}' AS op
FROM   join_{t} w {kid_joins}
WHERE  sb_uuid IS NULL AND writable""", f"""
SELECT '{t}', 'delete', ovs_delete('{t}', _uuid)
FROM   sb_{t}
WHERE  _uuid NOT IN (SELECT sb_uuid FROM join_{t} WHERE sb_uuid IS NOT NULL)"""]
    if updating:
        ops.append(f"""
SELECT '{t}', 'update', ovs_update('{t}', sb_uuid) || concat_ws(',', {update}) || '}}}}'
FROM   join_{t} w {kid_joins}
WHERE  sb_uuid IS NOT NULL AND writable
  AND  ({' OR '.join(updating)})""")
    ops += [k.ops_sql() for k in kids.values()]
    return TableSql("\n".join(setup), "\nUNION ALL".join(ops))


class _Child:
    """Column `col` of table `parent` whose values are rows of a key-less
    table: a struct, a list of structs or a map of them in the desired rows."""

    def __init__(self, col: Column, parent: str, arrow_type: pa.DataType,
                 schema: dict[str, TableSchema], shared: bool = False):
        assert not shared or col.kind not in ("set", "map"), "shared: one child per row"
        self.col, self.parent, self.shared = col, parent, shared
        self.table = col.value_ref_table or col.ref_table
        self.fields = _child_columns(self.table, arrow_type, schema)
        self.root = schema[self.table].is_root
        self.rel = f"{parent}_{col.name}"

    def _entries(self, x: str) -> str:
        """Value `x` as a list of {k, x} (k: the map key, else null)."""
        if self.col.kind == "map":
            return f"list_transform(map_entries({x}), lambda e: {{'k': e.key, 'x': e.value}})"
        if self.col.kind == "set":
            return f"list_transform({x}, lambda e: {{'k': NULL::VARCHAR, 'x': e}})"
        return f"CASE WHEN {x} IS NULL THEN [] ELSE [{{'k': NULL::VARCHAR, 'x': {x}}}] END"

    def _content(self, k: str, get) -> str:
        """Canonical text of one child: its map key and its columns (`get`:
        field name -> SQL of its value, references by name)."""
        parts = " || ',' || ".join(_atom_json(f, get(f.name)) for f in self.fields)
        return f"coalesce(ovs_str({k}), '') || '[' || {parts} || ']'"

    def text(self, alias: str) -> str:
        """The canonical content of the desired children of row `alias`."""
        if self.shared:
            return f"tv_{self.rel}.t"
        return self._text_of(f"{alias}.{self.col.name}")

    def _text_of(self, x: str) -> str:
        """The canonical content of children value `x`."""
        content = self._content("e.k", lambda f: f"e.x.{f}")
        return (f"array_to_string(list_sort(list_transform({self._entries(x)}, "
                f"lambda e: {content})), ' ')")

    def current_sql(self) -> str:
        """ct_<rel>: the canonical content of the children of SB's rows."""
        c = self.col.name
        refs = [f for f in self.fields if f.ref_table and f.kind != "set"]
        joins = " ".join(f"LEFT JOIN name_{f.ref_table} r_{f.name} "
                         f"ON r_{f.name}.sb_uuid = x.{f.name}" for f in refs)
        names = {f.name: f"r_{f.name}.name" for f in refs}
        names |= {f.name: f"(SELECT list(n.name) FROM (SELECT unnest(x.{f.name}) AS sb_uuid) u "
                          f"JOIN name_{f.ref_table} n USING (sb_uuid))"
                  for f in self.fields if f.ref_table and f.kind == "set"}
        content = self._content("v.k", lambda f: names.get(f, f"x.{f}"))
        values = f"c_{c}" if self.col.kind == "set" else f"[c_{c}]"
        unnest = (f"unnest(map_keys(c_{c})) AS k, unnest(map_values(c_{c})) AS u"
                  if self.col.kind == "map" else f"NULL::VARCHAR AS k, unnest({values}) AS u")
        text = f"string_agg({content}, ' ' ORDER BY {content})"
        return f"""
CREATE OR REPLACE TEMP TABLE ct_{self.rel} AS
SELECT v.sb_uuid, {f'md5({text})' if self.shared else text} AS ct_{c}
FROM  (SELECT sb_uuid, {unnest} FROM cur_{self.parent} WHERE nth = 1) v
JOIN   sb_{self.table} x ON x._uuid = v.u {joins}
GROUP  BY v.sb_uuid;"""

    def kids_sql(self) -> str:
        """The children to insert (of new rows and of rows whose children
        change), and the parent's column value naming them."""
        c = self.col.name
        if self.shared:
            return self._shared_kids_sql()
        return f"""
CREATE OR REPLACE TEMP TABLE kid_{self.rel} AS
SELECT n, i, e.k, e.x
FROM  (SELECT n, generate_subscripts(l, 1) AS i, unnest(l) AS e
       FROM (SELECT n, {self._entries(f'w.{c}')} AS l FROM join_{self.parent} w
             WHERE {self._needs()}));
CREATE OR REPLACE TEMP TABLE kids_{self.rel} AS
SELECT n, {self._value_json()} AS j FROM kid_{self.rel} GROUP BY n;"""

    def _needs(self) -> str:
        """Whether parent row `w` of join_<parent> gets new children: a new
        row, or one whose children's content changes."""
        c = self.col.name
        return f"writable AND (sb_uuid IS NULL OR t_{c} <> coalesce(ct_{c}, ''))"

    def hash_sql(self, alias: str = "") -> str:
        """A shared child's value of want_<parent> row `alias` as its hash
        (null for none): rows carry that, not the value (a group of every
        switch is thousands of names, on each of thousands of rows)."""
        x = f"{alias}{'.' if alias else ''}{self.col.name}"
        return f"CASE WHEN {x} IS NOT NULL THEN hash({x}) END"

    def values_sql(self) -> str:
        """tv_<rel>: each distinct shared child value once (x), by its hash
        (h), with the md5 of its canonical content (t: as ct_<rel> has it);
        an error where two values share a hash."""
        c = self.col.name
        return f"""
CREATE OR REPLACE TEMP TABLE tv_{self.rel} AS
SELECT h, x, md5({self._text_of('x')}) AS t
FROM  (SELECT h, any_value(v) AS x
       FROM (SELECT {self.hash_sql('w')} AS h, w.{c} AS v FROM want_{self.parent} w)
       WHERE h IS NOT NULL GROUP BY h);
SELECT CASE WHEN count(*) > 0 THEN error('{self.rel}: two values share a hash') END
FROM   want_{self.parent} w JOIN tv_{self.rel} v ON v.h = {self.hash_sql('w')}
WHERE  v.x <> w.{c};"""

    def _shared_kids_sql(self) -> str:
        """kids_sql for a shared child: one per content (t), SB's where a
        kept row references one of that content (the least uuid), else one
        inserted, named after the first row needing it."""
        c = self.col.name
        return f"""
CREATE OR REPLACE TEMP TABLE need_{self.rel} AS
SELECT n, t_{c} AS t FROM join_{self.parent} w
WHERE  w.h_{c} IS NOT NULL AND {self._needs()};
CREATE OR REPLACE TEMP TABLE kept_{self.rel} AS
SELECT ct_{c} AS t, min(c_{c}) AS u FROM join_{self.parent}
WHERE  sb_uuid IS NOT NULL AND t_{c} = ct_{c} GROUP BY 1;
CREATE OR REPLACE TEMP TABLE kid_{self.rel} AS
SELECT t, d.n, 1 AS i, NULL::VARCHAR AS k, v.x
FROM  (SELECT t, min(n) AS n FROM need_{self.rel}
       WHERE t NOT IN (SELECT t FROM kept_{self.rel}) GROUP BY t) d
JOIN  (SELECT t, arg_min(x, h) AS x FROM tv_{self.rel} GROUP BY t) v USING (t);
CREATE OR REPLACE TEMP TABLE kids_{self.rel} AS
SELECT d.n, CASE WHEN s.u IS NULL THEN json_array('named-uuid', {self._uuid_name('k')})
                 ELSE json_array('uuid', s.u) END::VARCHAR AS j
FROM   need_{self.rel} d
LEFT JOIN kept_{self.rel} s USING (t)
LEFT JOIN kid_{self.rel} k USING (t);"""

    def _uuid_name(self, alias: str = "") -> str:
        """The uuid-name of child row (n, i) of relation `alias`."""
        a = f"{alias}." if alias else ""
        return f"'{self.rel}_' || {a}n || '_' || {a}i"


    def _value_json(self) -> str:
        ref = f"json_array('named-uuid', {self._uuid_name()})::VARCHAR"
        if self.col.kind == "map":
            return (f"'[\"map\",[' || string_agg('[' || ovs_str(k) || ',' || {ref} || ']', ','"
                    " ORDER BY k) || ']]'")
        if self.col.kind == "set":
            return f"'[\"set\",[' || string_agg({ref}, ',' ORDER BY i) || ']]'"
        return f"any_value({ref})"

    def ops_sql(self) -> str:
        refs = [f for f in self.fields if f.ref_table and f.kind != "set"]
        joins = " ".join(f"LEFT JOIN ref_{f.ref_table} r_{f.name} ON r_{f.name}.name = k.x.{f.name}"
                         for f in refs)

        def value(f: Column) -> str:
            if not f.ref_table:
                return _atom_json(f, f"k.x.{f.name}")
            if f.kind == "set":
                return (f"(SELECT '[\"set\",[' || coalesce(string_agg(r.ref, ',' ORDER BY r.ref), "
                        f"'') || ']]' FROM (SELECT unnest(k.x.{f.name}) AS name) u "
                        f"JOIN ref_{f.ref_table} r USING (name))")
            return (f"r_{f.name}.ref" if f.kind == "scalar"
                    else f"coalesce(r_{f.name}.ref, {EMPTY_SET})")
        row = " || ',' || ".join(f"'\"{f.name}\":' || {value(f)}" for f in self.fields)
        c = self.col.name
        inserts = f"""
SELECT '{self.table}', 'insert',
       '{{"op":"insert","table":"{self.table}","uuid-name":"' || {self._uuid_name()}
       || '","row":{{' || {row} || '}}}}'
FROM   kid_{self.rel} k {joins}"""
        if not self.root:       # unreferenced children vanish by themselves
            return inserts

        def members(col: str) -> str:
            return (f"unnest(map_values({col}))" if self.col.kind == "map" else
                    f"unnest({col})" if self.col.kind == "set" else col)
        return inserts + f"""
UNION ALL               -- the parents' children no kept row keeps referencing
SELECT DISTINCT '{self.table}', 'delete', ovs_delete('{self.table}', u)
FROM  (SELECT {members(c)} AS u FROM sb_{self.parent})
WHERE  u NOT IN (SELECT u FROM (SELECT {members(f'c_{c}')} AS u FROM join_{self.parent}
                                WHERE sb_uuid IS NOT NULL AND t_{c} = coalesce(ct_{c}, ''))
                 WHERE u IS NOT NULL)"""
