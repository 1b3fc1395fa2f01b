-- ls_in_pre_acl / ls_out_pre_acl, per switch: allow by default, skip
-- service-monitor traffic, and with a stateful ACL send IP to conntrack for
-- defragmentation (reg0[0]) except ND/MLD/DHCPv6 and multicast.
-- northd: build_pre_acls
-- ovn-northd(8): "Ingress Table 4: from-lport Pre-ACLs",
--   "Egress Table 0: to-lport Pre-ACLs"
-- Owner: the logical switch. (Router/localnet port skips and stateless
-- filters come with ports and ACLs.)
SELECT c.datapath, f.stage, f.priority, f.match, f.actions
FROM   ls_conditions c
JOIN   (VALUES
    ('always',       'ls_in_pre_acl',    0, '1', 'next;'),
    ('always',       'ls_out_pre_acl',   0, '1', 'next;'),
    ('always',       'ls_in_pre_acl',  110, 'eth.dst == $svc_monitor_mac', 'next;'),
    ('always',       'ls_out_pre_acl', 110, 'eth.src == $svc_monitor_mac', 'next;'),
    ('stateful_acl', 'ls_in_pre_acl',  110,
        'nd || nd_rs || nd_ra || mldv1 || mldv2 || (udp && udp.src == 546 && udp.dst == 547)',
        'next;'),
    ('stateful_acl', 'ls_out_pre_acl', 110,
        'nd || nd_rs || nd_ra || mldv1 || mldv2 || (udp && udp.src == 546 && udp.dst == 547)',
        'next;'),
    ('stateful_acl', 'ls_in_pre_acl',  110, 'eth.mcast', 'next;'),
    ('stateful_acl', 'ls_out_pre_acl', 110, 'eth.mcast', 'next;'),
    ('stateful_acl', 'ls_in_pre_acl',  100, 'ip', 'reg0[0] = 1; next;'),
    ('stateful_acl', 'ls_out_pre_acl', 100, 'ip', 'reg0[0] = 1; next;')
) AS f(cond, stage, priority, match, actions) ON f.cond = c.cond
