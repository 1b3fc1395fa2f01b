-- lr_in_ip_routing: a connected route per router port network (priority
-- plen * 3 + 2); link-local networks only for packets that came in on the
-- port itself.
-- northd: build_ip_routing_flows_for_lrouter_port -> add_route,
--   build_route_match; ovn-northd(8): "Ingress Table 11: IP Routing".
-- Owner: the logical router port. (Routable NAT/LB addresses of other
-- routers come with NAT and router LBs.)
SELECT datapath, 'lr_in_ip_routing' AS stage, plen * 3 + 2 AS priority,
       CASE WHEN is_lla THEN 'inport == ' || json_key || ' && ' ELSE '' END
       || CASE WHEN family = 'ipv4' THEN 'ip4' ELSE 'ip6' END || '.dst == '
       || network || '/' || CAST(plen AS VARCHAR) AS match,
       'ip.ttl--; reg8[0..15] = 0; '
       || CASE WHEN family = 'ipv4' THEN 'reg0 = ip4.dst; reg1 = '
               ELSE 'xxreg0 = ip6.dst; xxreg1 = ' END
       || addr || '; eth.src = ' || mac || '; outport = ' || json_key
       || '; flags.loopback = 1; next;' AS actions,
       hint(lrp) AS stage_hint, 'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   lrp_ips
