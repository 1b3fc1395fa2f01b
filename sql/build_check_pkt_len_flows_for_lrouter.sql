-- lr_in_chk_pkt_len / lr_in_larger_pkts defaults, per router: advance.
-- northd: build_check_pkt_len_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 18: Check packet length", "Ingress Table 19: Handle larger packets".
-- Owner: the logical router. (gateway_mtu: build_check_pkt_len_flows_for_lrp.)
SELECT lr.datapath, s.stage, 0 AS priority, '1' AS match, 'next;' AS actions
FROM   lr_datapaths lr,
       (VALUES ('lr_in_chk_pkt_len'), ('lr_in_larger_pkts')) AS s(stage)
