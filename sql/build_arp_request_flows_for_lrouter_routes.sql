-- lr_in_arp_request p200 per static route whose nexthop is one IPv6
-- address: solicit it at its solicited-node address (CoPP meter
-- nd-ns-resolve).
-- northd: build_arp_request_flows_for_lrouter (the static-route part);
--   ovn-northd(8): "Ingress Table 21: ARP Request".
-- Owner: the static route.
SELECT r.datapath, 'lr_in_arp_request' AS stage, 200 AS priority,
       'eth.dst == 00:00:00:00:00:00 && ip6 && xxreg0 == ' || s.nexthop AS match,
       'nd_ns { eth.dst = ' || n.sn_mac || '; ip6.dst = ' || n.sn_addr || '; nd.target = '
       || s.nexthop || '; output; };' AS actions,
       copp_meter(r.datapath, 'nd-ns-resolve') AS ctrl_meter, hint(s._uuid) AS stage_hint,
       'Logical_Router_Static_Route' AS owner_table, s._uuid AS owner
FROM   lr_route_rows r
JOIN   Logical_Router_Static_Route s ON s._uuid = r.route
JOIN   route_nexthop6 n ON n.route = s._uuid
