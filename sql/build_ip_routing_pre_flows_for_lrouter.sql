-- lr_in_ip_routing_pre default, per router: route table 0 (reg7).
-- northd: build_ip_routing_pre_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 12: IP Routing Pre".
-- Owner: the logical router.
SELECT lr.datapath, 'lr_in_ip_routing_pre' AS stage, 0 AS priority, '1' AS match,
       'reg7 = 0; next;' AS actions
FROM   lr_datapaths lr
