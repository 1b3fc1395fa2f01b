-- ls_in_external_port: on a switch with localnet ports, drop what an external
-- port's MACs send through a localnet port towards the switch's router ports
-- (ARP/ND for their IPs and frames to their MACs) unless the external port is
-- resident on this chassis.
-- northd: build_lswitch_external_port -> build_drop_arp_nd_flows_for_unbound_
--   router_ports; ovn-northd(8): "Ingress Table 3: External ports".
-- Owner: the external port.
-- Per owner: lsp_addrs(lsp)
WITH external_macs AS (
    SELECT DISTINCT a.lsp, a.datapath, a.json_key, a.mac
    FROM   lsp_addrs a
    WHERE  a.type = 'external'
),
sources AS (          -- (external MAC, localnet port it may arrive on)
    SELECT e.*, l.name AS ln_name, l.json_key AS ln_key
    FROM   external_macs e
    JOIN   ls_localnet_ports l ON l.datapath = e.datapath
),
drops AS (
    SELECT s.lsp, s.datapath, s.ln_name,
           'inport == ' || s.ln_key || ' && eth.src == ' || s.mac
           || ' && !is_chassis_resident(' || s.json_key || ')'
           || CASE r.family
              WHEN 'ipv4' THEN ' && arp.tpa == ' || r.addr || ' && arp.op == 1'
              ELSE ' && nd_ns && ip6.dst == {' || r.addr || ', ' || r.sn_addr
                   || '} && nd.target == ' || r.addr END AS match
    FROM   sources s
    JOIN   router_lsp_addrs r ON r.datapath = s.datapath AND r.family IS NOT NULL
    UNION ALL
    SELECT DISTINCT s.lsp, s.datapath, s.ln_name,
           'inport == ' || s.ln_key || ' && eth.src == ' || s.mac || ' && eth.dst == ' || r.mac
           || ' && !is_chassis_resident(' || s.json_key || ')'
    FROM   sources s
    JOIN   router_lsp_addrs r ON r.datapath = s.datapath
)
SELECT datapath, 'ls_in_external_port' AS stage, 100 AS priority, match,
       drop_action() AS actions, ln_name AS io_port,
       hint(lsp) AS stage_hint, 'Logical_Switch_Port' AS owner_table, lsp AS owner
FROM   drops
