-- lr_in_unsnat p90 on gateway routers: replies to SNATed sessions (snat,
-- dnat_and_snat) are unSNATed; stateless dnat_and_snat just advances.
-- northd: build_lrouter_in_unsnat_flow; ovn-northd(8): "Ingress Table 4:
--   UNSNAT".
-- Owner: the logical router. (Distributed gateway ports come later.)
SELECT datapath, 'lr_in_unsnat' AS stage, 90 AS priority,
       'ip && ' || ip_match || '.dst == ' || external_ip AS match,
       CASE WHEN stateless THEN 'next;' ELSE 'ct_snat;' END AS actions,
       hint(nat) AS stage_hint
FROM   nat_flow_entries
WHERE  type IN ('snat', 'dnat_and_snat') AND is_gateway_router
