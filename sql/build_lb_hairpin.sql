-- ls_in_pre_hairpin / ls_in_nat_hairpin / ls_in_hairpin, per switch: with an
-- LB VIP, detect hairpinned sessions, SNAT them to the VIP and loop them
-- back; otherwise just advance.
-- northd: build_lb_hairpin
-- ovn-northd(8): "Ingress Table 14: Pre-Hairpin", "Ingress Table 15:
--   Nat-Hairpin", "Ingress Table 16: Hairpin"
-- Owner: the logical switch (also the stage hint of the LB-VIP flows).
SELECT c.datapath, f.stage, f.priority, f.match, f.actions,
       CASE WHEN f.hinted THEN hint(c.datapath) END AS stage_hint
FROM   ls_conditions c
JOIN   (VALUES
    ('always', 'ls_in_pre_hairpin', 0, '1', 'next;', false),
    ('always', 'ls_in_nat_hairpin', 0, '1', 'next;', false),
    ('always', 'ls_in_hairpin',     0, '1', 'next;', false),
    ('lb_vip', 'ls_in_pre_hairpin', 100, 'ip && ct.trk',
        'reg0[6] = chk_lb_hairpin(); reg0[12] = chk_lb_hairpin_reply(); next;', true),
    ('lb_vip', 'ls_in_nat_hairpin', 100, 'ip && ct.new && ct.trk && reg0[6] == 1',
        'ct_snat_to_vip; next;', true),
    ('lb_vip', 'ls_in_nat_hairpin', 100, 'ip && ct.est && ct.trk && reg0[6] == 1',
        'ct_snat;', true),
    ('lb_vip', 'ls_in_nat_hairpin',  90, 'ip && reg0[12] == 1', 'ct_snat;', true),
    ('lb_vip', 'ls_in_hairpin',       1, '(reg0[6] == 1 || reg0[12] == 1)',
        'eth.dst <-> eth.src; outport = inport; flags.loopback = 1; output;', false)
) AS f(cond, stage, priority, match, actions, hinted) ON f.cond = c.cond
