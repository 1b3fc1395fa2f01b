-- lr_in_lookup_neighbor per router port IPv4 network: ARP requests from the
-- port's subnet are looked up for learning (p100); when the router does not
-- always learn from ARP requests, requests for the port's own address are
-- learned anyway (p110). On a distributed gateway port only on its gateway
-- chassis.
-- northd: build_neigh_learning_flows_for_lrouter_port; ovn-northd(8):
--   "Ingress Table 1: Neighbor lookup".
-- Owner: the logical router port.
SELECT i.datapath, 'lr_in_lookup_neighbor' AS stage, 100 AS priority,
       'inport == ' || i.json_key || ' && arp.spa == ' || i.network || '/'
       || CAST(i.plen AS VARCHAR) || ' && arp.op == 1'
       || coalesce(' && ' || f.dgp_resident, '') AS match,
       'reg9[2] = lookup_arp(inport, arp.spa, arp.sha); '
       || CASE WHEN f.learn_from_arp_request THEN ''
               ELSE 'reg9[3] = lookup_arp_ip(inport, arp.spa); ' END || 'next;' AS actions,
       hint(i.lrp) AS stage_hint, 'Logical_Router_Port' AS owner_table, i.lrp AS owner
FROM   lrp_ips i JOIN lrp_facts f ON f.lrp = i.lrp
WHERE  i.family = 'ipv4'
UNION ALL
SELECT i.datapath, 'lr_in_lookup_neighbor', 110,
       'inport == ' || i.json_key || ' && arp.spa == ' || i.network || '/'
       || CAST(i.plen AS VARCHAR) || ' && arp.tpa == ' || i.addr || ' && arp.op == 1'
       || coalesce(' && ' || f.dgp_resident, ''),
       'reg9[2] = lookup_arp(inport, arp.spa, arp.sha); reg9[3] = 1; next;',
       hint(i.lrp), 'Logical_Router_Port', i.lrp
FROM   lrp_ips i JOIN lrp_facts f ON f.lrp = i.lrp
WHERE  i.family = 'ipv4' AND NOT f.learn_from_arp_request
