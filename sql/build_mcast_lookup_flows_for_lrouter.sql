-- lr_in_ip_routing multicast, per router: drop router solicitations and
-- advertisements; with mcast_relay, drop unregistered IP multicast.
-- northd: build_mcast_lookup_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 13: IP Routing".
-- Owner: the logical router. (IGMP groups and mcast_flood ports come with
-- router ports and SB IGMP_Group.)
SELECT c.datapath, 'lr_in_ip_routing' AS stage, f.priority, f.match, drop_action() AS actions
FROM   lr_conditions c
JOIN   (VALUES ('always',      10550, 'nd_rs || nd_ra'),
               ('mcast_relay', 10450, 'ip4.mcast || ip6.mcast')
       ) AS f(cond, priority, match) ON f.cond = c.cond
