-- NAT/LB stage defaults, per router: defrag, unsnat, dnat, undnat,
-- post_undnat, snat, post_snat, egr_loop, ecmp_stateful and
-- chk_dnat_local advance by default; with an LB VIP, established and
-- related (ct_lb_related) sessions keep their skip/force-SNAT flags; a
-- gateway router with NAT or LB VIPs un-DNATs in the egress pipeline; one
-- with NAT rows marks natted sessions as DNATed to a local IP.
-- northd: build_lrouter_nat_defrag_and_lb; ovn-northd(8): "Ingress Table 4:
--   UNSNAT", "Ingress Table 5: DEFRAG", "Ingress Table 7: DNAT", "Egress
--   Table 0-5".
-- Owner: the logical router. (NAT entries and force-SNAT addresses: the
-- build_lrouter_*nat* and build_lrouter_force_snat_flows rule files.)
WITH r AS (
    SELECT CASE WHEN ct_no_masked_label() THEN 'ct_mark' ELSE 'ct_label' END AS ct_flag,
           ct_lb_related() AS ct_lb_related
)
SELECT c.datapath, f.stage, f.priority, f.match, f.actions
FROM   lr_conditions c
JOIN   (SELECT v.* FROM r, LATERAL (VALUES
    ('always', 'lr_in_defrag',          0, '1', 'next;', true),
    ('always', 'lr_in_unsnat',          0, '1', 'next;', true),
    ('always', 'lr_out_chk_dnat_local', 0, '1', 'reg9[4] = 0; next;', true),
    ('always', 'lr_out_snat',           0, '1', 'next;', true),
    ('always', 'lr_in_dnat',            0, '1', 'next;', true),
    ('always', 'lr_out_undnat',         0, '1', 'next;', true),
    ('always', 'lr_out_post_undnat',    0, '1', 'next;', true),
    ('always', 'lr_out_post_snat',      0, '1', 'next;', true),
    ('always', 'lr_out_egr_loop',       0, '1', 'next;', true),
    ('always', 'lr_in_ecmp_stateful',   0, '1', 'next;', true),
    ('lb_vip', 'lr_in_dnat', 70, 'ct.rel && !ct.est && !ct.new && ' || r.ct_flag || '.skip_snat == 1',
        'flags.skip_snat_for_lb = 1; ct_commit_nat;', r.ct_lb_related),
    ('lb_vip', 'lr_in_dnat', 70, 'ct.rel && !ct.est && !ct.new && ' || r.ct_flag || '.force_snat == 1',
        'flags.force_snat_for_lb = 1; ct_commit_nat;', r.ct_lb_related),
    ('lb_vip', 'lr_in_dnat', 50, 'ct.rel && !ct.est && !ct.new', 'ct_commit_nat;', r.ct_lb_related),
    ('lb_vip', 'lr_in_dnat', 70, 'ct.est && !ct.rel && !ct.new && ' || r.ct_flag || '.natted && '
        || r.ct_flag || '.skip_snat == 1', 'flags.skip_snat_for_lb = 1; next;', true),
    ('lb_vip', 'lr_in_dnat', 70, 'ct.est && !ct.rel && !ct.new && ' || r.ct_flag || '.natted && '
        || r.ct_flag || '.force_snat == 1', 'flags.force_snat_for_lb = 1; next;', true),
    ('lb_vip', 'lr_in_dnat', 50, 'ct.est && !ct.rel && !ct.new && ' || r.ct_flag || '.natted',
        'next;', true),
    ('gw_router_nat_or_lb', 'lr_out_undnat', 100, 'nd || nd_rs || nd_ra', 'next;', true),
    ('gw_router_nat_or_lb', 'lr_out_undnat',  50, 'ip', 'flags.loopback = 1; ct_dnat;', true),
    ('gw_router_nat_or_lb', 'lr_out_post_undnat', 50, 'ip && ct.new', 'ct_commit { } ; next; ',
        true),
    ('always', 'lr_out_snat',         120, 'nd_ns', 'next;', true),
    ('nat_router_with_nat', 'lr_out_chk_dnat_local', 50, 'ip && ' || r.ct_flag || '.natted == 1',
        'reg9[4] = 1; next;', true)
) AS v(cond, stage, priority, match, actions, enabled) WHERE v.enabled) AS f ON f.cond = c.cond
