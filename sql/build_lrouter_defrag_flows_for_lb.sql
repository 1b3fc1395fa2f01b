-- lr_in_defrag p100 per LB VIP on the LB's routers: traffic to the VIP goes
-- through conntrack (ct_dnat) to be defragmented and tracked. One row for
-- the LB's router set.
-- northd: build_lrouter_defrag_flows_for_lb; ovn-northd(8): "Ingress Table 5:
--   DEFRAG".
-- Owner: the load balancer.
-- Per owner: lb_router_sets(lb), lb_vips(lb)
SELECT NULL AS datapath, rs.dp_set_prefix || 'all' AS dp_set, 'lr_in_defrag' AS stage,
       100 AS priority, 'ip && ' || v.ip_match || '.dst == ' || v.vip AS match,
       'ct_dnat;' AS actions,
       hint(v.lb) AS stage_hint, 'Load_Balancer' AS owner_table, v.lb AS owner
FROM   lb_vips v
JOIN   lb_router_sets rs ON rs.lb = v.lb
