-- ls_in_arp_rsp default, per switch: no reply, advance.
-- northd: build_lswitch_arp_nd_responder_default
-- ovn-northd(8): "Ingress Table 19: ARP/ND responder"
-- Owner: the logical switch.
SELECT ls.datapath, 'ls_in_arp_rsp' AS stage, 0 AS priority, '1' AS match, 'next;' AS actions
FROM   ls_datapaths ls
