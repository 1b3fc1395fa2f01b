-- ls_out_acl priority 34000: let a DHCP server reply (from the options'
-- server MAC and IP) through to each port of the switch with DHCP options,
-- committing it to conntrack when the switch is stateful. Unlike the DHCP
-- stages this needs neither a valid cidr nor an enabled port.
-- northd: build_acls; ovn-northd(8): "Egress Table 4: to-lport ACLs".
-- Owner: the logical switch port.
-- Per owner: lsp_dhcp_named(lsp)
WITH ports AS (
    SELECT p.*,
           CASE WHEN EXISTS (SELECT 1 FROM ls_conditions s
                             WHERE s.datapath = p.datapath AND s.cond = 'stateful')
                THEN 'ct_commit; next;' ELSE 'next;' END AS actions
    FROM   lsp_dhcp_named p
)
SELECT p.datapath, 'ls_out_acl' AS stage, 34000 AS priority,
       'outport == "' || p.name || '" && eth.src == ' || opt(d.options, 'server_mac')
       || ' && ip4.src == ' || opt(d.options, 'server_id')
       || ' && udp && udp.src == 67 && udp.dst == 68' AS match,
       p.actions, p.name AS io_port, NULL AS ctrl_meter, hint(d._uuid) AS stage_hint,
       'Logical_Switch_Port' AS owner_table, p.lsp AS owner
FROM   ports p
JOIN   DHCP_Options d ON d._uuid = p.dhcpv4_options
WHERE  opt(d.options, 'server_id') IS NOT NULL AND opt(d.options, 'server_mac') IS NOT NULL
  AND  opt(d.options, 'lease_time') IS NOT NULL
UNION ALL
SELECT p.datapath, 'ls_out_acl', 34000,
       'outport == "' || p.name || '" && eth.src == ' || s.server_id
       || ' && ip6.src == ' || s.lla || ' && udp && udp.src == 547 && udp.dst == 546',
       p.actions, p.name, NULL, hint(d._uuid), 'Logical_Switch_Port', p.lsp
FROM   ports p
JOIN   DHCP_Options d ON d._uuid = p.dhcpv6_options
JOIN   dhcpv6_server s ON s.server_id = opt(d.options, 'server_id')
