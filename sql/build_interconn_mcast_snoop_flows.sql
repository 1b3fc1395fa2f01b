-- ls_out_pre_lb on interconnection transit switches with mcast_snoop: punt
-- IGMP/MLD arriving from remote ports to the controller.
-- northd: build_interconn_mcast_snoop_flows; ovn-northd(8): "Egress Table 1:
--   Pre-LB".
-- Owner: the remote logical switch port.
-- Per owner: ls_ports(lsp)
SELECT p.datapath, 'ls_out_pre_lb' AS stage, 120 AS priority,
       'inport == ' || p.json_key || ' && ' || f.proto AS match,
       'clone { igmp; }; next;' AS actions,
       copp_meter(p.datapath, 'igmp') AS ctrl_meter,
       'Logical_Switch_Port' AS owner_table, p.lsp AS owner
FROM   ls_ports p
JOIN   ls_datapaths d ON d.datapath = p.datapath
CROSS JOIN (VALUES ('igmp'), ('(mldv1 || mldv2)')) AS f(proto)
WHERE  p.type = 'remote' AND d.mcast_snoop AND d.interconn_ts
