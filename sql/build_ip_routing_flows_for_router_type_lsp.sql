-- lr_in_ip_routing: on a router with a port on a switch, connected routes
-- (priority 98, /32) to the routable addresses of the switch's distributed
-- gateway ports of other routers (dgp_routables: NAT external IPs and LB
-- VIPs with options:add_route=true; IPv4 only), via the router's port with
-- its first IPv4 address as source; with BFD on that port also the p99
-- flow for BFD packets without the TTL decrement.
-- northd: build_ip_routing_flows_for_lrouter_port (its router-type switch
--   port branch) -> add_route; ovn-northd(8): "Ingress Table 11: IP Routing".
-- Owner: the router port routing to them.
WITH peer AS (          -- a router port on a switch, with its first IPv4 address
    SELECT rp.lsp, rp.datapath AS switch, i.lrp, i.datapath, i.json_key, i.mac, i.addr,
           i.lrp IN (SELECT lrp FROM lrp_bfd) AS has_bfd
    FROM   ls_router_peers rp
    JOIN   lrp_ips i ON i.lrp = rp.lrp AND i.family = 'ipv4'
    WHERE  i.ip_index = (SELECT min(n.ip_index) FROM lrp_ips n
                         WHERE n.lrp = i.lrp AND n.family = 'ipv4')
),
routes AS (
    SELECT DISTINCT p.datapath, p.lrp, p.has_bfd,
           route_match(0, true, false, 'ipv4', r.addr, 32) AS match,
           route_out_actions('ipv4', NULL, p.addr, p.mac, p.json_key) AS out_actions
    FROM   peer p
    JOIN   ls_router_peers other ON other.datapath = p.switch AND other.lrp <> p.lrp
    JOIN   dgp_routables r ON r.lrp = other.lrp
    WHERE  r.addr IS NOT NULL
)
SELECT datapath, 'lr_in_ip_routing' AS stage, route_priority(true, false, 32) AS priority,
       match, 'ip.ttl--; ' || out_actions AS actions,
       hint(lrp) AS stage_hint, 'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   routes
UNION ALL
SELECT datapath, 'lr_in_ip_routing', route_priority(true, false, 32) + 1,
       match || ' && udp.dst == 3784', out_actions, hint(lrp), 'Logical_Router_Port', lrp
FROM   routes
WHERE  has_bfd
