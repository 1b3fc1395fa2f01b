-- lr_in_ip_routing_pre p100 per router port with options:route_table:
-- packets that come in on it are routed with that table (its id in reg7).
-- northd: build_route_table_lflow; ovn-northd(8): "Ingress Table 10: IP
--   Routing Pre".
-- Owner: the logical router port.
SELECT r.datapath, 'lr_in_ip_routing_pre' AS stage, 100 AS priority,
       'inport == "' || p.name || '"' AS match,
       'reg7 = ' || CAST(t.rtb_id AS VARCHAR) || '; next;' AS actions,
       NULL AS stage_hint, 'Logical_Router_Port' AS owner_table, p._uuid AS owner
FROM   lr_port_rows r
JOIN   Logical_Router_Port p ON p._uuid = r.lrp
JOIN   route_tables t ON t.datapath = r.datapath AND t.name = opt(p.options, 'route_table')
