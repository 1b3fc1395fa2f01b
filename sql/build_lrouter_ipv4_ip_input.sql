-- lr_in_ip_input for the IPv4 addresses of each router port: drop packets
-- from the router's own or broadcast addresses (p100), answer ICMP echo
-- (p90) and ARP for the port's addresses from its subnets (p90; on the
-- gateway chassis when lrp_facts.l2_resident says so), reject TCP/UDP/SCTP
-- and other IP to them on routers without gateways (p80/p70), and send ICMP
-- time exceeded for expiring TTLs (p31; a distributed gateway port swaps
-- the addresses instead of naming its own). CoPP meters: icmp4-error,
-- tcp-reset.
-- northd: build_lrouter_ipv4_ip_input, build_lrouter_arp_flow;
--   ovn-northd(8): "Ingress Table 3: IP Input".
-- Owner: the logical router port. (BFD, LB VIP ARP and NAT addresses come
-- with those families.)
WITH v4 AS (
    SELECT i.*, f.is_gateway_router, f.router_dgps, f.dgp_resident, f.l2_resident,
           s.addrs, s.with_bcast
    FROM   lrp_ips i
    JOIN   lrp_facts f ON f.lrp = i.lrp
    JOIN   lrp_ip_sets s ON s.lrp = i.lrp AND s.family = 'ipv4'
    WHERE  i.family = 'ipv4'
),
unreachable AS (
    SELECT v4.*, u.priority, u.proto, u.actions, u.meter
    FROM   v4, LATERAL (VALUES
        (80, ' && udp', 'icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; '
                        || 'icmp4.type = 3; icmp4.code = 3; next; };', 'icmp4-error'),
        (80, ' && tcp', 'tcp_reset {eth.dst <-> eth.src; ip4.dst <-> ip4.src; next; };',
                        'tcp-reset'),
        (80, ' && sctp', 'sctp_abort {eth.dst <-> eth.src; ip4.dst <-> ip4.src; next; };',
                         'tcp-reset'),
        (70, '', 'icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; '
                 || 'icmp4.type = 3; icmp4.code = 2; next; };', 'icmp4-error')
    ) u(priority, proto, actions, meter)
    WHERE  NOT v4.is_gateway_router AND v4.router_dgps = 0
)
SELECT DISTINCT datapath, 'lr_in_ip_input' AS stage, 100 AS priority,
       'ip4.src == ' || with_bcast || ' && reg9[0] == 0' AS match, drop_action() AS actions,
       NULL AS ctrl_meter, hint(lrp) AS stage_hint,
       'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   v4
UNION ALL
SELECT DISTINCT datapath, 'lr_in_ip_input', 90,
       'ip4.dst == ' || addrs || ' && icmp4.type == 8 && icmp4.code == 0',
       'ip4.dst <-> ip4.src; ip.ttl = 255; icmp4.type = 0; flags.loopback = 1; next; ',
       NULL, hint(lrp), 'Logical_Router_Port', lrp
FROM   v4
UNION ALL
SELECT datapath, 'lr_in_ip_input', 31,
       'inport == ' || json_key || ' && ip4 && ip.ttl == {0, 1} && !ip.later_frag',
       'icmp4 {eth.dst <-> eth.src; icmp4.type = 11; /* Time exceeded */ icmp4.code = 0; '
       || '/* TTL exceeded in transit */ '
       || CASE WHEN dgp_resident IS NOT NULL THEN 'ip4.dst <-> ip4.src'
               ELSE 'ip4.dst = ip4.src; ip4.src = ' || addr END
       || ' ; ip.ttl = 254; outport = ' || json_key || '; flags.loopback = 1; output; };',
       copp_meter(datapath, 'icmp4-error'), hint(lrp), 'Logical_Router_Port', lrp
FROM   v4
UNION ALL
SELECT datapath, 'lr_in_ip_input', 90,
       'inport == ' || json_key || ' && arp.op == 1 && arp.tpa == ' || addr
       || ' && arp.spa == ' || network || '/' || CAST(plen AS VARCHAR)
       || coalesce(' && ' || l2_resident, ''),
       lr_arp_reply_action('xreg0[0..47]'),
       NULL, hint(lrp), 'Logical_Router_Port', lrp
FROM   v4
UNION ALL
SELECT datapath, 'lr_in_ip_input', priority,
       'ip4 && ip4.dst == ' || addr || ' && !ip.later_frag' || proto, actions,
       copp_meter(datapath, meter), hint(lrp), 'Logical_Router_Port', lrp
FROM   unreachable
