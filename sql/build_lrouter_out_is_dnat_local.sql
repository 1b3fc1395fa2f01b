-- lr_out_chk_dnat_local p50 on routers with distributed gateway ports:
-- traffic to a NAT's external IP, where the NAT runs, is marked as DNATed to
-- a local IP (reg9[4]).
-- northd: build_lrouter_out_is_dnat_local; ovn-northd(8): "Egress Table 0:
--   Check DNAT local".
-- Owner: the logical router.
-- Per owner: nat_flow_entries(datapath)
SELECT datapath, 'lr_out_chk_dnat_local' AS stage, 50 AS priority,
       'ip && ' || ip_match || '.dst == ' || external_ip || ' && ' || resident AS match,
       'reg9[4] = 1; next;' AS actions, hint(nat) AS stage_hint
FROM   nat_flow_entries
WHERE  l3dgw_port IS NOT NULL
