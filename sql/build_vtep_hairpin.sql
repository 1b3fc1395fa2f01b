-- ls_in_hairpin on switches with vtep ports: traffic from the VTEP ramp
-- (reg0[14]) goes straight to destination lookup (p1000), except that on
-- the gateway chassis of a peer distributed gateway port it goes on to ARP/ND
-- hairpin processing (p2000).
-- northd: build_vtep_hairpin; ovn-northd(8): "Ingress Table 16: Hairpin".
-- Owner: the logical switch.
SELECT c.datapath, 'ls_in_hairpin' AS stage, 1000 AS priority, 'reg0[14] == 1' AS match,
       'next(pipeline=ingress, table=' || stage_table('ls_in_l2_lkup') || ');' AS actions
FROM   ls_conditions c
WHERE  c.cond = 'vtep_lports'
UNION ALL
SELECT c.datapath, 'ls_in_hairpin', 2000, 'reg0[14] == 1 && ' || f.dgp_resident, 'next;'
FROM   ls_conditions c
JOIN   ls_router_peers rp ON rp.datapath = c.datapath
JOIN   lrp_facts f ON f.lrp = rp.lrp
WHERE  c.cond = 'vtep_lports' AND f.dgp_resident IS NOT NULL
