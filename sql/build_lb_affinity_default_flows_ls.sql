-- ls_in_lb_aff_check / ls_in_lb_aff_learn defaults, per switch: advance.
-- northd: build_lb_affinity_default_flows (its od->nbs half; the router half
--   is build_lb_affinity_default_flows_lr)
-- ovn-northd(8): "Ingress Table 11: Load balancing affinity check",
--   "Ingress Table 13: Load balancing affinity learn"
-- Owner: the logical switch. (Per-VIP affinity flows come with LBs.)
SELECT ls.datapath, s.stage, 0 AS priority, '1' AS match, 'next;' AS actions
FROM   ls_datapaths ls,
       (VALUES ('ls_in_lb_aff_check'), ('ls_in_lb_aff_learn')) AS s(stage)
