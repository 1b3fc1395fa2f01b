-- ls_in_lookup_fdb / ls_in_put_fdb defaults, per switch: no FDB lookup or
-- learning, advance.
-- northd: build_lswitch_learn_fdb_od
-- ovn-northd(8): "Ingress Table 2: Lookup MAC address learning table",
--   "Ingress Table 3: Learn MAC of 'unknown' ports."
-- Owner: the logical switch.
SELECT ls.datapath, f.stage, 0 AS priority, '1' AS match, 'next;' AS actions
FROM   ls_datapaths ls,
       (VALUES ('ls_in_lookup_fdb'), ('ls_in_put_fdb')) AS f(stage)
