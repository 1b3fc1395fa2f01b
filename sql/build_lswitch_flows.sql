-- ls_in_l2_lkup fallback and ls_in_l2_unknown, per switch: unknown
-- destinations go to the FDB, then to _MC_unknown when a port has "unknown"
-- addresses, else are dropped.
-- northd: build_lswitch_flows
-- ovn-northd(8): "Ingress Table 25 Destination Lookup", "Ingress Table 26
--   Destination unknown"
-- Owner: the logical switch.
SELECT ls.datapath, f.stage, f.priority, f.match, f.actions
FROM   ls_datapaths ls,
       LATERAL (VALUES
    ('ls_in_l2_lkup',     0, '1', 'outport = get_fdb(eth.dst); next;'),
    ('ls_in_l2_unknown', 50, 'outport == "none"',
        CASE WHEN ls.has_unknown THEN 'outport = "_MC_unknown"; output;' ELSE drop_action() END),
    ('ls_in_l2_unknown',  0, '1', 'output;')
       ) AS f(stage, priority, match, actions)
