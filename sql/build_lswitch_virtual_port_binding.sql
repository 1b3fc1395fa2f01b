-- ls_in_arp_rsp for virtual ports: ARP (IPv4) or ND (IPv6) for the
-- virtual-ip seen on one of the virtual-parents binds the virtual port to
-- that parent's chassis (bind_vport). One flow per parent on the same switch.
-- northd: build_lswitch_arp_nd_responder_known_ips, virtual-port branch;
--   ovn-northd(8): "Ingress Table 19: ARP/ND responder".
-- Owner: the virtual port; the stage hint and in_out_port are the parent's.
-- Per owner: lsp_virtual_parents(lsp)
SELECT v.datapath, 'ls_in_arp_rsp' AS stage, 100 AS priority,
       'inport == "' || v.parent || '" && '
       || CASE ip.family
          WHEN 'ipv4' THEN '((arp.op == 1 && arp.spa == ' || v.vip || ' && arp.tpa == ' || v.vip
                           || ') || (arp.op == 2 && arp.spa == ' || v.vip || '))'
          ELSE '((nd_ns && ip6.dst == {' || v.vip || ', ' || ip.sn_addr || '} && nd.target == '
               || v.vip || ') ||(nd_na && nd.target == ' || v.vip || '))' END AS match,
       'bind_vport(' || v.json_key || ', inport); next;' AS actions,
       v.parent AS io_port, hint(v.parent_lsp) AS stage_hint,
       'Logical_Switch_Port' AS owner_table, v.lsp AS owner
FROM   lsp_virtual_parents v
JOIN   parsed_ip ip ON ip.text = v.vip
