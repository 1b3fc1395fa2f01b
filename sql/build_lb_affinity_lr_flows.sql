-- LB affinity on routers (options:affinity_timeout), per VIP on the LB's
-- routers: lr_in_lb_aff_check p100 saves the VIP (and port) and looks up a
-- remembered backend for new connections, lr_in_dnat p150 sends them to it,
-- lr_in_lb_aff_learn p100 remembers the backend a new connection got. On
-- routers with lb_force_snat_ip the p150 flow forces SNAT, on the others it
-- skips SNAT when the LB has options:skip_snat. One row per flow and set.
-- northd: build_lb_affinity_lr_flows (from build_lrouter_nat_flows_for_lb);
--   ovn-northd(8): "Ingress Table 6: Load balancing affinity check",
--   "Ingress Table 8: Load balancing affinity learn".
-- Owner: the load balancer.
-- Per owner: lb_affinity_backends(lb), lb_router_sets(lb), lb_vip_actions(lb)
WITH v AS (
    SELECT v.*, k.kind, k.flag,
           CASE WHEN v.addr_family = 'ipv4' THEN 'reg0' ELSE 'xxreg0' END AS reg_vip,
           CASE WHEN v.addr_family = 'ipv4' THEN 'reg4' ELSE 'xxreg1' END AS reg_backend
    FROM   lb_vip_actions v,
           (VALUES ('force', 'force'), ('plain', 'skip'), ('plain', NULL)) AS k(kind, flag)
    WHERE  v.affinity_timeout > 0
      AND  (k.kind = 'force' OR (k.flag IS NOT NULL) = v.skip_snat)
),
b AS (
    SELECT b.*, v.kind, v.flag, v.reg_vip, v.reg_backend
    FROM   lb_affinity_backends b
    JOIN   v ON v.lb = b.lb AND v.vip_key = b.vip_key AND v.vip_value = b.vip_value
),
flows AS (
    SELECT lb, kind, 'lr_in_lb_aff_check' AS stage, 100 AS priority, lr_match AS match,
           reg_vip || ' = ' || addr_ip_match || '.dst; '
           || coalesce('reg9[16..31] = ' || CASE WHEN port_str IS NOT NULL THEN proto END
                       || '.dst; ', '')
           || 'reg9[6] = chk_lb_aff(); next;' AS actions
    FROM   v
    UNION ALL
    SELECT lb, kind, 'lr_in_lb_aff_learn', 100,
           'reg9[6] == 0 && ct.new && ' || addr_ip_match || ' && ' || reg_vip || ' == ' || vip
           || coalesce(' && reg9[16..31] == ' || port_str, '') || ' && ' || backend_dst_match,
           commit_action
    FROM   b
    UNION ALL
    SELECT lb, kind, 'lr_in_dnat', 150,
           'reg9[6] == 1 && ct.new && ' || addr_ip_match || ' && ' || reg_backend || ' == ' || ip
           || backend_port_match,
           reg_vip || ' = ' || vip || '; '
           || coalesce('flags.' || flag || '_snat_for_lb = 1; ', '')
           || 'ct_lb_mark(backends=' || backend || coalesce('; ' || flag || '_snat', '') || ');'
    FROM   b
)
SELECT NULL AS datapath, rs.dp_set_prefix || f.kind AS dp_set, f.stage, f.priority,
       f.match, f.actions,
       hint(f.lb) AS stage_hint, 'Load_Balancer' AS owner_table, f.lb AS owner
FROM   flows f
JOIN   lb_router_sets rs ON rs.lb = f.lb
