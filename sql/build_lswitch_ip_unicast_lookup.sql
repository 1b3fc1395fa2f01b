-- ls_in_l2_lkup unicast: frames to a port's MAC go out that port (dropped
-- when the port is disabled).
-- northd: build_lswitch_ip_unicast_lookup; ovn-northd(8): "Ingress Table 25:
--   Destination Lookup".
-- A "router" address stands for the peer router port's MAC, a "dynamic" or
-- "dynamic IP" one for the MAC in dynamic_addresses ("MAC dynamic" names its
-- own MAC).
-- A distributed router's port MAC is looked up only on the gateway chassis
-- when lrp_facts.l2_resident says so.
-- A router port that is a distributed gateway port also brings the
-- external MACs of its router's distributed NATs (dnat_and_snat with
-- logical_port and a valid external_mac), on the logical port's chassis.
-- Owner: the logical switch port.
-- Per owner: ls_ports(lsp), lsp_addrs(lsp), lsp_dynamic_macs(lsp)
WITH entries AS (       -- each address entry's MAC ("router" ones included)
    SELECT DISTINCT a.lsp, a.address, a.mac
    FROM   lsp_addrs a JOIN ls_ports p ON p.lsp = a.lsp
    WHERE  list_contains(p.addresses, a.address)
    UNION ALL
    SELECT lsp, address, mac FROM lsp_dynamic_macs
)
SELECT p.datapath, 'ls_in_l2_lkup' AS stage, 50 AS priority,
       'eth.dst == ' || m.mac
       || CASE WHEN m.address = 'router' THEN coalesce(' && ' || f.l2_resident, '') ELSE '' END
           AS match,
       CASE WHEN p.enabled THEN 'outport = ' || p.json_key || '; output;'
            ELSE drop_action() END AS actions,
       hint(p.lsp) AS stage_hint, 'Logical_Switch_Port' AS owner_table, p.lsp AS owner
FROM   entries m
JOIN   ls_ports p ON p.lsp = m.lsp
LEFT JOIN lrp_facts f ON f.lrp = p.peer_lrp
WHERE  p.type <> 'external'
UNION ALL
SELECT p.datapath, 'ls_in_l2_lkup', 50,
       'eth.dst == ' || e.mac || ' && is_chassis_resident("' || e.logical_port || '")',
       CASE WHEN p.enabled THEN 'outport = ' || p.json_key || '; output;'
            ELSE drop_action() END,
       hint(p.lsp), 'Logical_Switch_Port', p.lsp
FROM   ls_ports p
JOIN   lrp_facts f ON f.lrp = p.peer_lrp
JOIN   nat_entries e ON e.datapath = f.datapath
WHERE  p.type = 'router' AND list_contains(p.addresses, 'router')
  AND  f.dgp_resident IS NOT NULL
  AND  e.type = 'dnat_and_snat' AND e.logical_port IS NOT NULL AND e.mac IS NOT NULL
