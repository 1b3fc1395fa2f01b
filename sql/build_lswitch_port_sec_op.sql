-- Disabled ports: mark their ingress for drop (reg0[15]) and drop traffic
-- addressed to them in ls_in_l2_unknown; vtep ports bypass the pipeline;
-- ports with a QoS queue id (port_qdisc_queues) set it first, and a
-- localnet port sets it on output too.
-- northd: build_lswitch_port_sec_op; ovn-northd(8): "Ingress Table 0:
--   Admission control and ingress port security check", "Ingress Table 26:
--   Destination unknown", "Egress Table 9: Egress Port Security - Apply".
-- Owner: the logical switch port.
-- Per owner: ls_ports(lsp), port_qdisc_queues(lsp)
WITH ports AS (         -- enabled ports but external ones, with their set_queue
    SELECT p.*, coalesce('set_queue(' || q.queue_id || '); ', '') AS set_queue,
           q.queue_id IS NOT NULL AS has_queue
    FROM   ls_ports p LEFT JOIN port_qdisc_queues q USING (lsp)
    WHERE  p.enabled AND p.type <> 'external'
)
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
-- vtep ports skip straight to the hairpin stage, flagged in reg0[14]; other
-- ports with a queue check their port security after setting it.
SELECT p.datapath, 'ls_in_check_port_sec', 70, 'inport == ' || p.json_key,
       p.set_queue || CASE WHEN p.type = 'vtep'
                           THEN 'reg0[14] = 1; next(pipeline=ingress, table='
                                || stage_table('ls_in_hairpin') || ');'
                           ELSE 'reg0[15] = check_in_port_sec(); next;' END,
       p.name, hint(p.lsp), 'Logical_Switch_Port', p.lsp
FROM   ports p
WHERE  p.type = 'vtep' OR p.has_queue
UNION ALL
SELECT p.datapath, 'ls_out_apply_port_sec', 100, 'outport == ' || p.json_key,
       p.set_queue || 'output;', p.name, hint(p.lsp), 'Logical_Switch_Port', p.lsp
FROM   ports p
WHERE  p.type = 'localnet' AND p.has_queue
