-- Gateway routers with lb_force_snat_ip=router_ip, per router port with a
-- peer: replies to the port's first IPv4 / first IPv6 address (when it has
-- one besides the link-local) are unSNATed (lr_in_unsnat p110), and load
-- balanced traffic leaving the port is SNATed to it (lr_out_snat p110).
-- northd: build_lrouter_force_snat_flows_op; ovn-northd(8): "Ingress Table
--   4: UNSNAT", "Egress Table 3: SNAT".
-- Owner: the logical router port.
WITH firsts AS (
    SELECT i.datapath, i.lrp, i.json_key, i.addr,
           CASE WHEN i.family = 'ipv4' THEN '4' ELSE '6' END AS v
    FROM   lrp_ips i
    JOIN   lrp_facts f ON f.lrp = i.lrp
    JOIN   lr_nat_facts n ON n.datapath = i.datapath
    WHERE  n.lb_force_snat_router_ip AND f.peer_json_key IS NOT NULL AND i.ip_index = 0
      AND  (i.family = 'ipv4' OR NOT i.is_lla)
)
SELECT datapath, 'lr_in_unsnat' AS stage, 110 AS priority,
       'inport == ' || json_key || ' && ip' || v || '.dst == ' || addr AS match,
       'ct_snat;' AS actions,
       'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   firsts
UNION ALL
SELECT datapath, 'lr_out_snat', 110,
       'flags.force_snat_for_lb == 1 && ip' || v || ' && outport == ' || json_key,
       'ct_snat(' || addr || ');', 'Logical_Router_Port', lrp
FROM   firsts
