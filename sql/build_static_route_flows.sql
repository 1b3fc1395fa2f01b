-- lr_in_ip_routing per static route that is the only one for its prefix
-- (no ECMP): priority plen * 3 + 1 (dst-ip routes, reg7 == 0 for the main
-- route table), plen * 3 + 2 (options:origin=connected) or plen * 3
-- (src-ip); send to the nexthop (or the destination itself) through the
-- output port, or drop for a "discard" nexthop. The output port is
-- options:output_port, else the first router port with a network holding
-- the nexthop; the source address is that port's address in the nexthop's
-- network, else its first address of the family.
-- northd: build_static_route_flows_for_lrouter, parsed_routes_add,
--   find_static_route_outport, build_static_route_flow, add_route;
--   ovn-northd(8): "Ingress Table 11: IP Routing".
-- Owner: the static route. (Route tables, ECMP and BFD-tracked routes are
-- not covered yet; support.py reports them.)
WITH routes AS (
    SELECT r._uuid AS datapath, s._uuid AS route, s.nexthop, s.output_port,
           coalesce(s.policy, 'dst-ip') = 'src-ip' AS is_src,
           coalesce(opt(s.options, 'origin'), '') = 'connected' AS connected,
           s.nexthop = 'discard' AS discard, p.family, p.prefix, p.plen,
           p.prefix_bits, p.nexthop_bits
    FROM   (SELECT _uuid, unnest(static_routes) AS route FROM Logical_Router
            WHERE coalesce(enabled, true)) r
    JOIN   Logical_Router_Static_Route s ON s._uuid = r.route
    JOIN   route_parsed p ON p.route = s._uuid
    WHERE  s.route_table = '' AND s.bfd IS NULL
),
unique_routes AS (      -- one route per (router, prefix, policy): no ECMP
    SELECT * FROM (SELECT *, count(*) OVER (PARTITION BY datapath, prefix, plen, is_src) AS n
                   FROM routes) r
    WHERE  n = 1
),
member AS (             -- router ports with a network holding the nexthop
    SELECT u.route, i.lrp, i.datapath AS port_router, min_by(i.addr, i.ip_index) AS addr
    FROM   unique_routes u
    JOIN   lrp_ips i ON i.family = u.family AND in_network(u.nexthop_bits, i.bits, i.plen)
    GROUP  BY u.route, i.lrp, i.datapath
),
out_port AS (
    SELECT u.route, named.lrp, coalesce(m.addr, first_ip.addr) AS src
    FROM   unique_routes u
    JOIN   lr_ports named ON named.name = u.output_port
    LEFT JOIN member m ON m.route = u.route AND m.lrp = named.lrp
    LEFT JOIN lrp_ips first_ip
           ON first_ip.lrp = named.lrp AND first_ip.family = u.family AND first_ip.ip_index = 0
    UNION ALL
    SELECT u.route, min(m.lrp), min_by(m.addr, m.lrp)
    FROM   unique_routes u
    JOIN   member m ON m.route = u.route AND m.port_router = u.datapath
    WHERE  u.output_port IS NULL
    GROUP  BY u.route
)
SELECT coalesce(f.datapath, u.datapath) AS datapath, 'lr_in_ip_routing' AS stage,
       u.plen * 3 + CASE WHEN u.is_src THEN 0 WHEN u.connected THEN 2 ELSE 1 END AS priority,
       CASE WHEN u.family = 'ipv6' AND starts_with(u.prefix_bits, '1111111010')
                 AND NOT u.discard THEN 'inport == ' || f.json_key || ' && ' ELSE '' END
       || CASE WHEN NOT u.is_src AND NOT u.connected THEN 'reg7 == 0 && ' ELSE '' END
       || CASE WHEN u.family = 'ipv4' THEN 'ip4.' ELSE 'ip6.' END
       || CASE WHEN u.is_src THEN 'src' ELSE 'dst' END || ' == ' || u.prefix || '/'
       || CAST(u.plen AS VARCHAR) AS match,
       CASE WHEN u.discard THEN drop_action()
            ELSE 'ip.ttl--; reg8[0..15] = 0; '
                 || CASE WHEN u.family = 'ipv4' THEN 'reg0 = ' ELSE 'xxreg0 = ' END
                 || CASE WHEN u.nexthop <> '' THEN u.nexthop
                         WHEN u.family = 'ipv4' THEN 'ip4.dst' ELSE 'ip6.dst' END
                 || CASE WHEN u.family = 'ipv4' THEN '; reg1 = ' ELSE '; xxreg1 = ' END
                 || o.src || '; eth.src = ' || f.mac || '; outport = ' || f.json_key
                 || '; flags.loopback = 1; next;' END AS actions,
       hint(u.route) AS stage_hint,
       'Logical_Router_Static_Route' AS owner_table, u.route AS owner
FROM   unique_routes u
LEFT JOIN out_port o ON o.route = u.route
LEFT JOIN lrp_facts f ON f.lrp = o.lrp
WHERE  u.discard OR (o.lrp IS NOT NULL AND o.src IS NOT NULL)
