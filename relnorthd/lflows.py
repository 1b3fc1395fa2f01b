"""Datapath groups: rule output -> SB-shaped logical flows.

The counterpart of northd's lflow manager. Rows are grouped by the flow key
(stage, priority, match, actions, ctrl_meter); each group becomes one SB flow
over the set of datapaths that produced it. A set of one datapath is the
flow's `logical_datapath`; a larger set is a Logical_DP_Group, one per
distinct set, shared by every flow with that set.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from .contract import DP_SETS
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
    ("datapaths", pa.list_(pa.string())),    # sorted NB uuids
    ("logical_datapath", pa.string()),       # set when one datapath
    ("dp_group", pa.int64()),                # Logical_DP_Group id when several
])

DP_GROUPS = pa.schema([("dp_group", pa.int64()), ("datapaths", pa.list_(pa.string()))])


@dataclass(frozen=True)
class Grouped:
    flows: pa.Table       # SB_FLOWS
    dp_groups: pa.Table   # DP_GROUPS


def group(flows: pa.Table, dp_sets: pa.Table | None = None) -> Grouped:
    """Group flow-contract rows into SB flows and shared datapath groups.

    A key's datapaths are those of its rows; a dp_set row contributes its
    set's members. A key made of a single set (the common case for LB
    flows) takes the set's member list as is, without expanding rows.
    in_out_port and stage-hint are not part of the key; when datapaths that
    share a flow disagree on them the smallest value is kept.
    """
    con = connect()
    con.register("flows", flows)
    con.register("dp_sets", dp_sets if dp_sets is not None else DP_SETS.empty_table())
    # Datapath lists are compared by a signature (md5 of the sorted list),
    # computed once per set for set rows.
    con.execute("""
        CREATE TEMP TABLE set_members AS
        SELECT dp_set, datapaths, md5(array_to_string(datapaths, ' ')) AS sig
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
        WHERE sets IS NOT NULL AND (singles IS NOT NULL OR len(sets) > 1)""")
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
        SELECT *, len(datapaths) AS n, md5(array_to_string(datapaths, ' ')) AS sig FROM lists
        UNION ALL
        SELECT k.* EXCLUDE (singles, sets), m.datapaths, len(m.datapaths), m.sig
        FROM by_key k JOIN set_members m ON m.dp_set = k.sets[1]
        WHERE k.singles IS NULL AND len(k.sets) = 1""")
    con.execute("""
        CREATE TEMP TABLE groups AS
        SELECT CAST(row_number() OVER (ORDER BY datapaths) AS BIGINT) AS dp_group, sig, datapaths
        FROM (SELECT sig, any_value(datapaths) AS datapaths FROM keyed WHERE n > 1 GROUP BY sig)""")
    sb_flows = con.sql("""
        SELECT k.pipeline, k.table_id, k.stage, k.priority, k.match, k.actions,
               k.ctrl_meter, k.io_port, k.stage_hint, k.datapaths,
               CASE WHEN k.n = 1 THEN k.datapaths[1] END AS logical_datapath,
               g.dp_group
        FROM keyed k LEFT JOIN groups g ON g.sig = k.sig AND k.n > 1
        ORDER BY k.stage, k.priority DESC, k.match, k.actions""").to_arrow_table()
    dp_groups = con.sql("SELECT dp_group, datapaths FROM groups ORDER BY dp_group").to_arrow_table()
    con.close()
    return Grouped(sb_flows.cast(SB_FLOWS), dp_groups.cast(DP_GROUPS))
