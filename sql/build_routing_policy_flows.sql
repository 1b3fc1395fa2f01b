-- lr_in_policy per router policy, at its priority with its match verbatim:
-- allow (optionally setting pkt.mark), drop, or reroute to the nexthop
-- through the first router port with a network holding it. A reroute with
-- several nexthops becomes an ECMP group (numbered 1, 2, ... in policy
-- order): lr_in_policy selects a member, lr_in_policy_ecmp p100 sends to
-- it. As in northd, a group stops at its first nexthop without a port:
-- the members before it keep their flows, the policy gets none.
-- northd: build_ingress_policy_flows_for_lrouter, build_routing_policy_flow,
--   build_ecmp_routing_policy_flows; ovn-northd(8): "Ingress Table 15:
--   Router policies", "Ingress Table 16: ECMP handling for router policies".
-- Owner: the router policy.
WITH policies AS (
    SELECT r._uuid AS datapath, p._uuid AS policy, p.priority, p.match, p.action,
           CASE WHEN opt_uint(p.options, 'pkt_mark', 0) <> 0
                THEN 'pkt.mark = ' || CAST(opt_uint(p.options, 'pkt_mark', 0) AS VARCHAR) || '; '
                ELSE '' END AS mark,
           array_length(p.nexthops) > 1 AND p.action = 'reroute' AS is_ecmp
    FROM   (SELECT _uuid, unnest(policies) AS policy FROM Logical_Router
            WHERE coalesce(enabled, true)) r
    JOIN   Logical_Router_Policy p ON p._uuid = r.policy
),
numbered AS (           -- ECMP reroutes count up their group ids
    SELECT *, CASE WHEN is_ecmp THEN row_number() OVER (PARTITION BY datapath, is_ecmp
                                                        ORDER BY policy) END AS ecmp_group
    FROM   policies
),
hops AS (               -- each nexthop with the first port holding it
    SELECT n.*, h.member, h.nexthop, h.family, o.lrp, o.addr,
           count(DISTINCT h.family) OVER (PARTITION BY n.policy) > 1 AS mixed
    FROM   numbered n
    JOIN   policy_nexthop h ON h.policy = n.policy
    LEFT JOIN (SELECT h.policy, h.member, min(i.lrp) AS lrp, min_by(i.addr, (i.lrp, i.ip_index))
                          AS addr
               FROM policy_nexthop h
               JOIN policies p ON p.policy = h.policy
               JOIN lrp_ips i ON i.datapath = p.datapath AND i.family = h.family
                              AND in_network(h.bits, i.bits, i.plen)
               GROUP BY h.policy, h.member) o ON o.policy = h.policy AND o.member = h.member
    WHERE  n.action = 'reroute'
),
ecmp_ok AS (            -- members before the first one without a port
    SELECT *, min(CASE WHEN lrp IS NULL THEN member END) OVER (PARTITION BY policy)
                  AS first_missing
    FROM   hops WHERE is_ecmp AND NOT mixed
),
reroute AS (
    SELECT h.*, nexthop_regs(h.family, h.nexthop, h.addr, f.mac, f.json_key)
                || 'flags.loopback = 1; ' AS to_hop
    FROM   hops h JOIN lrp_facts f ON f.lrp = h.lrp
)
SELECT datapath, 'lr_in_policy' AS stage, priority, match,
       CASE action WHEN 'drop' THEN drop_action()
                   ELSE mark || 'reg8[0..15] = 0; next;' END AS actions,
       hint(policy) AS stage_hint, 'Logical_Router_Policy' AS owner_table, policy AS owner
FROM   numbered
WHERE  action IN ('allow', 'drop')
UNION ALL
SELECT datapath, 'lr_in_policy', priority, match,
       mark || to_hop || 'reg8[0..15] = 0; next;', hint(policy), 'Logical_Router_Policy', policy
FROM   reroute
WHERE  NOT is_ecmp AND member = 1
UNION ALL
SELECT r.datapath, 'lr_in_policy_ecmp', 100,
       'reg8[0..15] == ' || CAST(r.ecmp_group AS VARCHAR) || ' && reg8[16..31] == '
       || CAST(r.member AS VARCHAR),
       r.mark || r.to_hop || 'next;', hint(r.policy), 'Logical_Router_Policy', r.policy
FROM   reroute r
JOIN   ecmp_ok e ON e.policy = r.policy AND e.member = r.member
WHERE  e.first_missing IS NULL OR r.member < e.first_missing
UNION ALL
SELECT datapath, 'lr_in_policy', priority, match,
       'reg8[0..15] = ' || CAST(ecmp_group AS VARCHAR) || '; reg8[16..31] = select('
       || ordered_join(CAST(member AS VARCHAR), ', ', member) || ');',
       hint(policy), 'Logical_Router_Policy', policy
FROM   ecmp_ok
GROUP  BY datapath, policy, priority, match, ecmp_group
HAVING count(lrp) = count(*)
