-- ls_in_l2_lkup for router ports: ARP requests / neighbor solicitations for
-- the peer router port's own IPs go only to that router (and are flooded on
-- the L2 domain too when the switch has other ports), as do those for the
-- router's LB VIPs that lie in one of the port's networks and for the
-- external IPs of its dnat / dnat_and_snat NATs; the router's own
-- ARP / RARP / NS requests, recognised by source MAC (the port's, and its
-- NATs' external MACs), are flooded to the L2 domain.
-- northd: build_lswitch_rport_arp_req_flows, build_lswitch_rport_arp_req_flow,
--   build_lswitch_rport_arp_req_self_orig_flow; ovn-northd(8): "Ingress
--   Table 25: Destination Lookup".
-- Owner: the router-type switch port.
-- Per owner: ls_ports(lsp)
WITH peers AS (
    SELECT p.lsp, p.datapath, p.json_key, p.peer_lrp, d.has_non_router_ports
    FROM   ls_ports p JOIN ls_datapaths d ON d.datapath = p.datapath
    WHERE  p.type = 'router' AND p.peer_enabled
),
port_nets AS (         -- the peer port's networks, with its router's LB sources
    SELECT n.lrp, s.source, n.family, n.plen, left(n.bits, n.plen) AS prefix
    FROM   peers p
    JOIN   lr_ports r ON r.lrp = p.peer_lrp
    JOIN   dp_lb_sources s ON s.datapath = r.datapath
    JOIN   lrp_networks n ON n.lrp = r.lrp
),
vip_prefixes AS (      -- a source's VIPs by their prefix of each length its networks have
    SELECT v.source, v.family, l.plen, left(v.bits, l.plen) AS prefix, v.vip
    FROM  (SELECT DISTINCT source, family, plen FROM port_nets) l
    JOIN   lr_lb_source_vips v ON v.source = l.source AND v.family = l.family
),
owned AS (            -- the peer port's IPs, the router's reachable LB VIPs
    SELECT n.lrp, n.family, n.addr
    FROM   peers p JOIN lrp_networks n ON n.lrp = p.peer_lrp
    UNION
    SELECT n.lrp, v.family, v.vip          -- (in_network: the prefixes are equal)
    FROM   port_nets n
    JOIN   vip_prefixes v USING (source, family, plen, prefix)
    UNION                 -- and its NATs' external IPs (as written) but SNAT ones
    SELECT r.lrp, e.family, e.external_ip
    FROM   peers p
    JOIN   lr_ports r ON r.lrp = p.peer_lrp
    JOIN   nat_entries e ON e.datapath = r.datapath
    WHERE  e.type <> 'snat'
      AND  NOT EXISTS (SELECT 1 FROM lr_own_lb_vips v
                       WHERE v.datapath = e.datapath AND v.family = e.family
                         AND v.addr = e.external_ip)
)
SELECT p.datapath, 'ls_in_l2_lkup' AS stage, 80 AS priority,
       'flags[1] == 0 && ' || CASE n.family WHEN 'ipv4' THEN 'arp.op == 1 && arp.tpa == '
                                            ELSE 'nd_ns && nd.target == ' END || n.addr AS match,
       CASE WHEN p.has_non_router_ports
            THEN 'clone {outport = ' || p.json_key || '; output; }; '
                 || 'outport = "_MC_flood_l2"; output;'
            ELSE 'outport = ' || p.json_key || '; output;' END AS actions,
       hint(p.lsp) AS stage_hint, 'Logical_Switch_Port' AS owner_table, p.lsp AS owner
FROM   peers p
JOIN   owned n ON n.lrp = p.peer_lrp
UNION ALL
SELECT p.datapath, 'ls_in_l2_lkup', 75,
       'eth.src == {' || coalesce(m.macs, n.mac) || '} && (arp.op == 1 || rarp.op == 3 || nd_ns)',
       'outport = "_MC_flood_l2"; output;', NULL, 'Logical_Switch_Port', p.lsp
FROM   peers p
JOIN   (SELECT DISTINCT lrp, mac FROM lrp_networks) n ON n.lrp = p.peer_lrp
LEFT JOIN lrp_self_orig_macs m ON m.lrp = p.peer_lrp
WHERE  p.has_non_router_ports
