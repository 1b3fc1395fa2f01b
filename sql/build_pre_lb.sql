-- ls_in_pre_lb / ls_out_pre_lb, per switch: keep multicast, ND/MLD,
-- service-monitor and stateless traffic out of conntrack; with an LB VIP send
-- all IP to conntrack for (un)NAT (reg0[2]).
-- northd: build_pre_lb
-- ovn-northd(8): "Ingress Table 5: Pre-LB", "Egress Table 1: Pre-LB"
-- Owner: the logical switch. (Router/localnet port skips and the
-- interconnect IGMP/MLD punts come with ports.)
SELECT c.datapath, f.stage, f.priority, f.match, f.actions
FROM   ls_conditions c
JOIN   (VALUES
    ('always', 'ls_in_pre_lb',  110, 'eth.mcast', 'next;'),
    ('always', 'ls_out_pre_lb', 110, 'eth.mcast', 'next;'),
    ('always', 'ls_in_pre_lb',  110, 'nd || nd_rs || nd_ra || mldv1 || mldv2', 'next;'),
    ('always', 'ls_out_pre_lb', 110, 'nd || nd_rs || nd_ra || mldv1 || mldv2', 'next;'),
    ('always', 'ls_in_pre_lb',  110, 'eth.dst == $svc_monitor_mac', 'next;'),
    ('always', 'ls_out_pre_lb', 110, 'eth.src == $svc_monitor_mac', 'next;'),
    ('always', 'ls_in_pre_lb',    0, '1', 'next;'),
    ('always', 'ls_out_pre_lb',   0, '1', 'next;'),
    ('always', 'ls_in_pre_lb',  110, 'reg0[16] == 1', 'next;'),
    ('always', 'ls_out_pre_lb', 110, 'reg0[16] == 1', 'next;'),
    ('lb_vip', 'ls_in_pre_lb',  100, 'ip', 'reg0[2] = 1; next;'),
    ('lb_vip', 'ls_out_pre_lb', 100, 'ip', 'reg0[2] = 1; next;')
) AS f(cond, stage, priority, match, actions) ON f.cond = c.cond
