-- lr_in_ip_routing per static route: priority plen * 3 + 1 (dst-ip; the
-- route table id in reg7, 0 for the main table), plen * 3 + 2
-- (options:origin=connected) or plen * 3 (src-ip). A route alone for its
-- prefix sends to its nexthop (or the destination itself) through its
-- output port, or drops for "discard"; several routes for one prefix form
-- an ECMP group: lr_in_ip_routing selects a member, lr_in_ip_routing_ecmp
-- p100 sends to that member's nexthop.
-- northd: build_static_route_flows_for_lrouter, build_static_route_flow,
--   build_ecmp_route_flow, add_route; ovn-northd(8): "Ingress Table 11: IP
--   Routing", "Ingress Table 12: IP_ROUTING_ECMP".
-- Owner: the static route (an ECMP group's flow: its first route).
WITH unique_routes AS (
    SELECT * FROM static_route_keys WHERE n_members = 1
),
groups AS (             -- an ECMP group takes its first route's origin
    SELECT datapath, ecmp_group, any_value(family) AS family, any_value(prefix) AS prefix,
           any_value(plen) AS plen, any_value(is_src) AS is_src, any_value(rtb_id) AS rtb_id,
           min_by(connected, member_id) AS connected, min_by(route, member_id) AS first_route,
           ordered_join(CAST(member_id AS VARCHAR), ', ', member_id) AS members
    FROM   static_route_keys
    WHERE  n_members > 1
    GROUP  BY datapath, ecmp_group
)
SELECT CASE WHEN u.discard THEN u.datapath ELSE f.datapath END AS datapath,
       'lr_in_ip_routing' AS stage,
       route_priority(u.connected, u.is_src, u.plen) AS priority,
       CASE WHEN u.family = 'ipv6' AND starts_with(u.prefix_bits, '1111111010')
                 AND NOT u.discard THEN 'inport == ' || f.json_key || ' && ' ELSE '' END
       || route_match(u.rtb_id, u.connected, u.is_src, u.family, u.prefix, u.plen) AS match,
       CASE WHEN u.discard THEN drop_action()
            ELSE 'ip.ttl--; reg8[0..15] = 0; '
                 || CASE WHEN u.family = 'ipv4' THEN 'reg0 = ' ELSE 'xxreg0 = ' END
                 || CASE WHEN u.nexthop <> '' THEN u.nexthop
                         WHEN u.family = 'ipv4' THEN 'ip4.dst' ELSE 'ip6.dst' END
                 || CASE WHEN u.family = 'ipv4' THEN '; reg1 = ' ELSE '; xxreg1 = ' END
                 || u.src || '; eth.src = ' || f.mac || '; outport = ' || f.json_key
                 || '; flags.loopback = 1; next;' END AS actions,
       hint(u.route) AS stage_hint,
       'Logical_Router_Static_Route' AS owner_table, u.route AS owner
FROM   unique_routes u
LEFT JOIN lrp_facts f ON f.lrp = u.out_lrp
UNION ALL
SELECT datapath, 'lr_in_ip_routing', route_priority(connected, is_src, plen),
       route_match(rtb_id, connected, is_src, family, prefix, plen),
       'ip.ttl--; flags.loopback = 1; reg8[0..15] = ' || CAST(ecmp_group AS VARCHAR)
       || '; reg8[16..31] = select(' || members || ');',
       NULL, 'Logical_Router_Static_Route', first_route
FROM   groups
UNION ALL
SELECT k.datapath, 'lr_in_ip_routing_ecmp', 100,
       'reg8[0..15] == ' || CAST(k.ecmp_group AS VARCHAR) || ' && reg8[16..31] == '
       || CAST(k.member_id AS VARCHAR),
       CASE WHEN k.family = 'ipv4' THEN 'reg0 = ' ELSE 'xxreg0 = ' END || k.nexthop
       || CASE WHEN k.family = 'ipv4' THEN '; reg1 = ' ELSE '; xxreg1 = ' END || k.src
       || '; eth.src = ' || f.mac || '; outport = ' || f.json_key || '; next;',
       hint(k.route), 'Logical_Router_Static_Route', k.route
FROM   static_route_keys k
JOIN   lrp_facts f ON f.lrp = k.out_lrp
WHERE  k.n_members > 1
