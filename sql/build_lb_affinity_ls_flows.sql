-- LB affinity on switches (options:affinity_timeout): ls_in_lb_aff_check
-- p100 looks up a remembered backend for new connections to the VIP,
-- ls_in_lb p150 sends them to it, ls_in_lb_aff_learn p100 remembers the
-- backend a new connection got. One row per flow for the LB's switch set.
-- northd: build_lb_affinity_ls_flows; ovn-northd(8): "Ingress Table 11: LB
--   affinity check", "Ingress Table 13: LB affinity learn".
-- Owner: the load balancer.
-- Per owner: lb_affinity_backends(lb), lb_switch_sets(lb), lb_vips(lb)
WITH v AS (
    SELECT v.*,
           CASE WHEN addr_family = 'ipv4' THEN 'reg1' ELSE 'xxreg1' END AS reg_vip,
           CASE WHEN addr_family = 'ipv4' THEN 'reg4' ELSE 'xxreg0' END AS reg_backend
    FROM   lb_vips v
    WHERE  affinity_timeout > 0
),
b AS (
    SELECT b.*, v.reg_vip, v.reg_backend
    FROM   lb_affinity_backends b
    JOIN   v ON v.lb = b.lb AND v.vip_key = b.vip_key AND v.vip_value = b.vip_value
),
flows AS (
    SELECT lb, 'ls_in_lb_aff_check' AS stage, 100 AS priority,
           'ct.new && ' || addr_ip_match || ' && ' || reg_vip || ' == ' || vip
           || coalesce(' && reg2[0..15] == ' || port_str, '') AS match,
           'reg9[6] = chk_lb_aff(); next;' AS actions
    FROM   v
    UNION ALL
    SELECT lb, 'ls_in_lb_aff_learn', 100,
           'reg9[6] == 0 && ct.new && ' || addr_ip_match || ' && ' || reg_vip || ' == ' || vip
           || coalesce(' && reg2[0..15] == ' || port_str, '')
           || ' && ' || backend_dst_match,
           commit_action
    FROM   b
    UNION ALL
    SELECT lb, 'ls_in_lb', 150,
           'reg9[6] == 1 && ct.new && ' || addr_ip_match || ' && ' || reg_backend || ' == ' || ip
           || backend_port_match,
           'reg0[1] = 0; ' || reg_vip || ' = ' || vip || '; '
           || coalesce('reg2[0..15] = ' || port_str || '; ', '')
           || 'ct_lb_mark(backends=' || backend || ');'
    FROM   b
)
SELECT NULL AS datapath, ss.dp_set, f.stage, f.priority, f.match, f.actions,
       hint(f.lb) AS stage_hint, 'Load_Balancer' AS owner_table, f.lb AS owner
FROM   flows f
JOIN   lb_switch_sets ss ON ss.lb = f.lb
