-- lr_in_ip_routing: a connected route per router port network (priority
-- plen * 3 + 2); link-local networks only for packets that came in on the
-- port itself. A port with BFD also gets a flow one priority up for BFD
-- packets (udp.dst 3784) that does not decrement the TTL.
-- northd: build_ip_routing_flows_for_lrouter_port -> add_route,
--   build_route_match; ovn-northd(8): "Ingress Table 11: IP Routing".
-- Owner: the logical router port. (Routes to other routers' routable
-- NAT/LB addresses: build_ip_routing_flows_for_router_type_lsp.sql.)
WITH routes AS (
    SELECT i.*, (i.lrp IN (SELECT lrp FROM lrp_bfd)) AS has_bfd,
           CASE WHEN is_lla THEN 'inport == ' || json_key || ' && ' ELSE '' END
           || route_match(0, true, false, family, network, plen) AS match,
           route_out_actions(family, NULL, addr, mac, json_key) AS out_actions
    FROM   lrp_ips i
)
SELECT datapath, 'lr_in_ip_routing' AS stage, plen * 3 + 2 AS priority, match,
       'ip.ttl--; ' || out_actions AS actions,
       hint(lrp) AS stage_hint, 'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   routes
UNION ALL
SELECT datapath, 'lr_in_ip_routing', plen * 3 + 3, match || ' && udp.dst == 3784',
       out_actions, hint(lrp), 'Logical_Router_Port', lrp
FROM   routes
WHERE  has_bfd
