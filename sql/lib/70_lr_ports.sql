-- Logical router ports as northd's ovn_port sees them (join_logical_ports,
-- extract_lrp_networks): their MAC, their peer (the switch port of type
-- router naming them, or the router port their `peer` column names) and the
-- facts per-port router flows test, distributed gateway ports included.

-- Distributed gateway ports (od->l3dgw_ports, in the router's port order):
-- the router ports northd gives a chassis-redirect port (northd_ports kind
-- 'cr'). `resident` is the condition flows add to keep a DGP's traffic on
-- its gateway chassis.
CREATE OR REPLACE TEMP TABLE lr_dgps AS
SELECT port AS lrp, datapath, name AS cr_name, json_str(name) AS cr_json_key,
       'is_chassis_resident(' || json_str(name) || ')' AS resident,
       row_number() OVER (PARTITION BY datapath ORDER BY port) AS nth,
       count(*) OVER (PARTITION BY datapath) AS n_dgps
FROM   northd_ports
WHERE  kind = 'cr';

CREATE OR REPLACE TEMP TABLE lrp_facts AS
SELECT r.lrp, r.datapath, r.name, r.json_key, r.enabled, r.options,
       n.mac,
       s.lsp                                       AS peer_lsp,
       s.datapath                                  AS peer_switch,
       pr.lrp                                      AS peer_lrp,
       pr.datapath                                 AS peer_router,
       coalesce(s_port.json_key, pr.json_key)      AS peer_json_key,
       d.is_gateway_router,
       g.resident                                  AS dgp_resident,
       coalesce(fd.n_dgps, 0)                      AS router_dgps,
       -- l3dgw_port_has_associated_vtep_lports()
       coalesce(ls.has_vtep_lports, false)         AS peer_has_vtep,
       -- ARP replies for the port's IPs and the peer switch's L2 lookup of
       -- its MAC happen on the gateway chassis when the peer switch has a
       -- localnet port: the DGP's own, or with reside-on-redirect-chassis
       -- the router's only DGP's
       CASE WHEN fd.n_dgps > 0
             AND EXISTS (SELECT 1 FROM ls_ports l
                         WHERE l.datapath = s.datapath AND l.type = 'localnet')
            THEN coalesce(g.resident,
                          CASE WHEN opt_bool(r.options, 'reside-on-redirect-chassis', false)
                                AND fd.n_dgps = 1 THEN fd.resident END)
       END                                         AS l2_resident,
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
LEFT JOIN lr_dgps g ON g.lrp = r.lrp
LEFT JOIN lr_dgps fd ON fd.datapath = r.datapath AND fd.nth = 1
LEFT JOIN ls_router_peers s ON s.lrp = r.lrp
LEFT JOIN ls_datapaths ls ON ls.datapath = s.datapath
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
