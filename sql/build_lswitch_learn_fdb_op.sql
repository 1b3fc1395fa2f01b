-- Ports with "unknown" addresses and no port security learn source MACs into
-- the FDB: look the source up, and put it when it is not known yet.
-- northd: build_lswitch_learn_fdb_op; ovn-northd(8): "Ingress Table 2:
--   Lookup MAC address learning table", "Ingress Table 3: Learn MAC address".
-- Owner: the logical switch port (a VIF, or a localnet port with
-- options:localnet_learn_fdb).
-- Per owner: ls_ports(lsp)
SELECT p.datapath, f.stage, 100 AS priority, f.match, f.actions,
       p.name AS io_port, hint(p.lsp) AS stage_hint,
       'Logical_Switch_Port' AS owner_table, p.lsp AS owner
FROM   ls_ports p,
       LATERAL (VALUES
           ('ls_in_lookup_fdb', 'inport == ' || p.json_key,
                'reg0[11] = lookup_fdb(inport, eth.src); next;'),
           ('ls_in_put_fdb', 'inport == ' || p.json_key || ' && reg0[11] == 0',
                'put_fdb(inport, eth.src); next;')
       ) AS f(stage, match, actions)
WHERE  p.has_unknown AND p.n_ps_addrs = 0
  AND  (p.type = '' OR (p.type = 'localnet' AND opt_bool(p.options, 'localnet_learn_fdb', false)))
