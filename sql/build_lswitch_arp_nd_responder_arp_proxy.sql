-- ls_in_arp_rsp for a router-type port with options:arp_proxy: answer ARP
-- requests for any of the listed IPv4 addresses with the peer router port's
-- MAC. Like the known-IP replies it is skipped when the port has an
-- "unknown" address or the switch is vlan-passthru.
-- northd: build_lswitch_arp_nd_responder_known_ips (the op->peer arp_proxy
--   part); ovn-northd(8): "Ingress Table 19: ARP/ND responder".
-- Owner: the logical switch port.
-- Per owner: ls_ports(lsp)
WITH proxy AS (
    SELECT p.lsp, p.datapath, l.ip_index, l.addr
    FROM   ls_ports p
    JOIN   ls_datapaths d ON d.datapath = p.datapath
    JOIN   parsed_ip_list l ON l.text = opt(p.options, 'arp_proxy')
    WHERE  p.peer_lrp IS NOT NULL
      AND  l.family = 'ipv4'
      AND  NOT p.has_unknown
      AND  NOT d.vlan_passthru
),
peer_mac AS (
    SELECT DISTINCT lrp, mac FROM lrp_networks
)
SELECT x.datapath, 'ls_in_arp_rsp' AS stage, 50 AS priority,
       'arp.op == 1 && arp.tpa == {' || ordered_join(x.addr, ',', x.ip_index) || '}' AS match,
       'eth.dst = eth.src; eth.src = ' || m.mac || '; arp.op = 2; /* ARP reply */ '
       || 'arp.tha = arp.sha; arp.sha = ' || m.mac || '; arp.tpa <-> arp.spa; '
       || 'outport = inport; flags.loopback = 1; output;' AS actions,
       hint(x.lsp) AS stage_hint, 'Logical_Switch_Port' AS owner_table, x.lsp AS owner
FROM   proxy x
JOIN   ls_ports p ON p.lsp = x.lsp
JOIN   peer_mac m ON m.lrp = p.peer_lrp
GROUP  BY x.datapath, x.lsp, m.mac;
