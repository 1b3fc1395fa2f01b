"""Read the Logical_Flow rows of a mirrored Southbound DB into SB_FLOWS form,
with datapaths named by their NB uuids (Datapath_Binding external_ids)."""
from __future__ import annotations

import pyarrow as pa

from .lflows import SB_FLOWS
from .mirror import Database
from .engine import connect


def read_sb_flows(sb: Database) -> pa.Table:
    con = connect()
    for name in ("Logical_Flow", "Logical_DP_Group", "Datapath_Binding"):
        con.register(name, sb[name])
    table = con.sql("""
        WITH dp AS (
            SELECT _uuid, coalesce(external_ids['logical-switch'],
                                   external_ids['logical-router']) AS nb_uuid
            FROM Datapath_Binding),
        grp AS (
            SELECT g._uuid, list(dp.nb_uuid ORDER BY dp.nb_uuid) AS datapaths
            FROM (SELECT _uuid, unnest(datapaths) AS d FROM Logical_DP_Group) g
            JOIN dp ON dp._uuid = g.d
            GROUP BY g._uuid)
        SELECT f.pipeline, f.table_id, f.external_ids['stage-name'] AS stage,
               f.priority, f.match, f.actions,
               nullif(f.controller_meter, '') AS ctrl_meter,
               f.tags['in_out_port'] AS io_port,
               f.external_ids['stage-hint'] AS stage_hint,
               coalesce(grp.datapaths, [dp.nb_uuid]) AS datapaths,
               CASE WHEN grp._uuid IS NULL THEN dp.nb_uuid END AS logical_datapath,
               CAST(NULL AS BIGINT) AS dp_group
        FROM Logical_Flow f
        LEFT JOIN dp ON dp._uuid = f.logical_datapath
        LEFT JOIN grp ON grp._uuid = f.logical_dp_group
        ORDER BY stage, f.priority DESC, f.match, f.actions""").to_arrow_table()
    con.close()
    return table.cast(SB_FLOWS)
