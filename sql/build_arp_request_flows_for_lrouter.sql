-- lr_in_arp_request defaults, per router: with an unresolved next hop send
-- an ARP request (IPv4) or neighbor solicitation (IPv6); else output.
-- northd: build_arp_request_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 21: ARP Request".
-- Owner: the logical router. (Static-route next hops:
-- build_arp_request_flows_for_lrouter_routes.)
SELECT lr.datapath, 'lr_in_arp_request' AS stage, f.priority, f.match, f.actions,
       copp_meter(lr.datapath, f.copp) AS ctrl_meter
FROM   lr_datapaths lr,
       (VALUES
    (100, 'eth.dst == 00:00:00:00:00:00 && ip4',
        'arp { eth.dst = ff:ff:ff:ff:ff:ff; arp.spa = reg1; arp.tpa = reg0; arp.op = 1; output; };',
        'arp-resolve'),
    (100, 'eth.dst == 00:00:00:00:00:00 && ip6', 'nd_ns { nd.target = xxreg0; output; };',
        'nd-ns-resolve'),
    (0, '1', 'output;', NULL)
       ) AS f(priority, match, actions, copp)
