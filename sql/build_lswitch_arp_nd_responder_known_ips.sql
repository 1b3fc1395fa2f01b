-- ls_in_arp_rsp per known IP of a port: answer ARP requests (IPv4) and
-- neighbor solicitations (IPv6) for the port's addresses, except when they
-- come from the port itself. Skipped for ports with "unknown" addresses,
-- external ports, vlan-passthru switches, and ports that are down when
-- NB_Global ignore_lsp_down=false.
-- northd: build_lswitch_arp_nd_responder_known_ips; ovn-northd(8): "Ingress
--   Table 19: ARP/ND responder".
-- Owner: the logical switch port. (Virtual ports: build_lswitch_virtual_port_binding;
-- arp_proxy: build_lswitch_arp_nd_responder_arp_proxy.)
-- Per owner: ls_ports(lsp), lsp_addrs(lsp)
WITH answering AS (
    SELECT a.*
    FROM   lsp_addrs a
    JOIN   ls_ports p ON p.lsp = a.lsp
    JOIN   ls_datapaths d ON d.datapath = a.datapath
    WHERE  a.family IS NOT NULL
      AND  p.type NOT IN ('virtual', 'external')
      AND  NOT p.has_unknown
      AND  NOT d.vlan_passthru
      AND  (p.up OR p.type IN ('router', 'localport') OR NOT check_lsp_is_up())
),
reply AS (
    SELECT a.*,
           CASE a.family
           WHEN 'ipv4' THEN 'arp.tpa == ' || a.addr || ' && arp.op == 1'
           ELSE 'nd_ns && ip6.dst == {' || a.addr || ', ' || a.sn_addr || '} && nd.target == '
                || a.addr END AS base_match,
           CASE a.family
           WHEN 'ipv4' THEN 'eth.dst = eth.src; eth.src = ' || a.mac || '; arp.op = 2; '
                || '/* ARP reply */ arp.tha = arp.sha; arp.sha = ' || a.mac || '; '
                || 'arp.tpa = arp.spa; arp.spa = ' || a.addr || '; outport = inport; '
                || 'flags.loopback = 1; output;'
           ELSE CASE WHEN a.type = 'router' THEN 'nd_na_router' ELSE 'nd_na' END
                || ' { eth.src = ' || a.mac || '; ip6.src = ' || a.addr || '; nd.target = '
                || a.addr || '; nd.tll = ' || a.mac || '; outport = inport; '
                || 'flags.loopback = 1; output; };' END AS reply_actions
    FROM answering a
)
SELECT datapath, 'ls_in_arp_rsp' AS stage, 50 AS priority, base_match AS match,
       reply_actions AS actions, NULL AS io_port,
       CASE WHEN family = 'ipv6' THEN copp_meter(datapath, 'nd-na') END AS ctrl_meter,
       hint(lsp) AS stage_hint, 'Logical_Switch_Port' AS owner_table, lsp AS owner
FROM   reply
UNION ALL
SELECT datapath, 'ls_in_arp_rsp', 100, base_match || ' && inport == ' || json_key, 'next;',
       name, NULL, hint(lsp), 'Logical_Switch_Port', lsp
FROM   reply
