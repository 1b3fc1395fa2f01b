-- Gateway routers with dnat_force_snat_ip / lb_force_snat_ip addresses:
-- unSNAT replies to them (lr_in_unsnat p110) and SNAT to them what was
-- DNATed / load balanced (lr_out_snat p100), per address family.
-- northd: build_lrouter_force_snat_flows (from
--   build_lrouter_nat_defrag_and_lb); ovn-northd(8): "Ingress Table 4:
--   UNSNAT", "Egress Table 3: SNAT".
-- Owner: the logical router.
SELECT f.datapath, 'lr_in_unsnat' AS stage, 110 AS priority,
       'ip' || f.ip_version || ' && ip' || f.ip_version || '.dst == ' || f.addr AS match,
       'ct_snat;' AS actions
FROM   lr_force_snat_ips f
JOIN   lr_datapaths r ON r.datapath = f.datapath
WHERE  r.is_gateway_router
UNION ALL
SELECT f.datapath, 'lr_out_snat', 100,
       'flags.force_snat_for_' || f.kind || ' == 1 && ip' || f.ip_version,
       'ct_snat(' || f.addr || ');'
FROM   lr_force_snat_ips f
JOIN   lr_datapaths r ON r.datapath = f.datapath
WHERE  r.is_gateway_router
