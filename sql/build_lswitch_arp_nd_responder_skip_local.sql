-- ls_in_arp_rsp: never answer ARP/ND arriving on a localnet port.
-- northd: build_lswitch_arp_nd_responder_skip_local; ovn-northd(8): "Ingress
--   Table 19: ARP/ND responder".
-- Owner: the localnet port.
-- Per owner: ls_ports(lsp)
SELECT p.datapath, 'ls_in_arp_rsp' AS stage, 100 AS priority,
       'inport == ' || p.json_key AS match, 'next;' AS actions,
       p.name AS io_port, hint(p.lsp) AS stage_hint,
       'Logical_Switch_Port' AS owner_table, p.lsp AS owner
FROM   ls_ports p
WHERE  p.type = 'localnet'
