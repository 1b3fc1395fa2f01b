-- ls_in_l2_lkup broadcast/multicast, per switch: service-monitor replies to
-- the controller, IGMP/MLD snooping (mcast_snoop), flooding of reserved
-- multicast ranges, unregistered multicast (to relaying routers and static
-- flood ports, else dropped, unless flood_unregistered), and eth.mcast to
-- _MC_flood. Controller flows carry the CoPP meter.
-- northd: build_lswitch_destination_lookup_bmcast
-- ovn-northd(8): "Ingress Table 25 Destination Lookup"
-- Owner: the logical switch.
SELECT c.datapath, f.stage, f.priority, f.match, f.actions,
       copp_meter(c.datapath, f.copp) AS ctrl_meter
FROM   ls_conditions c
JOIN   ls_datapaths d ON d.datapath = c.datapath
JOIN   LATERAL (VALUES
    ('always',      'ls_in_l2_lkup', 110, 'eth.dst == $svc_monitor_mac && (tcp || icmp || icmp6)',
        'handle_svc_check(inport);', 'svc-monitor'),
    ('mcast_snoop', 'ls_in_l2_lkup', 100, 'igmp', 'igmp;', 'igmp'),
    ('mcast_snoop', 'ls_in_l2_lkup', 100, 'mldv1 || mldv2', 'igmp;', 'igmp'),
    ('mcast_snoop', 'ls_in_l2_lkup',  85, 'ip4.mcast && ip4.dst == 224.0.0.0/24',
        'outport = "_MC_flood_l2"; output;', NULL),
    ('mcast_snoop', 'ls_in_l2_lkup',  85, 'ip6.mcast_flood', 'outport = "_MC_flood"; output;', NULL),
    -- unregistered IP multicast: to relaying routers and static flood ports, else drop
    ('mcast_snoop_unregistered', 'ls_in_l2_lkup', 80, 'ip4.mcast || ip6.mcast',
        CASE WHEN NOT d.mcast_flood_relay AND NOT d.mcast_flood_static THEN drop_action()
             ELSE CASE WHEN d.mcast_flood_relay
                       THEN 'clone { outport = "_MC_mrouter_flood"; output; }; ' ELSE '' END
                  || CASE WHEN d.mcast_flood_static
                          THEN 'outport ="_MC_static"; output;' ELSE '' END END, NULL),
    ('always',      'ls_in_l2_lkup',  70, 'eth.mcast', 'outport = "_MC_flood"; output;', NULL)
) AS f(cond, stage, priority, match, actions, copp) ON f.cond = c.cond
