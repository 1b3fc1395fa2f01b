-- ls_in_pre_stateful p120 per LB VIP on the LB's switches (one row for the
-- LB's switch set): remember the
-- original destination (reg1/xxreg1, and the port in reg2[0..15]) for the
-- hairpin stages and send the packet to conntrack for load balancing.
-- northd: build_lb_rules_pre_stateful; ovn-northd(8): "Ingress Table 6:
--   Pre-stateful".
-- Owner: the load balancer.
-- Per owner: lb_switch_sets(lb), lb_vips(lb)
SELECT NULL AS datapath, ss.dp_set,
       'ls_in_pre_stateful' AS stage, 120 AS priority,
       'reg0[2] == 1 && ' || v.ip_match || '.dst == ' || v.vip
       || coalesce(' && ' || v.proto || '.dst == ' || v.port_str, '') AS match,
       CASE WHEN v.family = 'ipv4' THEN 'reg1' ELSE 'xxreg1' END || ' = ' || v.vip || '; '
       || coalesce('reg2[0..15] = ' || v.port_str || '; ', '')
       || CASE WHEN ct_no_masked_label() THEN 'ct_lb_mark;' ELSE 'ct_lb;' END AS actions,
       hint(v.lb) AS stage_hint, 'Load_Balancer' AS owner_table, v.lb AS owner
FROM   lb_vips v
JOIN   lb_switch_sets ss ON ss.lb = v.lb
