-- lr_in_ip_routing / lr_in_ip_routing_ecmp defaults, per router: drop what
-- no route matches; non-ECMP routes (group 0) pass the ECMP stage.
-- northd: build_static_route_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 13: IP Routing", "Ingress Table 14: IP_ROUTING_ECMP".
-- Owner: the logical router. (Routes and route tables come with routes.)
SELECT lr.datapath, f.stage, f.priority, f.match, f.actions
FROM   lr_datapaths lr,
       (VALUES ('lr_in_ip_routing_ecmp',   0, '1', drop_action()),
               ('lr_in_ip_routing',        0, '1', drop_action()),
               ('lr_in_ip_routing_ecmp', 150, 'reg8[0..15] == 0', 'next;')
       ) AS f(stage, priority, match, actions)
