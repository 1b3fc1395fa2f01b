-- ls_in_hairpin on switches with vtep ports: traffic from the VTEP ramp
-- (reg0[14]) goes straight to destination lookup.
-- northd: build_vtep_hairpin; ovn-northd(8): "Ingress Table 16: Hairpin".
-- Owner: the logical switch. (The per-DGP p2000 flows come with router ports.)
SELECT c.datapath, 'ls_in_hairpin' AS stage, 1000 AS priority, 'reg0[14] == 1' AS match,
       'next(pipeline=ingress, table=' || stage_table('ls_in_l2_lkup') || ');' AS actions
FROM   ls_conditions c
WHERE  c.cond = 'vtep_lports'
