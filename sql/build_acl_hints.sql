-- ls_in_acl_hint / ls_out_acl_hint, per switch: with stateful ACLs or LB VIPs,
-- set the hint registers (reg0[7..10]) from the conntrack state; otherwise
-- just advance (at 65535 when the switch has neither ACLs nor LB VIPs).
-- northd: build_acl_hints
-- ovn-northd(8): "Ingress Table 7: from-lport ACL hints",
--   "Egress Table 3: from-lport ACL hints"
-- Owner: the logical switch.
SELECT c.datapath, p.stage, f.priority, f.match, f.actions
FROM   ls_conditions c
JOIN   (VALUES
    ('no_acls_no_lb_vip', 65535, '1', 'next;'),
    ('acls_or_lb_vip',        0, '1', 'next;'),
    ('stateful', 7, 'ct.new && !ct.est', 'reg0[7] = 1; reg0[9] = 1; next;'),
    ('stateful', 6, '!ct.new && ct.est && !ct.rpl && ' || ct_blocked() || ' == 1',
                    'reg0[7] = 1; reg0[9] = 1; next;'),
    ('stateful', 5, '!ct.trk', 'reg0[8] = 1; reg0[9] = 1; next;'),
    ('stateful', 4, '!ct.new && ct.est && !ct.rpl && ' || ct_blocked() || ' == 0',
                    'reg0[8] = 1; reg0[10] = 1; next;'),
    ('stateful', 3, '!ct.est', 'reg0[9] = 1; next;'),
    ('stateful', 2, 'ct.est && ' || ct_blocked() || ' == 1', 'reg0[9] = 1; next;'),
    ('stateful', 1, 'ct.est && ' || ct_blocked() || ' == 0', 'reg0[10] = 1; next;')
) AS f(cond, priority, match, actions) ON f.cond = c.cond
CROSS JOIN (VALUES ('ls_in_acl_hint'), ('ls_out_acl_hint')) AS p(stage)
