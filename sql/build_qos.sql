-- ls_in/out_qos_mark and ls_in/out_qos_meter defaults, per switch: advance.
-- northd: build_qos
-- ovn-northd(8): "Ingress Table 9: from-lport QoS Marking", "Ingress Table 10:
--   from-lport QoS Meter", "Egress Table 5: to-lport QoS Marking",
--   "Egress Table 6: to-lport QoS Meter"
-- Owner: the logical switch. (QoS rules come with the QoS table.)
SELECT ls.datapath, s.stage, 0 AS priority, '1' AS match, 'next;' AS actions
FROM   ls_datapaths ls,
       (VALUES ('ls_in_qos_mark'), ('ls_out_qos_mark'),
               ('ls_in_qos_meter'), ('ls_out_qos_meter')) AS s(stage)
