-- ls_in_pre_stateful / ls_out_pre_stateful, per switch: reg0[2] -> ct_lb
-- (un-NAT), reg0[0] -> ct_next (defragment), else next.
-- northd: build_pre_stateful
-- ovn-northd(8): "Ingress Table 6: Pre-stateful", "Egress Table 2: Pre-stateful"
-- Owner: the logical switch. (The priority-120 VIP flows come with LBs.)
SELECT c.datapath, f.stage, f.priority, f.match, f.actions
FROM   ls_conditions c
JOIN   (VALUES
    ('always', 'ls_in_pre_stateful',    0, '1', 'next;'),
    ('always', 'ls_out_pre_stateful',   0, '1', 'next;'),
    ('always', 'ls_in_pre_stateful',  110, 'reg0[2] == 1', ct_lb_action()),
    ('always', 'ls_out_pre_stateful', 110, 'reg0[2] == 1', ct_lb_action()),
    ('always', 'ls_in_pre_stateful',  100, 'reg0[0] == 1', 'ct_next;'),
    ('always', 'ls_out_pre_stateful', 100, 'reg0[0] == 1', 'ct_next;')
) AS f(cond, stage, priority, match, actions) ON f.cond = c.cond
