-- ls_in_dhcp_options / ls_in_dhcp_response, DHCPv4: a port's DISCOVER or
-- REQUEST (broadcast, or unicast to the server when renewing) gets
-- put_dhcp_opts with its offer; a successful one is answered from the server.
-- northd: build_dhcpv4_options_flows (build_lswitch_dhcp_options_and_response);
-- ovn-northd(8): "Ingress Table 20: DHCP option processing", "Ingress Table
--   21: DHCP responses".
-- Owner: the logical switch port.
-- Per owner: lsp_dhcp_offers(lsp), lsp_dhcp_inports(lsp), lsp_dhcp_opts(lsp)
WITH f AS (
    SELECT o.*, i.in_name, i.resident,
           'inport == ' || i.in_key || ' && eth.src == ' || o.mac AS from_port,
           'reg0[3] = put_dhcp_opts(offerip = ' || o.offer || ', ' || x.opts
           || '); next;' AS put_opts
    FROM   lsp_dhcp_offers o
    JOIN   lsp_dhcp_inports i ON i.lsp = o.lsp
    JOIN   lsp_dhcp_opts x ON x.lsp = o.lsp AND x.family = o.family
    WHERE  o.family = 'ipv4'
)
SELECT datapath, 'ls_in_dhcp_options' AS stage, 100 AS priority,
       from_port || ' && ip4.src == 0.0.0.0 && ip4.dst == 255.255.255.255'
       || ' && udp.src == 68 && udp.dst == 67' || resident AS match,
       put_opts AS actions, in_name AS io_port,
       copp_meter(datapath, 'dhcpv4-opts') AS ctrl_meter, hint(dhcp) AS stage_hint,
       'Logical_Switch_Port' AS owner_table, lsp AS owner
FROM   f
UNION ALL
SELECT datapath, 'ls_in_dhcp_options', 100,
       from_port || ' && ip4.src == ' || offer || ' && ip4.dst == {' || server_ip
       || ', 255.255.255.255} && udp.src == 68 && udp.dst == 67' || resident,
       put_opts, in_name, copp_meter(datapath, 'dhcpv4-opts'), hint(dhcp),
       'Logical_Switch_Port', lsp
FROM   f
UNION ALL
SELECT datapath, 'ls_in_dhcp_response', 100,
       from_port || ' && ip4 && udp.src == 68 && udp.dst == 67 && reg0[3]' || resident,
       'eth.dst = eth.src; eth.src = ' || server_mac || '; ip4.src = ' || server_ip
       || '; udp.src = 67; udp.dst = 68; outport = inport; flags.loopback = 1; output;',
       in_name, NULL, hint(dhcp), 'Logical_Switch_Port', lsp
FROM   f
