-- Symmetric ECMP replies on gateway routers (options:chassis): for each
-- output port of an ECMP group's members with options:ecmp_symmetric_reply
-- (its first such member), packets arriving through the port from the
-- route's prefix go through conntrack (lr_in_defrag p100, also the group's
-- own traffic), new and unreplied TCP/UDP/SCTP sessions remember the port's
-- tunnel key and the sender MAC (lr_in_ecmp_stateful p100), and replies
-- go back the same way: lr_in_ip_routing p10300, skipping policies
-- (lr_in_policy p65535) and ARP (lr_in_arp_resolve p200).
-- northd: build_ecmp_route_flow, add_ecmp_symmetric_reply_flows;
--   ovn-northd(8): "Ingress Table 11: IP Routing" (ECMP symmetric reply).
-- Owner: the static route.
WITH members AS (
    SELECT k.*, f.json_key, f.mac, t.tunnel_key,
           route_match(g.rtb_id, g.connected, g.is_src, g.family, g.prefix, g.plen)
               AS group_match,
           'inport == ' || f.json_key || ' && ' || CASE WHEN k.family = 'ipv4' THEN 'ip4.' ELSE 'ip6.' END
           || CASE WHEN k.is_src THEN 'dst' ELSE 'src' END || ' == ' || k.prefix
           || CASE WHEN k.plen IN (32, 128) THEN '' ELSE '/' || CAST(k.plen AS VARCHAR) END
               AS base_match,
           'ct.rpl && reg9[5] == 1 && '
           || CASE WHEN ct_no_masked_label() THEN 'ct_mark' ELSE 'ct_label' END
           || '.ecmp_reply_port == ' || CAST(t.tunnel_key AS VARCHAR) AS reply_match,
           row_number() OVER (PARTITION BY k.datapath, k.ecmp_group, k.out_lrp
                              ORDER BY k.member_id) AS nth_on_port
    FROM   static_route_keys k
    JOIN   ecmp_groups g USING (datapath, ecmp_group)
    JOIN   lr_datapaths d ON d.datapath = k.datapath AND d.is_gateway_router
    JOIN   Logical_Router_Static_Route s ON s._uuid = k.route
    JOIN   lrp_facts f ON f.lrp = k.out_lrp
    JOIN   lrp_tunnel_keys t ON t.lrp = k.out_lrp
    WHERE  k.n_members > 1 AND opt_bool(s.options, 'ecmp_symmetric_reply', false)
),
reply_ports AS (SELECT * FROM members WHERE nth_on_port = 1),
commits AS (            -- lr_in_ecmp_stateful: remember where sessions came from
    SELECT s.*, c.state, c.proto,
           'ct_commit { ct_label.ecmp_reply_eth = eth.src;  '
           || CASE WHEN ct_no_masked_label() THEN 'ct_mark' ELSE 'ct_label' END
           || '.ecmp_reply_port = ' || CAST(s.tunnel_key AS VARCHAR) || ';}; commit_ecmp_nh(ipv6 = '
           || CASE WHEN s.family = 'ipv4' THEN 'false' ELSE 'true' END || ', proto = '
           || c.proto || '); next;' AS commit_actions
    FROM   reply_ports s,
           (VALUES (1, 'new', 'tcp'), (2, 'new', 'udp'), (3, 'new', 'sctp'),
                   (4, 'est', 'tcp'), (5, 'est', 'udp'), (6, 'est', 'sctp')) c(n, state, proto)
)
SELECT r.datapath, f.stage, f.priority, f.match, f.actions,
       hint(r.route) AS stage_hint, 'Logical_Router_Static_Route' AS owner_table,
       r.route AS owner
FROM   reply_ports r, LATERAL (VALUES
    ('lr_in_defrag', 100, r.base_match, 'reg9[5] = chk_ecmp_nh_mac(); ct_next;'),
    ('lr_in_defrag', 100, r.group_match, 'reg9[5] = chk_ecmp_nh(); ct_next;'),
    ('lr_in_ip_routing', 10300, r.reply_match || ' && ' || r.group_match,
     'ip.ttl--; flags.loopback = 1; eth.src = ' || r.mac || '; '
     || CASE WHEN r.family = 'ipv4' THEN 'reg1 = ' ELSE 'xxreg1 = ' END || r.src
     || '; outport = ' || r.json_key || '; next;'),
    ('lr_in_policy', 65535, r.reply_match, 'next;'),
    ('lr_in_arp_resolve', 200, r.reply_match,
     'push(xxreg1); xxreg1 = ct_label; eth.dst = xxreg1[32..79]; pop(xxreg1); next;')
) f(stage, priority, match, actions)
UNION ALL
SELECT datapath, 'lr_in_ecmp_stateful', 100,
       base_match || CASE WHEN state = 'new' THEN ' && (ct.new && !ct.est) && ' || proto
                          ELSE ' && (!ct.rpl && ct.est) && ' || proto || ' && reg9[5] == 0' END,
       commit_actions, hint(route), 'Logical_Router_Static_Route', route
FROM   commits
