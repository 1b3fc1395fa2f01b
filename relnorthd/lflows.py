"""Datapath groups: rule output -> SB-shaped logical flows.

The counterpart of northd's lflow manager. Rows are grouped by the flow key
(stage, priority, match, actions, ctrl_meter); each group becomes one SB flow
over the set of datapaths that produced it. A set of one datapath is the
flow's `logical_datapath`; a larger set is a Logical_DP_Group, one per
distinct set, shared by every flow with that set.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .contract import DP_SETS, FLOW_KEY
from .engine import connect

SB_FLOWS = pa.schema([
    ("pipeline", pa.string()),
    ("table_id", pa.int64()),
    ("stage", pa.string()),
    ("priority", pa.int64()),
    ("match", pa.string()),
    ("actions", pa.string()),
    ("ctrl_meter", pa.string()),
    ("io_port", pa.string()),
    ("stage_hint", pa.string()),
    ("datapaths", pa.list_(pa.string())),    # sorted NB uuids; null on a group (expanded)
    ("logical_datapath", pa.string()),       # set when one datapath
    ("dp_group", pa.int64()),                # Logical_DP_Group id when several
])

DP_GROUPS = pa.schema([("dp_group", pa.int64()), ("datapaths", pa.list_(pa.string()))])


@dataclass(frozen=True)
class Grouped:
    flows: pa.Table       # SB_FLOWS
    dp_groups: pa.Table   # DP_GROUPS

    def expanded(self) -> pa.Table:
        """`flows` with the datapaths of those on a group taken from the
        group: a copy (one Arrow take) of lists the flows do not carry, as
        those of the flows on a set of every switch are millions of names."""
        flows, groups = self.flows, self.dp_groups
        lists = groups["datapaths"].combine_chunks().take(
            pc.index_in(flows["dp_group"], value_set=groups["dp_group"]))
        i = flows.schema.get_field_index("datapaths")
        field = flows.schema.field(i)
        return flows.set_column(i, field, pc.coalesce(flows["datapaths"], lists.cast(field.type)))


def group(flows: pa.Table, dp_sets: pa.Table | None = None) -> Grouped:
    """Group flow-contract rows into SB flows and shared datapath groups.

    A key's datapaths are those of its rows; a dp_set row contributes its
    set's members. A key made of a single set (the common case for LB
    flows) takes the set's member list as is, without expanding rows.
    in_out_port and stage-hint are not part of the key; when datapaths that
    share a flow disagree on them the smallest value is kept. Groups are
    numbered from 1 in the order of their sorted datapath lists.
    """
    con = connect()
    try:
        con.register("flows", flows)
        con.register("dp_sets", dp_sets if dp_sets is not None else DP_SETS.empty_table())
        group_statements(con)
        sb_flows = con.sql(f"{SB_FLOWS_QUERY} ORDER BY {SB_FLOWS_ORDER}")
        sb_flows = sb_flows.to_arrow_table()
        dp_groups = con.sql(f"{DP_GROUPS_QUERY} ORDER BY dp_group")
        dp_groups = dp_groups.to_arrow_table().cast(DP_GROUPS)
    finally:
        con.close()
    return Grouped(sb_flows.cast(SB_FLOWS), dp_groups)


def regroup(previous: Grouped, flows: pa.Table, dp_sets: pa.Table,
            touched: pa.Table) -> Grouped:
    """`group(flows, dp_sets)`, regrouping only the `touched` flow keys of
    `previous` (the grouping of earlier flows) and keeping its other SB flows.

    `touched` (FLOW_KEY columns, others ignored) must hold every key whose
    rows differ between the flows `previous` grouped and `flows`, and every
    key with a row naming a dp_set whose members changed: `touched_keys`.
    Work follows the touched keys, plus a vectorized pass over the match
    column of `previous.flows` and `flows` (key_candidates). Group ids are
    stable: a set `previous` has keeps its id, a new set gets one above the
    largest of `previous`, a group no flow uses any more goes. So the ids
    may differ from those `group` would give (nothing outside a grouping
    relies on them but Parquet output, which shows them); the flows come
    in no particular order.
    """
    if touched.num_rows == 0:
        return previous
    keys = touched.select(list(FLOW_KEY))
    old = np.flatnonzero(key_candidates(previous.flows, keys).to_numpy())
    con = connect()
    try:
        con.register("touched", keys)
        con.register("candidates", flows.filter(key_candidates(flows, keys)))
        con.register("all_dp_sets", dp_sets)
        con.register("old_keys", previous.flows.select(list(FLOW_KEY)).take(old)
                     .append_column("i", pa.array(old)))
        con.register("old_groups", previous.dp_groups)
        con.execute(f"CREATE TEMP TABLE touched_keys AS SELECT DISTINCT {_KEY_LIST} FROM touched")
        con.execute(f"""
            CREATE TEMP TABLE flows AS
            SELECT f.* FROM candidates f SEMI JOIN touched_keys t ON {_same_key('f', 't')}""")
        con.execute("""
            CREATE TEMP TABLE dp_sets AS
            SELECT * FROM all_dp_sets WHERE dp_set IN (SELECT dp_set FROM flows)""")
        _group_keys(con)
        con.execute("""
            CREATE TEMP TABLE groups AS
            WITH sets AS (SELECT sig, any_value(datapaths) AS datapaths FROM sig_lists
                          GROUP BY sig),
                 old AS (SELECT dp_group, md5(array_to_string(datapaths, ' ')) AS sig
                         FROM old_groups)
            SELECT coalesce(o.dp_group,
                            (SELECT coalesce(max(dp_group), 0) FROM old_groups)
                            + row_number() OVER (ORDER BY o.dp_group IS NOT NULL, s.datapaths))
                       AS dp_group,
                   s.sig, s.datapaths, o.dp_group IS NULL AS new
            FROM sets s LEFT JOIN old o USING (sig)""")
        redone = con.sql(SB_FLOWS_QUERY).to_arrow_table().cast(SB_FLOWS)
        new_groups = con.sql("SELECT dp_group, datapaths FROM groups WHERE new").to_arrow_table()
        gone = con.sql(f"SELECT i FROM old_keys o SEMI JOIN touched_keys t ON "
                       f"{_same_key('o', 't')} ORDER BY i").fetchnumpy()["i"]
    finally:
        con.close()
    sb_flows = compact(pa.concat_tables([*_without(previous.flows, gone), redone]))
    groups = pa.concat_tables([previous.dp_groups, new_groups.cast(DP_GROUPS)])
    used = pc.unique(sb_flows["dp_group"].drop_null())
    groups = groups.filter(pc.is_in(groups["dp_group"], used)).sort_by("dp_group")
    return Grouped(sb_flows, groups)


def key_candidates(table: pa.Table, keys: pa.Table) -> pa.ChunkedArray:
    """A filter of `table`'s rows keeping at least those with a flow key
    among `keys`: those with one of their matches (vectorized, where a join
    on the whole key over every row would cost far more; the caller joins
    the few candidates on the key)."""
    return pc.is_in(table["match"], value_set=keys["match"].combine_chunks())


def compact(table: pa.Table) -> pa.Table:
    """`table`, made one chunk again once splicing rows in and out left it
    in more than _MAX_CHUNKS slices (a kept table is not copied each step)."""
    return table.combine_chunks() if table.column(0).num_chunks > _MAX_CHUNKS else table


_MAX_CHUNKS = 64


def _without(table: pa.Table, rows: np.ndarray) -> list[pa.Table]:
    """`table` without the rows at the sorted positions `rows`, as slices
    (no copy of the rows kept; one slice per row dropped)."""
    starts = np.concatenate([[0], rows + 1])
    ends = np.concatenate([rows, [table.num_rows]])
    return [table.slice(s, e - s)
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True) if e > s]


def touched_keys(flows: pa.Table, removed: pa.Table, added: pa.Table,
                 dp_sets_before: pa.Table, dp_sets_after: pa.Table) -> pa.Table:
    """The flow keys `regroup` must redo (FLOW_KEY columns, distinct) when
    the flow rows `removed` gave way to `added` (FLOWS rows, e.g. the old and
    new rows of the rules that ran again), so that the flows are now `flows`,
    and the dp_sets relation went from `dp_sets_before` to `dp_sets_after`:
    the keys of the removed and added rows, and those of every row of `flows`
    naming a set whose members changed."""
    parts = [removed.select(list(FLOW_KEY)), added.select(list(FLOW_KEY))]
    if dp_sets_before is not dp_sets_after:
        moved = pc.unique(pa.concat_arrays([_pairs_not_in(dp_sets_before, dp_sets_after),
                                            _pairs_not_in(dp_sets_after, dp_sets_before)]))
        parts.append(flows.filter(pc.is_in(flows["dp_set"], value_set=moved))
                     .select(list(FLOW_KEY)))
    return (pa.concat_tables(parts, promote_options="permissive")
            .group_by(list(FLOW_KEY)).aggregate([]))


def _pairs_not_in(sets: pa.Table, other: pa.Table) -> pa.Array:
    """The dp_set of every (dp_set, datapath) row of `sets` that `other` lacks."""
    def pairs(t):
        return pc.binary_join_element_wise(t["dp_set"], t["datapath"], " ").combine_chunks()
    return sets["dp_set"].combine_chunks().filter(
        pc.invert(pc.is_in(pairs(sets), value_set=pairs(other))))


_KEY_LIST = ", ".join(FLOW_KEY)


def _same_key(a: str, b: str) -> str:
    """SQL: rows a and b have the same flow key (no ctrl_meter is a value)."""
    return " AND ".join(f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" if c == "ctrl_meter"
                        else f"{a}.{c} = {b}.{c}" for c in FLOW_KEY)


# the SB flows of `keyed`, with the ids of their `groups` (the datapaths of
# a flow on a group: null, see Grouped.expanded)
SB_FLOWS_QUERY = """
    SELECT k.pipeline, k.table_id, k.stage, k.priority, k.match, k.actions,
           k.ctrl_meter, k.io_port, k.stage_hint,
           CASE WHEN k.n = 1 THEN k.datapaths END AS datapaths,
           CASE WHEN k.n = 1 THEN k.datapaths[1] END AS logical_datapath,
           g.dp_group
    FROM keyed k LEFT JOIN groups g ON g.sig = k.sig AND k.n > 1"""


DP_GROUPS_QUERY = "SELECT dp_group, datapaths FROM groups"
# the order `group` returns SB flows in: by flow key, so by nothing else
SB_FLOWS_ORDER = "stage, priority DESC, match, actions, ctrl_meter"


def group_statements(con) -> None:
    """On `con` with the flows to group as `flows` and their sets as
    `dp_sets`: table `groups` (numbered datapath groups) and what
    SB_FLOWS_QUERY reads."""
    _group_keys(con)
    con.execute("""
        CREATE TEMP TABLE groups AS
        SELECT CAST(row_number() OVER (ORDER BY datapaths) AS BIGINT) AS dp_group, sig,
               datapaths
        FROM (SELECT sig, any_value(datapaths) AS datapaths FROM sig_lists GROUP BY sig)""")


def _group_keys(con) -> None:
    """Table `keyed`: each flow key of the registered `flows` with its
    sorted datapaths (`datapaths`, `n` of them, signature `sig`), sets of
    `dp_sets` expanded; a key made of one set of several has no list but
    its set (`one_set`). View `sig_lists`: the list of each signature of
    several datapaths."""
    # Datapath lists are compared by a signature (md5 of the sorted list),
    # computed once per set for set rows.
    con.execute("""
        CREATE TEMP TABLE set_members AS
        SELECT dp_set, datapaths, md5(array_to_string(datapaths, ' ')) AS sig,
               array_length(datapaths) AS n,
               CASE WHEN array_length(datapaths) = 1 THEN datapaths END AS solo
        FROM (SELECT dp_set, list(datapath ORDER BY datapath) AS datapaths
              FROM dp_sets GROUP BY dp_set)""")
    con.execute("""
        CREATE TEMP TABLE by_key AS
        SELECT any_value(pipeline) AS pipeline, any_value(table_id) AS table_id,
               stage, priority, match, actions, ctrl_meter,
               min(io_port) AS io_port, min(stage_hint) AS stage_hint,
               list(DISTINCT datapath ORDER BY datapath)
                   FILTER (WHERE datapath IS NOT NULL) AS singles,
               list(DISTINCT dp_set) FILTER (WHERE dp_set IS NOT NULL) AS sets
        FROM flows
        GROUP BY stage, priority, match, actions, ctrl_meter""")
    con.execute("""
        CREATE TEMP VIEW mixed AS      -- keys that need their sets expanded
        SELECT * FROM by_key
        WHERE sets IS NOT NULL AND (singles IS NOT NULL OR array_length(sets) > 1)""")
    con.execute("""
        CREATE TEMP TABLE keyed AS
        WITH lists AS (
            SELECT * EXCLUDE (singles, sets), singles AS datapaths
            FROM by_key WHERE sets IS NULL
            UNION ALL
            SELECT any_value(pipeline), any_value(table_id), stage, priority, match, actions,
                   ctrl_meter, min(io_port), min(stage_hint), list(DISTINCT dp ORDER BY dp)
            FROM (SELECT * EXCLUDE (singles, sets), unnest(singles) AS dp FROM mixed
                  UNION ALL
                  SELECT k.* EXCLUDE (singles, sets, one_set), d.datapath AS dp
                  FROM (SELECT *, unnest(sets) AS one_set FROM mixed) k
                  JOIN dp_sets d ON d.dp_set = k.one_set)
            GROUP BY stage, priority, match, actions, ctrl_meter
        )
        SELECT *, array_length(datapaths) AS n, md5(array_to_string(datapaths, ' ')) AS sig,
               NULL::VARCHAR AS one_set
        FROM lists
        UNION ALL
        SELECT k.* EXCLUDE (singles, sets), m.solo, m.n, m.sig, m.dp_set
        FROM by_key k JOIN set_members m ON m.dp_set = k.sets[1]
        WHERE k.singles IS NULL AND array_length(k.sets) = 1""")
    con.execute("""
        CREATE TEMP VIEW sig_lists AS
        SELECT sig, datapaths FROM keyed WHERE n > 1 AND one_set IS NULL
        UNION ALL
        SELECT sig, datapaths FROM set_members
        WHERE  n > 1 AND dp_set IN (SELECT one_set FROM keyed)""")
