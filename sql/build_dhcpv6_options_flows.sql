-- ls_in_dhcp_options / ls_in_dhcp_response, DHCPv6: a port's SOLICIT (to
-- ff02::1:2) gets put_dhcpv6_opts, with its address as ia_addr unless the
-- options are dhcpv6_stateless; a successful one is answered from the
-- server's link-local address.
-- northd: build_dhcpv6_options_flows (build_lswitch_dhcp_options_and_response);
-- ovn-northd(8): "Ingress Table 20: DHCP option processing", "Ingress Table
--   21: DHCP responses".
-- Owner: the logical switch port.
-- Per owner: lsp_dhcp_offers(lsp), lsp_dhcp_inports(lsp), lsp_dhcp_opts(lsp)
WITH f AS (
    SELECT o.*, i.in_name,
           'inport == ' || i.in_key || ' && eth.src == ' || o.mac
           || ' && ip6.dst == ff02::1:2 && udp.src == 546 && udp.dst == 547'
           || i.resident AS solicit,
           'reg0[3] = put_dhcpv6_opts('
           || CASE WHEN opt_bool(o.options, 'dhcpv6_stateless', false) THEN ''
                   ELSE 'ia_addr = ' || o.offer || ', ' END
           || x.opts || '); next;' AS put_opts
    FROM   lsp_dhcp_offers o
    JOIN   lsp_dhcp_inports i ON i.lsp = o.lsp
    JOIN   lsp_dhcp_opts x ON x.lsp = o.lsp AND x.family = o.family
    WHERE  o.family = 'ipv6'
)
SELECT datapath, 'ls_in_dhcp_options' AS stage, 100 AS priority, solicit AS match,
       put_opts AS actions, in_name AS io_port,
       copp_meter(datapath, 'dhcpv6-opts') AS ctrl_meter, hint(dhcp) AS stage_hint,
       'Logical_Switch_Port' AS owner_table, lsp AS owner
FROM   f
UNION ALL
SELECT datapath, 'ls_in_dhcp_response', 100, solicit || ' && reg0[3]',
       'eth.dst = eth.src; eth.src = ' || server_mac || '; ip6.dst = ip6.src; ip6.src = '
       || server_ip || '; udp.src = 547; udp.dst = 546; outport = inport;'
       || ' flags.loopback = 1; output;',
       in_name, NULL, hint(dhcp), 'Logical_Switch_Port', lsp
FROM   f
