-- lr_in_ip_input, per router: drop martian sources/destinations, ARP/ND not
-- for the router, reserved and (unless mcast_relay) IP multicast,
-- broadcast, and TTL-expired packets; advance the rest, and IGMP/MLD with
-- TTL 1 when a port floods multicast (mcast_flood).
-- northd: build_misc_local_traffic_drop_flows_for_lrouter; ovn-northd(8):
--   "Ingress Table 3: IP Input".
-- Owner: the logical router.
SELECT c.datapath, 'lr_in_ip_input' AS stage, f.priority, f.match, f.actions
FROM   lr_conditions c
JOIN   (VALUES
    ('always', 100, 'ip4.src_mcast ||ip4.src == 255.255.255.255 || ip4.src == 127.0.0.0/8 || '
                    || 'ip4.dst == 127.0.0.0/8 || ip4.src == 0.0.0.0/8 || ip4.dst == 0.0.0.0/8',
                    drop_action()),
    ('always',          85, 'arp || nd', drop_action()),
    ('always',          84, 'nd_rs || nd_ra', 'next;'),
    ('always',          83, 'ip6.mcast_rsvd', drop_action()),
    ('mcast_relay',     82, 'ip4.mcast || ip6.mcast', 'next;'),
    ('no_mcast_relay',  82, 'ip4.mcast || ip6.mcast', drop_action()),
    ('always',          50, 'eth.bcast', drop_action()),
    ('always',          32, 'ip.ttl == {0, 1} && !ip.later_frag && (ip4.mcast || ip6.mcast)',
                        drop_action()),
    ('always',          30, 'ip.ttl == {0, 1}', drop_action()),
    ('always',           0, '1', 'next;'),
    ('mcast_flood_static', 120, 'igmp && ip.ttl == 1', 'next;'),
    ('mcast_flood_static', 120, '(mldv1 || mldv2) && ip.ttl == 1', 'next;')
) AS f(cond, priority, match, actions) ON f.cond = c.cond
