"""The delta engine: the minimal SB transaction that makes SB's tables
what a computed result says (northd's build_datapaths, build_ports, lflow
sync and the sync of every table with a sql/sb/<Table>.sql file).

Every step is a keyed join of the desired rows against SB's current rows:
- every table with desired rows (sb_rows) and an sbtables.TABLES entry
  declaring it synced: by its natural key, generically (syncsql.py:
  Datapath_Binding by NB uuid, Port_Binding by logical_port, kept while on
  the port's datapath and kind (the declaration's `keep`), Multicast_Group,
  DNS, ...); the MAC_Bindings of deleted ports go with them;
- datapath groups by their set of datapaths: a set SB has is reused; a group
  whose flows all move to one new set is modified in place; others are new
  (unreferenced groups go by themselves: the table is not a root);
- flows by (stage, priority, match, actions, controller_meter), the stage
  as SB's external_ids:stage-name, pipeline and table_id:
  a flow SB has keeps its row and uuid, and only the columns that differ are
  updated (its datapath or group, external_ids, tags); the rest is inserted
  or deleted.
The operations come out of DuckDB as OVSDB JSON text, one per changed row.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from .contract import FLOW_KEY
from .engine import connect
from .lflows import Grouped, key_candidates
from .mirror import Database
from .nogc import paused
from .rules import load_macros
from .sbtables import TABLES
from .syncsql import children_of, key_exprs, refs_of, table_sql

# SB tables this module writes -> their columns others write (sbtables
# foreign): changes to those (e.g. Port_Binding.chassis, set by
# ovn-controller) are inputs, while inserts, deletes and the other columns
# are its own echoes (pruned tables: all changes are inputs)
WRITTEN = {**{name: spec.foreign for name, spec in TABLES.items()
              if spec.sync and not spec.prune},
           "Logical_Flow": frozenset()}
OWNED = tuple(WRITTEN)
# the tables synced by their own SQL here; the others with a sql/sb file by syncsql.py
SPECIAL = ("Logical_DP_Group", "Logical_Flow")

# the SB datapaths that go (stale or duplicates): not named by the sync
_DP_DELETED = """
CREATE TEMP VIEW dp_deleted AS
SELECT _uuid AS sb_uuid FROM sb_Datapath_Binding
WHERE  _uuid NOT IN (SELECT sb_uuid FROM name_Datapath_Binding);
"""

# cleanup_mac_bindings(): the MAC_Bindings of ports that go (after the
# generic sync planned Port_Binding)
_MAC_BINDINGS = """
SELECT 'MAC_Binding', 'delete',
       ovs_delete('MAC_Binding', _uuid)
FROM   sb_MAC_Binding
WHERE  logical_port NOT IN (SELECT logical_port FROM want_port_binding)
  AND  EXISTS (SELECT 1 FROM sb_Port_Binding WHERE _uuid NOT IN (
               SELECT sb_uuid FROM join_Port_Binding WHERE sb_uuid IS NOT NULL))
  AND  datapath NOT IN (SELECT sb_uuid FROM dp_deleted)
"""

# ovnsb_db_run(), NB side: a switch port's NB `up` follows its binding (a
# router port is up; a bound one is up, or as SB says when its chassis
# reports port-up-notif; an unbound one down), new bindings as unbound
_LSP_UP = """
SELECT ovs_update('Logical_Switch_Port', s._uuid)
       || '"up":' || CASE WHEN u.up THEN 'true' ELSE 'false' END || '}}' AS op
FROM  (SELECT s._uuid,
              CASE WHEN s.type = 'router' THEN true
                   WHEN p.sb_uuid IS NULL OR b.chassis IS NULL THEN false
                   WHEN opt_bool(c.other_config, 'port-up-notif', false)
                   THEN coalesce(b.up, false)
                   ELSE true END AS up
       FROM  (SELECT _uuid AS datapath, unnest(ports) AS lsp FROM nb_Logical_Switch) l
       JOIN   nb_Logical_Switch_Port s ON s._uuid = l.lsp
       JOIN   join_Port_Binding p ON p.logical_port = s.name AND p.datapath = l.datapath
       LEFT JOIN sb_Port_Binding b ON b._uuid = p.sb_uuid
       LEFT JOIN sb_Chassis c ON c._uuid = b.chassis) u
JOIN   nb_Logical_Switch_Port s ON s._uuid = u._uuid
WHERE  s.up IS DISTINCT FROM u.up
"""

# the NB columns northd writes back (sql/nb/<Table>.sql: want_nb_<Table>)
# where NB's value differs
_NB_CHANGED = """
SELECT w.* FROM want_nb_{t} w JOIN nb_{t} n USING (_uuid) WHERE {differ}
"""

_GROUPS = """
CREATE TEMP TABLE want_group AS
SELECT dp_group, md5(array_to_string(list_sort(datapaths), ' ')) AS sig, datapaths
FROM   want_groups;

-- SB groups of flows by the NB datapaths of their members (members SB drops
-- vanish); flows never take a load balancer's group, as northd
CREATE TEMP TABLE cur_group AS
SELECT g._uuid AS sb_uuid,
       md5(coalesce(array_to_string(list_sort(list(k.name) FILTER (WHERE k.name IS NOT NULL)),
                                    ' '), '')) AS sig
FROM  (SELECT _uuid, unnest(CASE WHEN len(datapaths) = 0 THEN [NULL] ELSE datapaths END) AS dp
       FROM sb_Logical_DP_Group
       WHERE _uuid IN (SELECT logical_dp_group FROM sb_Logical_Flow)) g
LEFT JOIN name_Datapath_Binding k ON k.sb_uuid = g.dp
GROUP  BY g._uuid;
"""

# the flows to sync: all of them, or those of the touched flow keys (SB's
# key has the stage as external_ids:stage-name)
_ALL_FLOWS = """
CREATE TEMP VIEW want_flows_in AS SELECT * FROM want_flows;
CREATE TEMP VIEW sb_flows_in AS SELECT * FROM sb_Logical_Flow;
"""
# (and those of the flows on an SB group that another with the same
# datapaths replaces: the full plan moves them to that one)
_REPLACED_GROUPS = """
SELECT sb_uuid
FROM  (SELECT sb_uuid, sig, row_number() OVER (PARTITION BY sig ORDER BY sb_uuid) AS nth
       FROM cur_group)
WHERE  nth > 1 AND sig IN (SELECT sig FROM want_group)
"""
_TOUCHED_KEYS = """
CREATE TEMP TABLE touched_key AS
SELECT stage, priority, match, actions, coalesce(ctrl_meter, '') AS meter FROM touched
UNION
SELECT external_ids['stage-name'], priority, match, actions, coalesce(controller_meter, '')
FROM   sb_moving_flows
"""
# ... from the candidates of those keys (lflows.key_candidates)
_TOUCHED_FLOWS = """
CREATE TEMP TABLE want_flows_in AS
SELECT f.* FROM want_candidates f
SEMI JOIN touched_key t
       ON t.stage = f.stage AND t.priority = f.priority AND t.match = f.match
      AND t.actions = f.actions AND t.meter = coalesce(f.ctrl_meter, '');

CREATE TEMP TABLE sb_flows_in AS
SELECT s.* FROM sb_candidates s
SEMI JOIN touched_key t
       ON t.stage = s.external_ids['stage-name'] AND t.priority = s.priority
      AND t.match = s.match AND t.actions = s.actions
      AND t.meter = coalesce(s.controller_meter, '');
"""

_FLOWS = """
CREATE TEMP TABLE want_flow AS
SELECT f.pipeline, f.table_id, f.priority, f.match, f.actions,
       coalesce(f.ctrl_meter, '') AS meter, f.stage, f.io_port, f.stage_hint,
       CASE WHEN f.dp_group IS NULL THEN d.ref END AS dp_ref, f.dp_group,
       smap_of([{'key': 'stage-name', 'value': f.stage},
                {'key': 'stage-hint', 'value': f.stage_hint}]) AS ext_ids,
       smap_of([{'key': 'in_out_port', 'value': f.io_port}]) AS tags
FROM   want_flows_in f
LEFT JOIN ref_Datapath_Binding d ON d.name = f.logical_datapath;

CREATE TEMP TABLE cur_flow AS
SELECT _uuid AS sb_uuid, external_ids['stage-name'] AS stage, pipeline, table_id, priority,
       match, actions, coalesce(controller_meter, '') AS meter, logical_datapath,
       logical_dp_group, external_ids, tags,
       row_number() OVER (PARTITION BY external_ids['stage-name'], pipeline, table_id,
                                       priority, match, actions, coalesce(controller_meter, '')
                          ORDER BY _uuid) AS nth
FROM   sb_flows_in;

CREATE TEMP TABLE flow_join AS
SELECT w.*, c.sb_uuid, c.logical_datapath AS sb_dp, c.logical_dp_group AS sb_group,
       c.external_ids AS sb_ext, c.tags AS sb_tags
FROM   want_flow w
LEFT JOIN cur_flow c
       ON c.nth = 1 AND c.stage = w.stage AND c.pipeline = w.pipeline
      AND c.table_id = w.table_id
      AND c.priority = w.priority AND c.match = w.match AND c.actions = w.actions
      AND c.meter = w.meter;

-- groups of the flows to sync: reused by set (a set any flow wants, which
-- keeps a group untouched flows use as it is), else one a flow used whose
-- flows all move to the same new set (modified in place), else new
CREATE TEMP TABLE group_plan AS
WITH reused AS (
    SELECT w.dp_group, min(c.sb_uuid) AS sb_uuid
    FROM want_group w JOIN cur_group c USING (sig) GROUP BY w.dp_group
),
moves AS (              -- current group -> the new sets of its matched flows
    SELECT j.sb_group, w.sig, w.dp_group
    FROM   flow_join j JOIN want_group w ON w.dp_group = j.dp_group
    WHERE  j.sb_group IS NOT NULL
      AND  j.sb_group NOT IN (SELECT sb_uuid FROM reused)
      AND  j.dp_group NOT IN (SELECT dp_group FROM reused)
),
mutable AS (
    SELECT sb_group, any_value(dp_group) AS dp_group
    FROM   moves GROUP BY sb_group HAVING count(DISTINCT sig) = 1
),
mutated AS (
    SELECT dp_group, min(sb_group) AS sb_uuid FROM mutable GROUP BY dp_group
)
SELECT w.dp_group, w.datapaths,
       coalesce(r.sb_uuid, m.sb_uuid) AS sb_uuid,
       CASE WHEN r.sb_uuid IS NOT NULL THEN 'keep'
            WHEN m.sb_uuid IS NOT NULL THEN 'modify' ELSE 'insert' END AS step,
       CASE WHEN coalesce(r.sb_uuid, m.sb_uuid) IS NULL
            THEN json_array('named-uuid', 'g' || w.dp_group)
            ELSE json_array('uuid', coalesce(r.sb_uuid, m.sb_uuid)) END AS ref
FROM   want_group w
LEFT JOIN reused r USING (dp_group)
LEFT JOIN mutated m USING (dp_group)
WHERE  w.dp_group IN (SELECT dp_group FROM flow_join);
"""

# OVSDB JSON of values
_JSON_MACROS = """
CREATE OR REPLACE MACRO ovs_map(m) AS
    '["map",' || CAST(to_json(list_transform(list_sort(map_entries(m)),
                                             lambda e: [e.key, e.value])) AS VARCHAR) || ']';
CREATE OR REPLACE MACRO ovs_uuid(u) AS
    CASE WHEN u IS NULL THEN '["set",[]]' ELSE json_array('uuid', u)::VARCHAR END;
CREATE OR REPLACE MACRO ovs_str(s) AS CAST(to_json(s) AS VARCHAR);
-- a set of atoms; an optional value (scalar or nothing); a set of uuids (sorted)
CREATE OR REPLACE MACRO ovs_strs(l) AS
    '["set",' || CAST(to_json(coalesce(l, [])) AS VARCHAR) || ']';
CREATE OR REPLACE MACRO ovs_opt(s) AS
    CASE WHEN s IS NULL THEN '["set",[]]' ELSE CAST(to_json(s) AS VARCHAR) END;
CREATE OR REPLACE MACRO ovs_uuids(l) AS
    '["set",[' || coalesce(array_to_string(
        list_sort(list_transform(l, lambda u: json_array('uuid', u)::VARCHAR)), ','), '') || ']]';
CREATE OR REPLACE MACRO ovs_where(u) AS '[["_uuid","==",' || json_array('uuid', u) || ']]';
-- an op deleting row u of table t; the start of one updating it (the
-- caller appends the row's columns and closes it with '}}')
CREATE OR REPLACE MACRO ovs_delete(t, u) AS
    '{"op":"delete","table":"' || t || '","where":' || ovs_where(u) || '}';
CREATE OR REPLACE MACRO ovs_update(t, u) AS
    '{"op":"update","table":"' || t || '","where":' || ovs_where(u) || ',"row":{';
CREATE OR REPLACE MACRO same_map(a, b) AS
    list_sort(map_entries(coalesce(a, MAP {}))) = list_sort(map_entries(coalesce(b, MAP {})));
-- a flow's external_ids, leaving out `source` (northd's C line; not ours)
CREATE OR REPLACE MACRO same_flow_ids(sb_ids, ids) AS
    list_sort(list_filter(map_entries(coalesce(sb_ids, MAP {})), lambda e: e.key <> 'source'))
    = list_sort(map_entries(ids));
"""

_OPS = """
SELECT 'Logical_DP_Group' AS tbl, step,
       CASE step WHEN 'insert'
            THEN '{"op":"insert","table":"Logical_DP_Group","uuid-name":"g' || p.dp_group
                 || '","row":{"datapaths":["set",[' || m.refs || ']]}}'
            ELSE ovs_update('Logical_DP_Group', p.sb_uuid)
                 || '"datapaths":["set",[' || m.refs || ']]}}' END AS op
FROM   group_plan p
JOIN  (SELECT g.dp_group, string_agg(d.ref, ',' ORDER BY d.name) AS refs
       FROM (SELECT dp_group, unnest(datapaths) AS name FROM group_plan
             WHERE step <> 'keep') g
       JOIN ref_Datapath_Binding d USING (name) GROUP BY g.dp_group) m USING (dp_group)
UNION ALL
SELECT 'Logical_Flow', 'insert',
       '{"op":"insert","table":"Logical_Flow","row":{"pipeline":' || ovs_str(f.pipeline)
       || ',"table_id":' || f.table_id || ',"priority":' || f.priority
       || ',"match":' || ovs_str(f.match) || ',"actions":' || ovs_str(f.actions)
       || ',"controller_meter":' || CASE WHEN f.meter = '' THEN '["set",[]]'
                                        ELSE ovs_str(f.meter) END
       || ',"tags":' || ovs_map(f.tags) || ',"external_ids":' || ovs_map(f.ext_ids)
       || ',"logical_datapath":' || coalesce(f.dp_ref, '["set",[]]')
       || ',"logical_dp_group":' || coalesce(p.ref, '["set",[]]') || '}}'
FROM   flow_join f LEFT JOIN group_plan p USING (dp_group)
WHERE  f.sb_uuid IS NULL
UNION ALL
SELECT 'Logical_Flow', 'update',
       ovs_update('Logical_Flow', f.sb_uuid)
       || '"tags":' || ovs_map(f.tags) || ',"external_ids":' || ovs_map(f.ext_ids)
       || ',"logical_datapath":' || coalesce(f.dp_ref, '["set",[]]')
       || ',"logical_dp_group":' || coalesce(p.ref, '["set",[]]') || '}}'
FROM   flow_join f LEFT JOIN group_plan p USING (dp_group)
WHERE  f.sb_uuid IS NOT NULL
  AND  (coalesce(f.dp_ref, '["set",[]]') <> ovs_uuid(f.sb_dp)
        OR coalesce(p.ref, '["set",[]]') <> ovs_uuid(f.sb_group)
        OR NOT same_flow_ids(f.sb_ext, f.ext_ids) OR NOT same_map(f.sb_tags, f.tags))
UNION ALL
SELECT 'Logical_Flow', 'delete',
       ovs_delete('Logical_Flow', sb_uuid)
FROM   cur_flow
WHERE  sb_uuid NOT IN (SELECT sb_uuid FROM flow_join WHERE sb_uuid IS NOT NULL)
"""


# a keyed table nobody syncs, for references to it (by its single key)
_NAMED_ONLY = """
CREATE TEMP VIEW name_{t} AS SELECT s._uuid AS sb_uuid, {key} AS name FROM sb_{t} s;
CREATE TEMP VIEW ref_{t} AS
SELECT name, json_array('uuid', min(sb_uuid))::VARCHAR AS ref FROM name_{t} GROUP BY name;
"""


@dataclass
class Plan:
    """The SB operations that sync the owned tables, and their counts as
    {table: {insert|update|delete: n}}; the NB operations that follow SB
    (Logical_Switch_Port.up, the columns of sql/nb/). The inserts are JSON
    text (`inserts`: operations joined by commas), sent as they are: a first
    sync inserts ~100 K rows, seconds to parse into Python and print again
    (but SB_Global's, which the daemon completes: daemon._commit)."""
    ops: list[dict]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    nb_ops: list[dict] = field(default_factory=list)
    inserts: str = ""

    def all_ops(self) -> list[dict]:
        """Every operation, inserts parsed."""
        with paused():
            return self.ops + orjson.loads(f"[{self.inserts}]")


def plan(grouped: Grouped, sb_rows: dict[str, pa.Table], nb: Database, sb: Database,
         touched: pa.Table | None = None, changed: set[str] | None = None,
         nb_rows: dict[str, pa.Table] | None = None) -> Plan:
    """The minimal operations turning `sb`'s owned tables into `grouped`
    and `sb_rows` (computed from `nb`). With `touched` (flow keys: FLOW_KEY
    columns), only the Logical_Flow rows of those keys and the groups they
    want are synced: the same operations (up to named-uuid names) as
    without it when every other key's SB flow is already as `grouped` says,
    e.g. `touched` holds the keys lflows.regroup redid since SB last synced
    and nobody else wrote SB's flows (then the daemon plans in full).
    Flows on a group SB has twice (the same datapaths) are synced too.
    With `changed` (SB table names), the other tables are taken to be as
    the last committed plan left them, desired rows included: only the
    tables in `changed` and those referencing them (their rows name rows
    that may be replaced) are synced. `nb_rows` (sql/nb/: NB table -> the
    columns northd writes back, by _uuid; with `changed`, only the tables
    that may differ) adds NB updates where NB differs."""
    generic = _generic_tables(sb_rows, sb, changed)
    if (not generic and changed is not None and touched is not None and not touched.num_rows
            and not nb_rows):
        return Plan([])         # nothing that may differ
    con = connect()
    try:
        load_macros(con)
        con.execute(_JSON_MACROS)
        con.register("want_flows", grouped.flows)
        con.register("want_groups", grouped.dp_groups)
        for name in generic:
            con.register(f"want_{name}", sb_rows[name])
        for name in ("Logical_Switch", "Logical_Switch_Port"):
            con.register(f"nb_{name}", nb[name])
        for name in {*TABLES, *OWNED, "MAC_Binding"}:
            con.register(f"sb_{name}", sb[name])
        ops = [_OPS]
        for name in _named_only(generic, sb_rows, sb):
            con.execute(_NAMED_ONLY.format(t=name, key=key_exprs(TABLES[name], "s")[0]))
        for name in generic:
            sql = table_sql(TABLES[name], sb.schema.tables, sb_rows[name].schema)
            if sql.setup:
                con.execute(sql.setup)
            ops.append(sql.ops)
        con.execute(_DP_DELETED)
        con.execute(_GROUPS)
        if touched is None:
            con.execute(_ALL_FLOWS)
        else:
            _touched_flows(con, grouped, sb["Logical_Flow"], touched)
        con.execute(_FLOWS)
        if "Port_Binding" in generic:
            ops.append(_MAC_BINDINGS)
        con.execute(f"CREATE TEMP TABLE ops AS {' UNION ALL '.join(ops)}")
        text, inserts = con.sql(f"""
            SELECT coalesce(string_agg(op, ',') FILTER (WHERE NOT ({_RAW})), ''),
                   coalesce(string_agg(op, ',') FILTER (WHERE {_RAW}), '')
            FROM   ops""").fetchall()[0]
        counted = con.sql("""
            SELECT tbl, CASE step WHEN 'modify' THEN 'update' ELSE step END AS step, count(*)
            FROM ops GROUP BY ALL""").fetchall()
        deleted = [u for (u,) in con.sql("SELECT sb_uuid FROM dp_deleted").fetchall()]
        nb_ops = ([json.loads(op) for (op,) in con.sql(_LSP_UP).fetchall()]
                  if "Port_Binding" in generic else [])
        nb_ops += _nb_updates(con, nb_rows or {}, nb)
    finally:
        con.close()
    dependents = _dependents_of_deleted_datapaths(sb, deleted, {*SPECIAL, *generic})
    counted += [(op["table"], "delete" if op["op"] == "delete" else "update", 1)
                for op in dependents]
    counts: dict[str, dict[str, int]] = {}
    for table, step, n in counted:
        steps = counts.setdefault(table, {})
        steps[step] = steps.get(step, 0) + n
    with paused():
        ops = orjson.loads(f"[{text}]")
    return Plan(ops + dependents, counts, nb_ops, inserts)


# the operations of `ops` a Plan keeps as text (Plan.inserts)
_RAW = "step = 'insert' AND tbl <> 'SB_Global'"


def _nb_updates(con, nb_rows: dict[str, pa.Table], nb: Database) -> list[dict]:
    """The NB updates that give NB's rows the written-back columns of
    `nb_rows` where they differ."""
    ops = []
    for table, want in nb_rows.items():
        columns = [c for c in want.column_names if c != "_uuid"]
        con.register(f"want_nb_{table}", want)
        con.register(f"nb_{table}", nb[table])
        differ = " OR ".join(f"w.{c} IS DISTINCT FROM n.{c}" for c in columns)
        for row in con.sql(_NB_CHANGED.format(t=table, differ=differ)).to_arrow_table().to_pylist():
            ops.append({"op": "update", "table": table,
                        "where": [["_uuid", "==", ["uuid", row["_uuid"]]]],
                        "row": {c: _ovsdb(row[c]) for c in columns}})
    return ops


def _ovsdb(value):
    """A column value as OVSDB JSON (a set for a list or no value)."""
    if isinstance(value, list) or value is None:
        return ["set", value or []]
    return value


def _touched_flows(con, grouped: Grouped, sb_flows: pa.Table, touched: pa.Table) -> None:
    """want_flows_in and sb_flows_in: the wanted and the SB flows of the
    `touched` keys, and of SB flows on groups that others replace."""
    replaced = con.sql(_REPLACED_GROUPS).to_arrow_table()["sb_uuid"].combine_chunks()
    con.register("touched", touched.select(list(FLOW_KEY)))
    con.register("sb_moving_flows", sb_flows.filter(
        pc.is_in(sb_flows["logical_dp_group"], value_set=replaced)))
    con.execute(_TOUCHED_KEYS)
    keys = con.sql("SELECT match, actions FROM touched_key").to_arrow_table()
    con.register("want_candidates", grouped.flows.filter(key_candidates(grouped.flows, keys)))
    con.register("sb_candidates", sb_flows.filter(key_candidates(sb_flows, keys)))
    con.execute(_TOUCHED_FLOWS)


def _generic_tables(sb_rows: dict[str, pa.Table], sb: Database,
                    changed: set[str] | None) -> list[str]:
    """The tables syncsql.py syncs (declared synced, with desired rows;
    not those empty on both sides; with `changed`, those in it, holding
    rows of one (children: Meter_Band in Meter) or referencing one,
    directly or not), each after the tables it references. (A table left
    out is as SB has it: others reference its rows there.)"""
    todo = {name for name in sb_rows
            if name in TABLES and TABLES[name].sync and name not in SPECIAL
            and (sb_rows[name].num_rows or sb[name].num_rows)}
    refs = {name: refs_of(TABLES[name], sb.schema.tables, sb_rows[name].schema)
            for name in todo}
    if changed is not None:
        dirty = set(changed) | {
            name for name in todo
            if children_of(TABLES[name], sb.schema.tables, sb_rows[name].schema) & changed}
        while grown := {name for name in todo - dirty if refs[name] & dirty}:
            dirty |= grown
        todo &= dirty
    order: list[str] = []

    def visit(name: str) -> None:
        if name in todo and name not in order:
            todo.discard(name)
            for ref in sorted(refs[name]):
                visit(ref)
            order.append(name)
    for name in sorted(todo):
        visit(name)
    return order


def _named_only(generic: list[str], sb_rows: dict[str, pa.Table], sb: Database) -> set[str]:
    """The keyed tables the generic ones (or flows: Datapath_Binding)
    reference that are not synced here (Chassis, and tables SB has as they
    should be): referenced as SB has them."""
    refs = {"Datapath_Binding"}.union(*(refs_of(TABLES[t], sb.schema.tables, sb_rows[t].schema)
                                        for t in generic))
    return {t for t in refs if t not in generic and t not in SPECIAL}


def _dependents_of_deleted_datapaths(sb: Database, deleted: list[str],
                                     synced: set[str]) -> list[dict]:
    """What other SB tables hold on deleted datapaths and would keep them
    from going: rows bound to one (Port_Binding, Multicast_Group,
    MAC_Binding, IP_Multicast, ...: a strong reference, or a weak one that
    may not become empty) are deleted; strong sets of them (DNS,
    Load_Balancer) lose those members."""
    if not deleted:
        return []
    gone = set(deleted)
    ops = []
    for table in sb.schema.tables.values():
        columns = [c for c in table.columns.values()
                   if c.ref_table == "Datapath_Binding"
                   and (c.ref_type == "strong" or c.kind == "scalar")]
        for column in columns if table.name not in synced else []:
            for row in sb[table.name].select(["_uuid", column.name]).to_pylist():
                value = row[column.name]
                hit = sorted(set(value if column.kind == "set" else [value]) & gone)
                where = [["_uuid", "==", ["uuid", row["_uuid"]]]]
                if hit and column.kind == "set":
                    ops.append({"op": "mutate", "table": table.name, "where": where,
                                "mutations": [[column.name, "delete",
                                               ["set", [["uuid", u] for u in hit]]]]})
                elif hit:
                    ops.append({"op": "delete", "table": table.name, "where": where})
    return ops
