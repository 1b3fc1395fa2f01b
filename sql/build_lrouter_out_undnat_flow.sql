-- lr_out_undnat p100 on routers with distributed gateway ports: replies of
-- DNATed sessions (dnat, dnat_and_snat) leaving the NAT's gateway port are
-- un-DNATed in the chassis' zone (on the gateway chassis unless the NAT is
-- distributed, which also sets its external MAC); stateless ones advance.
-- northd: build_lrouter_out_undnat_flow; ovn-northd(8): "Egress Table 1:
--   UNDNAT".
-- Owner: the logical router.
-- Per owner: nat_flow_entries(datapath)
SELECT datapath, 'lr_out_undnat' AS stage, 100 AS priority,
       'ip && ' || ip_match || '.src == ' || logical_ip || ' && outport == ' || dgp_json_key
       || CASE WHEN distributed THEN '' ELSE ' && ' || dgp_resident END AS match,
       CASE WHEN distributed THEN 'eth.src = ' || mac || '; ' ELSE '' END
       || CASE WHEN stateless THEN 'next;' ELSE 'ct_dnat_in_czone;' END AS actions,
       hint(nat) AS stage_hint
FROM   nat_flow_entries
WHERE  type IN ('dnat', 'dnat_and_snat') AND l3dgw_port IS NOT NULL
