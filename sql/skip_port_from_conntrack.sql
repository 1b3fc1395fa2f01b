-- Pre-ACL / pre-LB: traffic of router ports (with a peer) and localnet ports
-- bypasses conntrack: in pre-ACL when the switch has a stateful ACL, in
-- pre-LB always for router ports and for localnet ports unless the switch has
-- an LB VIP; on egress the conntrack state is cleared unless the switch has a
-- stateful ACL.
-- northd: skip_port_from_conntrack (called from build_pre_acls and
--   build_pre_lb); ovn-northd(8): "Ingress Table 4: Pre-ACLs", "Ingress
--   Table 5: Pre-LB" and their egress counterparts.
-- Owner: the port.
-- Per owner: ls_ports(lsp)
SELECT p.datapath, f.stage, 110 AS priority,
       f.dir || ' == ' || p.json_key AS match,
       CASE WHEN f.dir = 'ip && outport' AND NOT d.has_stateful_acl
            THEN 'ct_clear; next;' ELSE 'next;' END AS actions,
       p.name AS io_port, hint(p.lsp) AS stage_hint,
       'Logical_Switch_Port' AS owner_table, p.lsp AS owner
FROM   ls_ports p
JOIN   ls_datapaths d ON d.datapath = p.datapath
JOIN   (VALUES ('ls_in_pre_acl',  'ip && inport',  'pre_acl'),
               ('ls_out_pre_acl', 'ip && outport', 'pre_acl'),
               ('ls_in_pre_lb',   'ip && inport',  'pre_lb'),
               ('ls_out_pre_lb',  'ip && outport', 'pre_lb')) AS f(stage, dir, caller)
  ON  (f.caller = 'pre_acl' AND d.has_stateful_acl)
   OR (f.caller = 'pre_lb' AND (p.type = 'router' OR NOT d.has_lb_vip))
WHERE  p.type = 'localnet' OR p.peer_lrp IS NOT NULL
