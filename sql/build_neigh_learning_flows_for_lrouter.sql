-- lr_in_lookup_neighbor / lr_in_learn_neighbor, per router: look up the
-- sender of ARP replies and NA/NS in the MAC bindings and learn it when
-- unknown. With always_learn_from_arp_request=false, only refresh bindings
-- for known IPs (reg9[3]).
-- northd: build_neigh_learning_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 1: Neighbor lookup", "Ingress Table 2: Learn neighbor".
-- Owner: the logical router.
WITH lookup AS (
    -- (priority, match, lookup call, extra action when not learning from requests)
    SELECT * FROM (VALUES
        (100, 'arp.op == 2', 'lookup_arp(inport, arp.spa, arp.sha)', 'reg9[3] = 1; '),
        (100, 'nd_na',       'lookup_nd(inport, nd.target, nd.tll)', 'reg9[3] = 1; '),
        (100, 'nd_ns',       'lookup_nd(inport, ip6.src, nd.sll)',
                             'reg9[3] = lookup_nd_ip(inport, ip6.src); ')
    ) AS v(priority, match, call, unlearned)
)
SELECT c.datapath, f.stage, f.priority, f.match, f.actions,
       copp_meter(c.datapath, f.copp) AS ctrl_meter
FROM   lr_conditions c
JOIN   (
    SELECT 'learn_from_arp_request' AS cond, 'lr_in_lookup_neighbor' AS stage, priority, match,
           'reg9[2] = ' || call || '; next;' AS actions, NULL AS copp
    FROM lookup
    UNION ALL
    SELECT 'no_learn_from_arp_request', 'lr_in_lookup_neighbor', priority, match,
           'reg9[2] = ' || call || '; ' || unlearned || 'next;', NULL
    FROM lookup
    UNION ALL
    SELECT * FROM (VALUES
        ('no_learn_from_arp_request', 'lr_in_lookup_neighbor', 110,
            'nd_na && ip6.src == fe80::/10 && ip6.dst == ff00::/8',
            'reg9[2] = lookup_nd(inport, ip6.src, nd.tll); '
            || 'reg9[3] = lookup_nd_ip(inport, ip6.src); next;', NULL),
        ('always', 'lr_in_lookup_neighbor', 0, '1', 'reg9[2] = 1; next;', NULL),
        ('learn_from_arp_request',    'lr_in_learn_neighbor', 100, 'reg9[2] == 1', 'next;', NULL),
        ('no_learn_from_arp_request', 'lr_in_learn_neighbor', 100, 'reg9[2] == 1 || reg9[3] == 0',
            'next;', NULL),
        ('always', 'lr_in_learn_neighbor', 90, 'arp', 'put_arp(inport, arp.spa, arp.sha); next;',
            'arp'),
        ('always', 'lr_in_learn_neighbor', 95, 'nd_ns && (ip6.src == 0 || nd.sll == 0)', 'next;',
            NULL),
        ('always', 'lr_in_learn_neighbor', 95, 'nd_na && nd.tll == 0',
            'put_nd(inport, nd.target, eth.src); next;', 'nd-na'),
        ('always', 'lr_in_learn_neighbor', 90, 'nd_na', 'put_nd(inport, nd.target, nd.tll); next;',
            'nd-na'),
        ('always', 'lr_in_learn_neighbor', 90, 'nd_ns', 'put_nd(inport, ip6.src, nd.sll); next;',
            'nd-ns'),
        ('always', 'lr_in_learn_neighbor', 0, '1', drop_action(), NULL)
    ) AS v(cond, stage, priority, match, actions, copp)
) AS f ON f.cond = c.cond
