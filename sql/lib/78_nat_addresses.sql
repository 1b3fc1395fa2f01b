-- get_nat_addresses() in northd.c: the NAT external IPs a router port
-- announces, for its peer's Port_Binding.nat_addresses (sql/sb/) and, as
-- `routable`, for routes on the other routers of its switch
-- (assign_routable_addresses(): only dnat / dnat_and_snat NATs with
-- options:add_route=true). Only IPv4 host external IPs (ip_parse_masked);
-- on a router with several DGPs only the NATs is_nat_gateway_port() gives
-- the port. `own`: a distributed NAT's entry (its MAC, its IP and logical
-- port; none if the MAC is bad); `central`: an IP joining the port's own
-- entry, as written, unless it is one of the port's addresses. Routables
-- are assigned while join_logical_ports() counts the router's DGPs: a DGP
-- sees only itself and the DGPs before it (`dgps`).
CREATE OR REPLACE TEMP TABLE lrp_nat_addresses AS
SELECT f.lrp, f.datapath, m.routable, e.nat, e.ext_addr, e.mac AS own_mac,
       CASE WHEN d.distributed
            THEN e.mac || ' ' || e.external_ip
                 || ' is_chassis_resident("' || e.logical_port || '")' END AS own,
       CASE WHEN NOT d.distributed
             AND e.external_ip NOT IN (SELECT n.addr FROM lrp_networks n WHERE n.lrp = f.lrp)
            THEN e.external_ip END AS central
FROM   lrp_facts f
JOIN   nat_entries e ON e.datapath = f.datapath
JOIN   NAT ON NAT._uuid = e.nat
LEFT JOIN lr_dgps g ON g.lrp = f.lrp
CROSS JOIN (VALUES (false), (true)) m(routable),
LATERAL (SELECT CASE WHEN m.routable THEN coalesce(g.nth, 0) ELSE f.router_dgps END AS dgps) c,
LATERAL (SELECT c.dgps > 0 AND e.type = 'dnat_and_snat' AND e.logical_port IS NOT NULL
                AND e.external_mac IS NOT NULL AS distributed) d
WHERE  e.garp_ok AND (f.is_gateway_router OR f.router_dgps > 0)    -- where it is used
  AND  (NOT m.routable OR (e.type <> 'snat' AND opt_bool(NAT.options, 'add_route', false)))
  -- is_nat_gateway_port(): with several DGPs, the NAT's gateway_port, or
  -- without one the port whose networks hold external_ip (ip_parse)
  AND  (c.dgps <= 1
        OR CASE WHEN e.gateway_port IS NOT NULL THEN e.gateway_port = f.lrp
                ELSE e.external_ip = e.ext_addr
                     AND EXISTS (SELECT 1 FROM lrp_networks n
                                 WHERE n.lrp = f.lrp AND n.family = 'ipv4'
                                   AND in_network(e.ext_bits, n.bits, n.plen)) END);

-- op->routables of a distributed gateway port (assign_routable_addresses():
-- its routable get_nat_addresses() entries as extract_addresses() reads
-- them): per entry (`entry`: the distributed NAT, or null for the port's own
-- entry) its MAC and IPv4 addresses in order (`pos`); the own entry holds
-- the central NAT IPs, then the router's routable LB VIPs (string-set
-- order; an entry of IPv6 VIPs only has one row with a null address).
CREATE OR REPLACE TEMP TABLE dgp_routables AS
WITH own_ips AS (       -- the own entry's IPs, IPv6 ones (not routed) with no address
    SELECT a.lrp, a.ext_addr AS addr, 0 AS part, a.nat AS k, 0 AS idx
    FROM   lrp_nat_addresses a JOIN lr_dgps g ON g.lrp = a.lrp
    WHERE  a.routable AND a.central IS NOT NULL
    UNION ALL
    SELECT g.lrp, CASE WHEN v.family = 'ipv4' THEN v.ip END, 1, NULL, v.idx
    FROM   lr_dgps g JOIN lr_lb_routable_ip_order v ON v.datapath = g.datapath
)
SELECT a.lrp, a.nat AS entry, a.own_mac AS mac, a.ext_addr AS addr, 0 AS pos
FROM   lrp_nat_addresses a JOIN lr_dgps g ON g.lrp = a.lrp
WHERE  a.routable AND a.own IS NOT NULL
UNION ALL
SELECT o.lrp, NULL, f.mac, o.addr, row_number() OVER (PARTITION BY o.lrp ORDER BY o.part, o.k, o.idx)
FROM   own_ips o JOIN lrp_facts f ON f.lrp = o.lrp
WHERE  o.addr IS NOT NULL
UNION ALL
SELECT DISTINCT o.lrp, NULL, f.mac, NULL, 0
FROM   own_ips o JOIN lrp_facts f ON f.lrp = o.lrp
WHERE  o.lrp NOT IN (SELECT lrp FROM own_ips WHERE addr IS NOT NULL);
