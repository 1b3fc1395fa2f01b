-- The SB IGMP_Group rows (multicast groups ovn-controller learnt) northd
-- keeps: build_mcast_groups() in northd.c; ovn-sb(5) "IGMP_Group". northd
-- only deletes them (sbtables: prune): entries without a chassis or a
-- datapath, or on an SB datapath that stands for no NB datapath of this
-- run (or is a duplicate that goes).

SELECT g._uuid
FROM   sb_IGMP_Group g
JOIN   sb_datapaths s ON s.sb_datapath = g.datapath
JOIN   datapaths d ON d.datapath = s.datapath
WHERE  g.chassis IS NOT NULL
