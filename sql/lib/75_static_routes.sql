-- Static routes as build_static_route_flows_for_lrouter sees them
-- (parsed_routes_add, find_static_route_outport, route tables, ECMP groups).
-- Routes and router ports come in uuid order (northd's IDL order), which
-- fixes route table ids and ECMP group/member ids.

-- The static routes each enabled router lists.
CREATE OR REPLACE TEMP VIEW lr_route_rows AS
SELECT _uuid AS datapath, unnest(static_routes) AS route
FROM   Logical_Router WHERE coalesce(enabled, true);

-- Every route that parses, with the port it leaves through: options
-- output_port, else the first port of the router with a network holding the
-- nexthop; the source address is that port's address in the nexthop's
-- network, else its first address of the family. `bfd`: the BFD row
-- (bfd_sessions) tracking the route, when its dst_ip is the nexthop.
CREATE OR REPLACE TEMP TABLE lr_routes AS
WITH routes AS (
    SELECT r.datapath, s._uuid AS route, s.nexthop, s.output_port, s.route_table,
           coalesce(s.policy, 'dst-ip') = 'src-ip' AS is_src,
           coalesce(opt(s.options, 'origin'), '') = 'connected' AS connected,
           s.nexthop = 'discard' AS discard, p.family, p.prefix, p.plen,
           p.prefix_bits, p.nexthop_bits, b._uuid AS bfd, b.status AS bfd_status
    FROM   lr_route_rows r
    JOIN   Logical_Router_Static_Route s ON s._uuid = r.route
    JOIN   route_parsed p ON p.route = s._uuid
    LEFT JOIN bfd_sessions b ON b._uuid = s.bfd AND b.dst_ip = s.nexthop
),
candidate AS (          -- the ports out_port may take: the route's router's, a named one
    SELECT u.route, u.family, u.nexthop_bits, i.lrp, i.datapath, i.addr, i.ip_index,
           i.bits, i.plen
    FROM   routes u JOIN lrp_ips i ON i.datapath = u.datapath AND i.family = u.family
    UNION
    SELECT u.route, u.family, u.nexthop_bits, i.lrp, i.datapath, i.addr, i.ip_index,
           i.bits, i.plen
    FROM   routes u
    JOIN   lr_ports named ON named.name = u.output_port
    JOIN   lrp_ips i ON i.lrp = named.lrp AND i.family = u.family
),
member AS (             -- ... with a network holding the nexthop
    SELECT route, lrp, datapath AS port_router, min_by(addr, ip_index) AS addr
    FROM   candidate
    WHERE  in_network(nexthop_bits, bits, plen)
    GROUP  BY route, lrp, datapath
),
out_port AS (
    SELECT u.route, named.lrp, coalesce(m.addr, first_ip.addr) AS src
    FROM   routes u
    JOIN   lr_ports named ON named.name = u.output_port
    LEFT JOIN member m ON m.route = u.route AND m.lrp = named.lrp
    LEFT JOIN lrp_ips first_ip
           ON first_ip.lrp = named.lrp AND first_ip.family = u.family AND first_ip.ip_index = 0
    UNION ALL
    SELECT u.route, min(m.lrp), min_by(m.addr, m.lrp)
    FROM   routes u
    JOIN   member m ON m.route = u.route AND m.port_router = u.datapath
    WHERE  u.output_port IS NULL
    GROUP  BY u.route
)
SELECT u.*, o.lrp AS out_lrp, o.src
FROM   routes u
LEFT JOIN out_port o ON o.route = u.route AND o.src IS NOT NULL
WHERE  u.discard OR o.src IS NOT NULL;

-- The routes that count: a route tracked by BFD is down unless its session
-- is up or init (northd turns admin_down to down: sql/nb/BFD.sql).
CREATE OR REPLACE TEMP TABLE static_routes AS
SELECT * FROM lr_routes
WHERE  bfd IS NULL OR bfd_status NOT IN ('admin_down', 'down');

-- Route table ids per router: numbered in order of first use, ports'
-- options:route_table (every NB port of the router) before routes.
CREATE OR REPLACE TEMP TABLE route_tables AS
SELECT datapath, name,
       row_number() OVER (PARTITION BY datapath ORDER BY first_use) AS rtb_id
FROM  (SELECT datapath, name, min(use) AS first_use
       FROM (SELECT r.datapath, opt(p.options, 'route_table') AS name,
                    '0 ' || p._uuid AS use
             FROM   lr_port_rows r
             JOIN   Logical_Router_Port p ON p._uuid = r.lrp
             UNION ALL
             SELECT datapath, route_table, '1 ' || route FROM static_routes) u
       WHERE coalesce(name, '') <> ''
       GROUP BY datapath, name) n;

-- Routes with their table id and their place among the routes of the same
-- (prefix, policy, table): several make an ECMP group, numbered in the
-- order the groups form (when their second route comes).
CREATE OR REPLACE TEMP TABLE static_route_keys AS
WITH keyed AS (
    SELECT s.*, coalesce(t.rtb_id, 0) AS rtb_id,
           row_number() OVER (PARTITION BY s.datapath, s.prefix, s.plen, s.is_src,
                                           coalesce(t.rtb_id, 0) ORDER BY s.route) AS member_id,
           count(*) OVER (PARTITION BY s.datapath, s.prefix, s.plen, s.is_src,
                                       coalesce(t.rtb_id, 0)) AS n_members
    FROM   static_routes s
    LEFT JOIN route_tables t ON t.datapath = s.datapath AND t.name = s.route_table
)
SELECT k.*, g.ecmp_group
FROM   keyed k
LEFT JOIN (SELECT route AS second, datapath,
                  row_number() OVER (PARTITION BY datapath ORDER BY route) AS ecmp_group,
                  prefix, plen, is_src, rtb_id
           FROM keyed WHERE member_id = 2) g
       ON g.datapath = k.datapath AND g.prefix = k.prefix AND g.plen = k.plen
      AND g.is_src = k.is_src AND g.rtb_id = k.rtb_id;

-- ECMP groups (several routes for one key): the group takes its first
-- route's origin; its members are selected by member id.
CREATE OR REPLACE TEMP TABLE ecmp_groups AS
SELECT datapath, ecmp_group, any_value(family) AS family, any_value(prefix) AS prefix,
       any_value(plen) AS plen, any_value(is_src) AS is_src, any_value(rtb_id) AS rtb_id,
       min_by(connected, member_id) AS connected, min_by(route, member_id) AS first_route,
       ordered_join(CAST(member_id AS VARCHAR), ', ', member_id) AS members
FROM   static_route_keys
WHERE  n_members > 1
GROUP  BY datapath, ecmp_group;

-- build_route_match(): the match of a route's lr_in_ip_routing flow
-- (without an inport) and its priority.
CREATE OR REPLACE MACRO route_match(m_rtb, m_connected, m_is_src, m_family, m_prefix, m_plen) AS
    CASE WHEN m_rtb <> 0 OR (NOT m_is_src AND NOT m_connected)
         THEN 'reg7 == ' || CAST(m_rtb AS VARCHAR) || ' && ' ELSE '' END
    || CASE WHEN m_family = 'ipv4' THEN 'ip4.' ELSE 'ip6.' END
    || CASE WHEN m_is_src THEN 'src' ELSE 'dst' END || ' == ' || m_prefix || '/'
    || CAST(m_plen AS VARCHAR);
-- The registers a routed packet leaves with (routes, ECMP members, policy
-- reroutes): its next hop (an address, else the destination itself), the
-- source address, the router port's MAC and the port.
CREATE OR REPLACE MACRO nexthop_regs(m_family, m_nexthop, m_src, m_mac, m_json_key) AS
    CASE WHEN m_family = 'ipv4' THEN 'reg0 = ' ELSE 'xxreg0 = ' END
    || CASE WHEN coalesce(m_nexthop, '') <> '' THEN m_nexthop
            WHEN m_family = 'ipv4' THEN 'ip4.dst' ELSE 'ip6.dst' END
    || CASE WHEN m_family = 'ipv4' THEN '; reg1 = ' ELSE '; xxreg1 = ' END
    || m_src || '; eth.src = ' || m_mac || '; outport = ' || m_json_key || '; ';

-- add_route(): the actions sending a routed packet to `m_nexthop` (an
-- address, or the destination itself) out of a router port, without the
-- leading TTL decrement (BFD flows use them as they are).
CREATE OR REPLACE MACRO route_out_actions(m_family, m_nexthop, m_src, m_mac, m_json_key) AS
    'reg8[0..15] = 0; ' || nexthop_regs(m_family, m_nexthop, m_src, m_mac, m_json_key)
    || 'flags.loopback = 1; next;';
CREATE OR REPLACE MACRO route_priority(m_connected, m_is_src, m_plen) AS
    m_plen * 3 + CASE WHEN m_is_src THEN 0 WHEN m_connected THEN 2 ELSE 1 END;
