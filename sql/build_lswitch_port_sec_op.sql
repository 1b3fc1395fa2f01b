-- Disabled ports: mark their ingress for drop (reg0[15]) and drop traffic
-- addressed to them in ls_in_l2_unknown; vtep ports bypass the pipeline.
-- northd: build_lswitch_port_sec_op; ovn-northd(8): "Ingress Table 0:
--   Admission control and ingress port security check", "Ingress Table 26:
--   Destination unknown".
-- Owner: the logical switch port. (qdisc queues come with QoS.)
-- Per owner: ls_ports(lsp)
SELECT p.datapath, f.stage, f.priority, f.match, f.actions,
       p.name AS io_port, hint(p.lsp) AS stage_hint,
       'Logical_Switch_Port' AS owner_table, p.lsp AS owner
FROM   ls_ports p,
       LATERAL (VALUES
           ('ls_in_check_port_sec', 100, 'inport == ' || p.json_key, 'reg0[15] = 1; next;'),
           ('ls_in_l2_unknown',      50, 'outport == ' || p.json_key, drop_action())
       ) AS f(stage, priority, match, actions)
WHERE  NOT p.enabled AND p.type <> 'external'
UNION ALL
-- vtep ports skip straight to the hairpin stage, flagged in reg0[14].
SELECT p.datapath, 'ls_in_check_port_sec', 70, 'inport == ' || p.json_key,
       'reg0[14] = 1; next(pipeline=ingress, table=' || stage_table('ls_in_hairpin') || ');',
       p.name, hint(p.lsp), 'Logical_Switch_Port', p.lsp
FROM   ls_ports p
WHERE  p.enabled AND p.type = 'vtep'
