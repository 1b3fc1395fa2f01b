-- Logical router ports as northd's ovn_port sees them (join_logical_ports,
-- extract_lrp_networks): their MAC, their peer (the switch port of type
-- router naming them, or the router port their `peer` column names) and the
-- facts per-port router flows test. Distributed gateway ports are not
-- covered yet (support.py reports them).

CREATE OR REPLACE TEMP TABLE lrp_facts AS
SELECT r.lrp, r.datapath, r.name, r.json_key, r.enabled, r.options,
       n.mac,
       s.lsp                                       AS peer_lsp,
       s.datapath                                  AS peer_switch,
       pr.lrp                                      AS peer_lrp,
       pr.datapath                                 AS peer_router,
       coalesce(s_port.json_key, pr.json_key)      AS peer_json_key,
       d.is_gateway_router,
       d.learn_from_arp_request,
       d.mcast_relay,
       -- build_gateway_get_l2_hdr_size(): a VLAN header when the peer
       -- switch has a tagged localnet port
       CASE WHEN EXISTS (SELECT 1 FROM ls_ports l JOIN Logical_Switch_Port p
                                ON p._uuid = l.lsp
                         WHERE l.datapath = s.datapath AND l.type = 'localnet'
                           AND p.tag_request IS NOT NULL)
            THEN 18 ELSE 14 END                    AS l2_hdr_size
FROM   lr_ports r
JOIN   lr_datapaths d ON d.datapath = r.datapath
JOIN   (SELECT DISTINCT lrp, mac FROM lrp_networks) n ON n.lrp = r.lrp
LEFT JOIN ls_router_peers s ON s.lrp = r.lrp
LEFT JOIN ls_ports s_port ON s_port.lsp = s.lsp
LEFT JOIN lr_ports pr ON pr.name = r.peer AND s.lsp IS NULL;

-- Each router port's networks, in northd's order (IPv4 as written, then
-- IPv6 with the link-local address last).
CREATE OR REPLACE TEMP TABLE lrp_ips AS
SELECT f.lrp, f.datapath, f.json_key, f.enabled, f.mac, n.family, n.ip_index,
       n.addr, n.plen, n.network, n.bcast, n.sn_addr, n.bits,
       n.family = 'ipv6' AND starts_with(n.bits, '1111111010') AS is_lla
FROM   lrp_facts f
JOIN   lrp_networks n ON n.lrp = f.lrp;

-- op_put_v4_networks / op_put_v6_networks: a port's addresses as northd
-- prints them in matches: one bare address, or a `{a, b}` set (IPv4 with
-- broadcast addresses as well in `with_bcast`).
CREATE OR REPLACE TEMP TABLE lrp_ip_sets AS
SELECT lrp, family,
       CASE WHEN count(*) = 1 THEN any_value(addr)
            ELSE '{' || ordered_join(addr, ', ', ip_index) || '}' END AS addrs,
       '{' || ordered_join(CASE WHEN family = 'ipv4' THEN addr || ', ' || bcast ELSE addr END,
                           ', ', ip_index) || '}' AS with_bcast
FROM   lrp_ips
GROUP  BY lrp, family;
