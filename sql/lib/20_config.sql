-- Global inputs of a northd run: NB_Global options (ovnnb_db_run), the
-- chassis features (build_chassis_features) read from SB Chassis and
-- whether any chassis uses VXLAN (is_vxlan_mode). sbsync.py runs this file
-- too (for the tunnel keys).

-- NB_Global has at most one row; northd creates it when missing.
CREATE OR REPLACE TEMP TABLE nb_global_options AS
SELECT coalesce((SELECT any_value(options) FROM NB_Global), MAP {}) AS options;

-- Any local (not is-remote) chassis lacking a feature turns it off.
CREATE OR REPLACE TEMP TABLE chassis_features AS
SELECT coalesce(bool_and(opt_bool(other_config, 'ct-no-masked-label', false)), true)
           AS ct_no_masked_label,
       coalesce(bool_and(opt_bool(other_config, 'ovn-ct-lb-related', false)), true)
           AS ct_lb_related
FROM   sb_Chassis
WHERE  NOT opt_bool(other_config, 'is-remote', false);

-- is_vxlan_mode(): requested tunnel keys past VXLAN's range are ignored
-- (26_port_keys.sql, 27_dp_keys.sql).
CREATE OR REPLACE TEMP TABLE vxlan_mode AS
SELECT EXISTS (SELECT 1
               FROM  (SELECT unnest(encaps) AS encap FROM sb_Chassis) c
               JOIN   sb_Encap e ON e._uuid = c.encap
               WHERE  e.type = 'vxlan') AS vxlan;

CREATE OR REPLACE TEMP TABLE northd_config AS
SELECT opt_bool(g.options, 'use_ct_inv_match', true)        AS use_ct_inv_match,
       opt_bool(g.options, 'default_acl_drop', false)       AS default_acl_drop,
       NOT opt_bool(g.options, 'ignore_lsp_down', true)     AS check_lsp_is_up,
       opt_bool(g.options, 'controller_event', false)       AS controller_event,
       opt_bool(g.options, 'install_ls_lb_from_router', false) AS install_ls_lb_from_router,
       -- init_debug_config(): sampling only with a collector set and an
       -- 8-bit observation domain; printed with %d.
       CASE WHEN opt_uint(g.options, 'debug_drop_collector_set', 0) <> 0
                 AND opt_uint(g.options, 'debug_drop_domain_id', 0) < 255
            THEN 'sample(probability=65535,collector_set='
                 || c_int_str(opt_uint(g.options, 'debug_drop_collector_set', 0))
                 || ',obs_domain='
                 || c_int_str(opt_uint(g.options, 'debug_drop_domain_id', 0))
                 || ',obs_point=$cookie); /* drop */'
            ELSE 'drop;' END                                AS drop_action,
       -- svc_monitor_mac as northd prints it (it writes one when unset);
       -- a non-canonical spelling is left unsupported (NULL: no flows).
       CASE WHEN regexp_full_match(coalesce(opt(g.options, 'svc_monitor_mac'), ''),
                                   '([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}')
            THEN lower(opt(g.options, 'svc_monitor_mac')) END AS svc_monitor_mac,
       f.ct_no_masked_label,
       f.ct_lb_related
FROM   nb_global_options g, chassis_features f;
