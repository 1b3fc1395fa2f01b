-- lr_in_arp_resolve p100: the MAC for a next hop the router already knows.
--  * a router port with a `peer` router port: in the peer's router, the
--    port's addresses resolve to its MAC;
--  * an enabled switch port (not router, not virtual) on a switch with
--    router ports: each of its IPs resolves to its MAC in every router
--    whose port on that switch has a network containing the IP;
--  * an enabled router-type switch port: in its peer's router, the other
--    router ports on the same switch resolve to their MACs (not with the
--    router's options:dynamic_neigh_routers).
-- And p50 for a distributed gateway port with options:redirect-type=bridged:
-- away from its gateway chassis, packets out of it get the port's own MAC
-- (so they are bridged to the gateway chassis instead of resolved here).
-- northd: build_arp_resolve_flows_for_lrouter_port; ovn-northd(8):
--   "Ingress Table 17: ARP/ND Resolution".
-- Owner: the router port (first and last case) or the switch port.
-- Per owner: ls_ports(lsp), lsp_addrs(lsp), lrp_facts(lrp)
WITH router_peers AS (      -- od->router_ports with their peer router ports
    SELECT rp.lsp, rp.datapath AS switch, r.lrp, r.datapath AS router, r.json_key, n.mac
    FROM   ls_router_peers rp
    JOIN   lr_ports r ON r.lrp = rp.lrp
    JOIN   (SELECT DISTINCT lrp, mac FROM lrp_networks) n ON n.lrp = r.lrp
),
lrp_peer AS (
    SELECT 'Logical_Router_Port' AS owner_table, f.lrp AS owner, f.peer_router AS router,
           p.json_key AS outport, s.family, s.addrs, f.mac
    FROM   lrp_facts f
    JOIN   lr_ports p ON p.lrp = f.peer_lrp
    JOIN   lrp_ip_sets s ON s.lrp = f.lrp
    WHERE  f.peer_lrp IS NOT NULL
),
vif AS (
    SELECT 'Logical_Switch_Port' AS owner_table, a.lsp AS owner, r.router,
           r.json_key AS outport, a.family, a.addr AS addrs, a.mac
    FROM   lsp_addrs a
    JOIN   ls_ports p ON p.lsp = a.lsp
    JOIN   router_peers r ON r.switch = a.datapath
    WHERE  p.enabled AND p.type NOT IN ('router', 'virtual') AND a.family IS NOT NULL
      AND  EXISTS (SELECT 1 FROM lrp_ips n
                   WHERE n.lrp = r.lrp AND n.family = a.family
                     AND in_network(a.bits, n.bits, n.plen))
),
neighbours AS (
    SELECT 'Logical_Switch_Port' AS owner_table, me.lsp AS owner, me.router,
           me.json_key AS outport, s.family, s.addrs, other.mac
    FROM   router_peers me
    JOIN   ls_ports p ON p.lsp = me.lsp
    JOIN   lr_datapaths d ON d.datapath = me.router
    JOIN   router_peers other ON other.switch = me.switch AND other.lrp <> me.lrp
    JOIN   lrp_ip_sets s ON s.lrp = other.lrp
    WHERE  p.enabled AND NOT opt_bool(d.options, 'dynamic_neigh_routers', false)
)
SELECT router AS datapath, 'lr_in_arp_resolve' AS stage, 100 AS priority,
       'outport == ' || outport || ' && '
       || CASE WHEN family = 'ipv4' THEN 'reg0== ' ELSE 'xxreg0 == ' END || addrs AS match,
       'eth.dst = ' || mac || '; next;' AS actions,
       hint(owner) AS stage_hint, owner_table, owner
FROM   lrp_peer
UNION ALL
SELECT router, 'lr_in_arp_resolve', 100,
       'outport == ' || outport || ' && '
       || CASE WHEN family = 'ipv4' THEN 'reg0 == ' ELSE 'xxreg0 == ' END || addrs,
       'eth.dst = ' || mac || '; next;', hint(owner), owner_table, owner
FROM   (SELECT * FROM vif UNION ALL SELECT * FROM neighbours)
UNION ALL
SELECT f.datapath, 'lr_in_arp_resolve', 50,
       'outport == ' || f.json_key || ' && !' || f.dgp_resident,
       'eth.dst = ' || f.mac || '; next;', hint(f.lrp), 'Logical_Router_Port', f.lrp
FROM   lrp_facts f
WHERE  f.dgp_resident IS NOT NULL AND lower(opt(f.options, 'redirect-type')) = 'bridged'
