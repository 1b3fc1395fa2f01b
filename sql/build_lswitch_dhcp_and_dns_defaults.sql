-- DHCP options/response, DNS lookup/response and external-port defaults,
-- per switch: advance.
-- northd: build_lswitch_dhcp_and_dns_defaults
-- ovn-northd(8): "Ingress Table 20: DHCP option processing", "Ingress Table
--   21: DHCP responses", "Ingress Table 22 DNS Lookup", "Ingress Table 23 DNS
--   Responses", "Ingress table 24 External ports"
-- Owner: the logical switch.
SELECT ls.datapath, s.stage, 0 AS priority, '1' AS match, 'next;' AS actions
FROM   ls_datapaths ls,
       (VALUES ('ls_in_dhcp_options'), ('ls_in_dhcp_response'), ('ls_in_dns_lookup'),
               ('ls_in_dns_response'), ('ls_in_external_port')) AS s(stage)
