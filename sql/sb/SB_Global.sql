-- The SB_Global row as northd writes it: ovnnb_db_run() in northd.c;
-- ovn-sb(5) "SB_Global". ipsec follows NB_Global's. options are NB_Global's
-- options as northd leaves them (it writes them back to NB first) with:
-- mac_prefix as set_mac_prefix() prints it, svc_monitor_mac as written,
-- max_tunid (the datapath tunnel key range: smaller in VXLAN mode),
-- northd_internal_version (this northd's: OVN version, SB schema version,
-- number of OVN actions, internal minor version) and
-- lb_hairpin_use_ct_mark=false only when some chassis lacks
-- ct-no-masked-label.
-- mac_prefix and svc_monitor_mac: when NB_Global has no valid one northd
-- picks a random one and stores it in NB_Global options, where every later
-- run reads it; relnorthd reads the stored value likewise (so a test
-- compares the reference's SB with what relnorthd computes from the NB the
-- reference left) and, with none stored, writes none.

SELECT map_concat(
           smap_without(g.options, ['mac_prefix', 'svc_monitor_mac', 'max_tunid',
                                    'northd_internal_version', 'lb_hairpin_use_ct_mark']),
           smap_of([
               {'key': 'mac_prefix', 'value': mac_prefix_of(opt(g.options, 'mac_prefix'))},
               {'key': 'svc_monitor_mac',      -- kept as written when eth_addr_from_string()
                'value': CASE WHEN regexp_full_match(    -- takes it (flows need two digits)
                                  coalesce(opt(g.options, 'svc_monitor_mac'), ''),
                                  '\s*([0-9a-fA-F]{1,2}:){5}[0-9a-fA-F]{1,2}')
                              THEN opt(g.options, 'svc_monitor_mac') END},
               {'key': 'max_tunid',
                'value': CASE WHEN v.vxlan THEN '4095' ELSE '16711680' END},
               {'key': 'northd_internal_version', 'value': '23.03.1-20.27.0-70.6'},
               {'key': 'lb_hairpin_use_ct_mark',
                'value': CASE WHEN NOT c.ct_no_masked_label THEN 'false' END}])) AS options,
       coalesce((SELECT any_value(ipsec) FROM NB_Global), false) AS ipsec
FROM   nb_global_options g, northd_config c, vxlan_mode v
