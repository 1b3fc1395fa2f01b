-- LB affinity check/learn defaults, per switch and per router: advance.
-- northd: build_lb_affinity_default_flows; ovn-northd(8): "Ingress Table 11:
--   Load balancing affinity check", "Ingress Table 13: Load balancing affinity
--   learn" (switch); "Ingress Table 6/8" (router).
-- Owner: the logical switch or router.
SELECT d.datapath, s.stage, 0 AS priority, '1' AS match, 'next;' AS actions
FROM   datapaths d
JOIN   (VALUES ('Logical_Switch', 'ls_in_lb_aff_check'), ('Logical_Switch', 'ls_in_lb_aff_learn'),
               ('Logical_Router', 'lr_in_lb_aff_check'), ('Logical_Router', 'lr_in_lb_aff_learn'))
       AS s(nb_table, stage) ON s.nb_table = d.nb_table
