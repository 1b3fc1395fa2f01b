-- lr_in_lb_aff_check / lr_in_lb_aff_learn defaults, per router: advance.
-- northd: build_lb_affinity_default_flows (its od->nbr half; the switch half
--   is build_lb_affinity_default_flows_ls)
-- ovn-northd(8): "Ingress Table 6: Load balancing affinity check",
--   "Ingress Table 8: Load balancing affinity learn"
-- Owner: the logical router.
SELECT lr.datapath, s.stage, 0 AS priority, '1' AS match, 'next;' AS actions
FROM   lr_datapaths lr,
       (VALUES ('lr_in_lb_aff_check'), ('lr_in_lb_aff_learn')) AS s(stage)
