-- lr_in_ip_routing per static route: priority plen * 3 + 1 (dst-ip; the
-- route table id in reg7, 0 for the main table), plen * 3 + 2
-- (options:origin=connected) or plen * 3 (src-ip). A route alone for its
-- prefix sends to its nexthop (or the destination itself) through its
-- output port, or drops for "discard"; several routes for one prefix form
-- an ECMP group: lr_in_ip_routing selects a member, lr_in_ip_routing_ecmp
-- p100 sends to that member's nexthop. A unique route out of a port with
-- BFD also gets a flow one priority up for BFD packets (udp.dst 3784)
-- that does not decrement the TTL.
-- northd: build_static_route_flows_for_lrouter, build_static_route_flow,
--   build_ecmp_route_flow, add_route; ovn-northd(8): "Ingress Table 11: IP
--   Routing", "Ingress Table 12: IP_ROUTING_ECMP".
-- Owner: the static route (an ECMP group's flow: its first route).
WITH unique_routes AS (
    SELECT k.*, k.out_lrp AS lrp,
           CASE WHEN k.family = 'ipv6' AND starts_with(k.prefix_bits, '1111111010')
                     AND NOT k.discard THEN 'inport == ' || f.json_key || ' && ' ELSE '' END
           || route_match(k.rtb_id, k.connected, k.is_src, k.family, k.prefix, k.plen) AS match
    FROM   static_route_keys k
    LEFT JOIN lrp_facts f ON f.lrp = k.out_lrp
    WHERE  k.n_members = 1
)
SELECT CASE WHEN u.discard THEN u.datapath ELSE f.datapath END AS datapath,
       'lr_in_ip_routing' AS stage,
       route_priority(u.connected, u.is_src, u.plen) AS priority, u.match,
       CASE WHEN u.discard THEN drop_action()
            ELSE 'ip.ttl--; ' || route_out_actions(u.family, u.nexthop, u.src, f.mac, f.json_key)
       END AS actions,
       hint(u.route) AS stage_hint,
       'Logical_Router_Static_Route' AS owner_table, u.route AS owner
FROM   unique_routes u
LEFT JOIN lrp_facts f ON f.lrp = u.out_lrp
UNION ALL
-- a route out of a port with BFD: BFD packets keep their TTL (one above)
SELECT f.datapath, 'lr_in_ip_routing', route_priority(u.connected, u.is_src, u.plen) + 1,
       u.match || ' && udp.dst == 3784',
       route_out_actions(u.family, u.nexthop, u.src, f.mac, f.json_key),
       hint(u.route), 'Logical_Router_Static_Route', u.route
FROM   unique_routes u
JOIN   lrp_bfd USING (lrp)
JOIN   lrp_facts f ON f.lrp = u.out_lrp
WHERE  NOT u.discard
UNION ALL
SELECT datapath, 'lr_in_ip_routing', route_priority(connected, is_src, plen),
       route_match(rtb_id, connected, is_src, family, prefix, plen),
       'ip.ttl--; flags.loopback = 1; reg8[0..15] = ' || CAST(ecmp_group AS VARCHAR)
       || '; reg8[16..31] = select(' || members || ');',
       NULL, 'Logical_Router_Static_Route', first_route
FROM   ecmp_groups
UNION ALL
SELECT k.datapath, 'lr_in_ip_routing_ecmp', 100,
       'reg8[0..15] == ' || CAST(k.ecmp_group AS VARCHAR) || ' && reg8[16..31] == '
       || CAST(k.member_id AS VARCHAR),
       nexthop_regs(k.family, k.nexthop, k.src, f.mac, f.json_key) || 'next;',
       hint(k.route), 'Logical_Router_Static_Route', k.route
FROM   static_route_keys k
JOIN   lrp_facts f ON f.lrp = k.out_lrp
WHERE  k.n_members > 1
