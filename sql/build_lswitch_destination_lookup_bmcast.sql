-- ls_in_l2_lkup broadcast/multicast, per switch: service-monitor replies to
-- the controller, IGMP/MLD snooping (mcast_snoop), flooding of reserved
-- multicast ranges, unregistered multicast (drop unless flooded), and
-- eth.mcast to _MC_flood. Controller flows carry the CoPP meter.
-- northd: build_lswitch_destination_lookup_bmcast
-- ovn-northd(8): "Ingress Table 25 Destination Lookup"
-- Owner: the logical switch. (Flooding unregistered multicast to relay
-- routers, _MC_mrouter_flood, comes with router ports.)
SELECT c.datapath, f.stage, f.priority, f.match, f.actions,
       copp_meter(c.datapath, f.copp) AS ctrl_meter
FROM   ls_conditions c
JOIN   (VALUES
    ('always',      'ls_in_l2_lkup', 110, 'eth.dst == $svc_monitor_mac && (tcp || icmp || icmp6)',
        'handle_svc_check(inport);', 'svc-monitor'),
    ('mcast_snoop', 'ls_in_l2_lkup', 100, 'igmp', 'igmp;', 'igmp'),
    ('mcast_snoop', 'ls_in_l2_lkup', 100, 'mldv1 || mldv2', 'igmp;', 'igmp'),
    ('mcast_snoop', 'ls_in_l2_lkup',  85, 'ip4.mcast && ip4.dst == 224.0.0.0/24',
        'outport = "_MC_flood_l2"; output;', NULL),
    ('mcast_snoop', 'ls_in_l2_lkup',  85, 'ip6.mcast_flood', 'outport = "_MC_flood"; output;', NULL),
    ('mcast_snoop_drop_unregistered', 'ls_in_l2_lkup', 80, 'ip4.mcast || ip6.mcast',
        drop_action(), NULL),
    ('mcast_snoop_static_unregistered', 'ls_in_l2_lkup', 80, 'ip4.mcast || ip6.mcast',
        'outport ="_MC_static"; output;', NULL),
    ('always',      'ls_in_l2_lkup',  70, 'eth.mcast', 'outport = "_MC_flood"; output;', NULL)
) AS f(cond, stage, priority, match, actions, copp) ON f.cond = c.cond
