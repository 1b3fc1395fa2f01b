-- ls_in_lb default and ls_in/out_stateful, per switch: commit connections
-- flagged by reg0[1], clearing the blocked bit and storing the ACL label
-- when reg0[13] says so.
-- northd: build_stateful
-- ovn-northd(8): "Ingress Table 12: LB", "Ingress Table 18: Stateful",
--   "Egress Table 7: Stateful"
-- Owner: the logical switch.
SELECT ls.datapath, d.stage, 0 AS priority, '1' AS match, 'next;' AS actions
FROM   ls_datapaths ls,
       (VALUES ('ls_in_lb'), ('ls_in_stateful'), ('ls_out_stateful')) AS d(stage)
UNION ALL
SELECT ls.datapath, d.stage, 100, 'reg0[1] == 1 && reg0[13] == ' || CAST(l.label AS VARCHAR),
       'ct_commit { ' || ct_blocked() || ' = 0; '
       || CASE WHEN l.label = 1 THEN 'ct_label.label = reg3; ' ELSE '' END || '}; next;'
FROM   ls_datapaths ls,
       (VALUES ('ls_in_stateful'), ('ls_out_stateful')) AS d(stage),
       (VALUES (0), (1)) AS l(label)
