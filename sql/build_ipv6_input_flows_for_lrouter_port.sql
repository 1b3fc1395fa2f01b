-- lr_in_ip_input for the IPv6 addresses of each router port (link-local
-- included): answer ICMPv6 echo (p90) and neighbor solicitations for them
-- (p90, nd_na_router; a distributed gateway port only on its gateway
-- chassis), reject TCP/UDP/SCTP and other IP to them on routers without
-- gateways (p80/p70), and send time exceeded for expiring hop limits from
-- the port's non-link-local subnets (p31; a distributed gateway port swaps
-- the addresses instead of naming its own). CoPP meters: nd-na,
-- icmp6-error, tcp-reset.
-- northd: build_ipv6_input_flows_for_lrouter_port, build_lrouter_nd_flow;
--   ovn-northd(8): "Ingress Table 3: IP Input".
-- Owner: the logical router port.
WITH v6 AS (
    SELECT i.*, f.is_gateway_router, f.router_dgps, f.dgp_resident, s.addrs
    FROM   lrp_ips i
    JOIN   lrp_facts f ON f.lrp = i.lrp
    JOIN   lrp_ip_sets s ON s.lrp = i.lrp AND s.family = 'ipv6'
    WHERE  i.family = 'ipv6'
),
unreachable AS (
    SELECT v6.*, u.priority, u.proto, u.actions, u.meter
    FROM   v6, LATERAL (VALUES
        (80, ' && tcp', 'tcp_reset {eth.dst <-> eth.src; ip6.dst <-> ip6.src; next; };',
                        'tcp-reset'),
        (80, ' && sctp', 'sctp_abort {eth.dst <-> eth.src; ip6.dst <-> ip6.src; next; };',
                         'tcp-reset'),
        (80, ' && udp', 'icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; '
                        || 'icmp6.type = 1; icmp6.code = 4; next; };', 'icmp6-error'),
        (70, '', 'icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; '
                 || 'icmp6.type = 1; icmp6.code = 3; next; };', 'icmp6-error')
    ) u(priority, proto, actions, meter)
    WHERE  NOT v6.is_gateway_router AND v6.router_dgps = 0
)
SELECT DISTINCT datapath, 'lr_in_ip_input' AS stage, 90 AS priority,
       'ip6.dst == ' || addrs || ' && icmp6.type == 128 && icmp6.code == 0' AS match,
       'ip6.dst <-> ip6.src; ip.ttl = 255; icmp6.type = 129; flags.loopback = 1; next; '
           AS actions,
       NULL AS ctrl_meter, hint(lrp) AS stage_hint,
       'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   v6
UNION ALL
SELECT datapath, 'lr_in_ip_input', 90,
       'inport == ' || json_key || ' && ip6.dst == {' || addr || ', ' || sn_addr
       || '} && nd_ns && nd.target == ' || addr || coalesce(' && ' || dgp_resident, ''),
       lr_nd_reply_action('nd_na_router', 'xreg0[0..47]'),
       copp_meter(datapath, 'nd-na'), hint(lrp), 'Logical_Router_Port', lrp
FROM   v6
UNION ALL
SELECT datapath, 'lr_in_ip_input', priority,
       'ip6 && ip6.dst == ' || addr || ' && !ip.later_frag' || proto, actions,
       copp_meter(datapath, meter), hint(lrp), 'Logical_Router_Port', lrp
FROM   unreachable
UNION ALL
SELECT datapath, 'lr_in_ip_input', 31,
       'inport == ' || json_key || ' && ip6 && ip6.src == ' || network || '/'
       || CAST(plen AS VARCHAR) || ' && ip.ttl == {0, 1} && !ip.later_frag',
       'icmp6 {eth.dst <-> eth.src; '
       || CASE WHEN dgp_resident IS NOT NULL THEN 'ip6.dst <-> ip6.src'
               ELSE 'ip6.dst = ip6.src; ip6.src = ' || addr END
       || ' ; ip.ttl = 254; icmp6.type = 3; /* Time exceeded */ icmp6.code = 0; '
       || '/* TTL exceeded in transit */ outport = ' || json_key
       || '; flags.loopback = 1; output; };',
       copp_meter(datapath, 'icmp6-error'), hint(lrp), 'Logical_Router_Port', lrp
FROM   v6
WHERE  NOT is_lla
