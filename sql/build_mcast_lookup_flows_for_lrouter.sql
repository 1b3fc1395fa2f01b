-- lr_in_ip_routing multicast, per router: drop router solicitations and
-- advertisements; with mcast_relay, route the groups learnt on its switches
-- (sql/lib/74_igmp_groups.sql) to their router ports, also to ports that
-- flood multicast; drop unregistered IP multicast, or,
-- when a port floods multicast (mcast_flood), clone it and IGMP/MLD to
-- _MC_static while dropping IGMP/MLD the router's own ports sent.
-- northd: build_mcast_lookup_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 13: IP Routing".
-- Owner: the logical router.
SELECT c.datapath, 'lr_in_ip_routing' AS stage, f.priority, f.match, f.actions
FROM   lr_conditions c
JOIN   (VALUES
    ('always', 10550, 'nd_rs || nd_ra', drop_action()),
    ('mcast_relay_no_flood_static', 10450, 'ip4.mcast || ip6.mcast', drop_action()),
    ('mcast_relay_flood_static', 10460, 'igmp', 'clone { outport = "_MC_static"; next; };'),
    ('mcast_relay_flood_static', 10460, 'mldv1 || mldv2',
        'clone { outport = "_MC_static"; next; };'),
    ('mcast_relay_flood_static', 10450, 'ip4.mcast || ip6.mcast',
        'clone { outport = "_MC_static"; ip.ttl--; next; };')
) AS f(cond, priority, match, actions) ON f.cond = c.cond
UNION ALL
SELECT f.datapath, 'lr_in_ip_routing', 10550, 'eth.src == ' || f.mac || ' && ' || x.proto,
       drop_action()
FROM   lrp_facts f
JOIN   lr_datapaths d ON d.datapath = f.datapath
CROSS JOIN (VALUES ('igmp'), ('(mldv1 || mldv2)')) AS x(proto)
WHERE  d.mcast_relay AND d.mcast_flood_static
UNION ALL
SELECT g.datapath, 'lr_in_ip_routing', 10500, g.proto || ' && ' || g.proto || '.dst == ' || g.name || ' ',
       CASE WHEN d.mcast_flood_static
            THEN 'clone { outport = "_MC_static"; ip.ttl--; next; };' ELSE '' END
       || 'outport = "' || g.name || '"; ip.ttl--; next;'
FROM   igmp_groups g
JOIN   lr_datapaths d ON d.datapath = g.datapath
WHERE  d.mcast_relay
