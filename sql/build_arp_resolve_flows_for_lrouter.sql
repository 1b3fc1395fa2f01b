-- lr_in_arp_resolve defaults, per router: multicast needs no resolution;
-- otherwise look the next hop up in the MAC bindings.
-- northd: build_arp_resolve_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 17: ARP/ND Resolution".
-- Owner: the logical router.
SELECT lr.datapath, 'lr_in_arp_resolve' AS stage, f.priority, f.match, f.actions
FROM   lr_datapaths lr,
       (VALUES (500, 'ip4.mcast || ip6.mcast', 'next;'),
               (1, 'ip4', 'get_arp(outport, reg0); next;'),
               (1, 'ip6', 'get_nd(outport, xxreg0); next;'),
               (0, '1', drop_action())
       ) AS f(priority, match, actions)
