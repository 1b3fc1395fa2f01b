-- lr_in_ip_input p100 per IPv6 address of a router port: hand DHCPv6
-- replies to the controller.
-- northd: build_dhcpv6_reply_flows_for_lrouter_port; ovn-northd(8):
--   "Ingress Table 3: IP Input".
-- Owner: the logical router port.
SELECT datapath, 'lr_in_ip_input' AS stage, 100 AS priority,
       'ip6.dst == ' || addr || ' && udp.src == 547 && udp.dst == 546' AS match,
       'reg0 = 0; handle_dhcpv6_reply;' AS actions,
       NULL AS stage_hint, 'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   lrp_ips
WHERE  family = 'ipv6'
