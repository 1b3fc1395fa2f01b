-- ls_in_acl / ls_out_acl / ls_in_acl_after_lb defaults, per switch: the
-- default verdict (next, or drop with default_acl_drop once ACLs exist), the
-- stateful commit/invalid/reply/related flows, the IPv6 ND/MLD exemption and
-- the DNS-reply and service-monitor bypasses.
-- northd: build_acls
-- ovn-northd(8): "Ingress table 8: from-lport ACLs before LB",
--   "Ingress table 17: from-lport ACLs after LB", "Egress Table 4: to-lport ACLs"
-- Owner: the logical switch. (ACL rows come with consider_acl, DHCP reply
-- bypasses with build_acls_dhcp_replies.)
WITH s AS (
    SELECT ct_blocked() AS blocked,
           CASE WHEN use_ct_inv() THEN 'ct.inv || ' ELSE '' END AS inv_or,
           CASE WHEN use_ct_inv() THEN ' && !ct.inv' ELSE '' END AS and_not_inv
)
SELECT c.datapath, f.stage, f.priority, f.match, f.actions
FROM   ls_conditions c
JOIN   (SELECT v.* FROM s, LATERAL (VALUES
    ('no_acls_no_lb_vip', 'ls_in_acl',          65535, '1', 'next;'),
    ('no_acls_no_lb_vip', 'ls_out_acl',         65535, '1', 'next;'),
    ('no_acls_lb_vip',    'ls_in_acl',              0, '1', 'next;'),
    ('no_acls_lb_vip',    'ls_out_acl',             0, '1', 'next;'),
    ('no_acls',           'ls_in_acl_after_lb',     0, '1', 'next;'),
    ('acls',              'ls_in_acl',              0, '1', default_acl_action('next;')),
    ('acls',              'ls_out_acl',             0, '1', default_acl_action('next;')),
    ('acls',              'ls_in_acl_after_lb',     0, '1', default_acl_action('next;')),
    ('stateful', 'ls_in_acl',  1, 'ip && ct.est && ' || s.blocked || ' == 1',
                                  'reg0[1] = 1; next;'),
    ('stateful', 'ls_out_acl', 1, 'ip && ct.est && ' || s.blocked || ' == 1',
                                  'reg0[1] = 1; next;'),
    ('stateful', 'ls_in_acl',  1, 'ip && !ct.est', default_acl_action('reg0[1] = 1; next;')),
    ('stateful', 'ls_out_acl', 1, 'ip && !ct.est', default_acl_action('reg0[1] = 1; next;')),
    ('stateful', 'ls_in_acl',  65532,
        s.inv_or || '(ct.est && ct.rpl && ' || s.blocked || ' == 1)', drop_action()),
    ('stateful', 'ls_out_acl', 65532,
        s.inv_or || '(ct.est && ct.rpl && ' || s.blocked || ' == 1)', drop_action()),
    ('stateful', 'ls_in_acl',  65532,
        'ct.est && !ct.rel && !ct.new' || s.and_not_inv || ' && ct.rpl && ' || s.blocked || ' == 0',
        'reg0[9] = 0; reg0[10] = 0; reg0[17] = 1; next;'),
    ('stateful', 'ls_out_acl', 65532,
        'ct.est && !ct.rel && !ct.new' || s.and_not_inv || ' && ct.rpl && ' || s.blocked || ' == 0',
        'next;'),
    ('stateful', 'ls_in_acl',  65532,
        '!ct.est && ct.rel && !ct.new' || s.and_not_inv || ' && ' || s.blocked || ' == 0',
        'reg0[17] = 1; ' || ct_commit_nat_or_next()),
    ('stateful', 'ls_out_acl', 65532,
        '!ct.est && ct.rel && !ct.new' || s.and_not_inv || ' && ' || s.blocked || ' == 0',
        ct_commit_nat_or_next()),
    ('stateful', 'ls_in_acl_after_lb', 65532, 'reg0[17] == 1', 'next;'),
    ('always',   'ls_in_acl',          65532, 'nd || nd_ra || nd_rs || mldv1 || mldv2', 'next;'),
    ('always',   'ls_out_acl',         65532, 'nd || nd_ra || nd_rs || mldv1 || mldv2', 'next;'),
    ('always',   'ls_in_acl_after_lb', 65532, 'nd || nd_ra || nd_rs || mldv1 || mldv2', 'next;'),
    ('dns_records_stateless', 'ls_out_acl', 34000, 'udp.src == 53', 'next;'),
    ('dns_records_stateful',  'ls_out_acl', 34000, 'udp.src == 53', 'ct_commit; next;'),
    ('acls_or_lb_vip', 'ls_in_acl',  34000, 'eth.dst == $svc_monitor_mac', 'next;'),
    ('acls_or_lb_vip', 'ls_out_acl', 34000, 'eth.src == $svc_monitor_mac', 'next;')
) AS v(cond, stage, priority, match, actions)) AS f ON f.cond = c.cond
