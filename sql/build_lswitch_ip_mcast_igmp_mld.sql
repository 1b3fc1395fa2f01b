-- ls_in_l2_lkup, IP multicast groups learnt from IGMP/MLD (SB IGMP_Group):
-- traffic to a group goes to its members, and also to relaying routers and
-- to ports that flood multicast. Groups in 224.0.0.X and ff02::1, ff02::2,
-- ff05::2 are flooded by other flows. A switch keeps at most
-- other_config:mcast_table_size groups per IP version (which ones northd
-- keeps when there are more depends on its hash order: relnorthd keeps none).
-- northd: build_lswitch_ip_mcast_igmp_mld; ovn-northd(8): "Ingress Table 25:
--   Destination lookup".
-- Owner: the logical switch.
WITH groups AS (
    SELECT g.datapath, g.name, g.proto, d.mcast_flood_relay, d.mcast_flood_static,
           count(*) OVER (PARTITION BY g.datapath, g.family) AS n_groups,
           opt_ullong(d.other_config, 'mcast_table_size', 2048) AS table_size
    FROM   igmp_groups g
    JOIN   ls_datapaths d ON d.datapath = g.datapath
    WHERE  g.l2_flow
)
SELECT datapath, 'ls_in_l2_lkup' AS stage, 90 AS priority,
       'eth.mcast && ' || proto || ' && ' || proto || '.dst == ' || name || ' ' AS match,
       CASE WHEN mcast_flood_relay
            THEN 'clone { outport = "_MC_mrouter_flood"; output; };' ELSE '' END
       || CASE WHEN mcast_flood_static THEN 'clone { outport ="_MC_static"; output; };' ELSE '' END
       || 'outport = "' || name || '"; output; ' AS actions
FROM   groups
WHERE  table_size IS NULL OR n_groups <= table_size
