-- options:gateway_mtu on a router port: lr_in_chk_pkt_len p50 checks the
-- length of packets leaving through the port (p55 skips the check for
-- gateway_mtu_bypass traffic); too-large packets get an ICMP "fragmentation
-- needed" / "packet too big" error: in lr_in_ip_input p150 for packets that
-- came in on the port, in lr_in_larger_pkts p150 for packets from each other
-- port of the router. CoPP meters: icmp4-error, icmp6-error.
-- northd: build_check_pkt_len_flows_for_lrp, build_icmperr_pkt_big_flows,
--   build_gateway_mtu_flow; ovn-northd(8): "Ingress Table 18: Check packet
--   length", "Ingress Table 19: Handle larger packets".
-- Owner: the router port with gateway_mtu.
WITH mtu AS (
    SELECT f.*, opt_int(f.options, 'gateway_mtu', 0) AS gw_mtu,
           opt(f.options, 'gateway_mtu_bypass') AS bypass
    FROM   lrp_facts f
    WHERE  opt_int(f.options, 'gateway_mtu', 0) > 0
),
first_ip AS (           -- a port's first IPv4 and first IPv6 address
    SELECT lrp, family, addr FROM lrp_ips WHERE ip_index = 0
),
errors AS (             -- (port the packet came in on, port with the MTU)
    SELECT m.datapath, m.lrp AS owner, m.gw_mtu, m.lrp AS in_lrp, NULL AS out_key,
           'lr_in_ip_input' AS stage
    FROM   mtu m
    UNION ALL
    SELECT m.datapath, m.lrp, m.gw_mtu, o.lrp, m.json_key, 'lr_in_larger_pkts'
    FROM   mtu m JOIN lrp_facts o ON o.datapath = m.datapath AND o.lrp <> m.lrp
)
SELECT datapath, 'lr_in_chk_pkt_len' AS stage, 50 AS priority,
       'outport == ' || json_key AS match,
       'reg9[1] = check_pkt_larger(' || CAST(gw_mtu + l2_hdr_size AS VARCHAR) || '); next;'
           AS actions,
       NULL AS ctrl_meter, hint(lrp) AS stage_hint,
       'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   mtu
UNION ALL
SELECT datapath, 'lr_in_chk_pkt_len', 55, 'outport == ' || json_key || ' && (' || bypass || ')',
       'next;', NULL, hint(lrp), 'Logical_Router_Port', lrp
FROM   mtu
WHERE  bypass IS NOT NULL
UNION ALL
SELECT e.datapath, e.stage, 150,
       'inport == ' || i.json_key || ' && ' || coalesce('outport == ' || e.out_key || ' && ', '')
       || CASE WHEN a.family = 'ipv4' THEN 'ip4' ELSE 'ip6' END
       || ' && reg9[1] && reg9[0] == 0',
       CASE WHEN a.family = 'ipv4' THEN 'icmp4_error {' ELSE 'icmp6_error {' END
       || 'reg9[0] = 1; reg9[1] = 0; eth.dst = ' || i.mac || '; '
       || CASE WHEN a.family = 'ipv4'
               THEN 'ip4.dst = ip4.src; ip4.src = ' || a.addr || '; ip.ttl = 255; '
                    || 'icmp4.type = 3; /* Destination Unreachable. */ '
                    || 'icmp4.code = 4; /* Frag Needed and DF was Set. */ '
                    || 'icmp4.frag_mtu = '
               ELSE 'ip6.dst = ip6.src; ip6.src = ' || a.addr || '; ip.ttl = 255; '
                    || 'icmp6.type = 2; /* Packet Too Big. */ icmp6.code = 0; '
                    || 'icmp6.frag_mtu = ' END
       || CAST(e.gw_mtu AS VARCHAR) || '; next(pipeline=ingress, table='
       || stage_table('lr_in_admission') || '); };',
       copp_meter(e.datapath, CASE WHEN a.family = 'ipv4' THEN 'icmp4-error'
                                   ELSE 'icmp6-error' END),
       hint(e.in_lrp), 'Logical_Router_Port', e.owner
FROM   errors e
JOIN   lrp_facts i ON i.lrp = e.in_lrp
JOIN   first_ip a ON a.lrp = e.in_lrp
