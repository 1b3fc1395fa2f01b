-- SB Datapath_Binding rows as northd writes them: build_datapaths() and
-- ovn_datapath_update_external_ids() in northd.c; ovn-sb(5)
-- "Datapath_Binding". One row per logical switch and enabled router, named
-- by its NB uuid (external_ids logical-switch / logical-router), with the
-- tunnel key sql/lib/27_dp_keys.sql assigns. load_balancers is no longer
-- used: northd empties it on switches and leaves routers' alone
-- (sbtables `clear`).

SELECT k.tunnel_key,
       smap_of([
           {'key': CASE d.kind WHEN 0 THEN 'logical-switch' ELSE 'logical-router' END,
            'value': d.datapath},
           {'key': 'name', 'value': d.name},
           {'key': 'name2', 'value': nullif(d.ext[CASE d.kind WHEN 0 THEN 'neutron:network_name'
                                                   ELSE 'neutron:router_name' END], '')},
           {'key': 'interconn-ts', 'value': CASE WHEN d.kind = 0 THEN d.cfg['interconn-ts'] END},
           {'key': 'snat-ct-zone',
            'value': CASE WHEN d.kind = 1 AND opt_int(d.cfg, 'snat-ct-zone', -1) >= 0
                          THEN CAST(opt_int(d.cfg, 'snat-ct-zone', -1) AS VARCHAR) END},
           {'key': 'always_learn_from_arp_request',
            'value': CASE WHEN d.kind = 1 AND NOT opt_bool(d.cfg, 'always_learn_from_arp_request',
                                                           true) THEN 'false' END}]) AS external_ids
FROM  (SELECT _uuid AS datapath, 0 AS kind, name, other_config AS cfg, external_ids AS ext
       FROM Logical_Switch
       UNION ALL
       SELECT _uuid, 1, name, options, external_ids
       FROM Logical_Router WHERE coalesce(enabled, true)) d
JOIN   dp_tunnel_keys k USING (datapath)
