-- ls_in_lb per LB VIP on the LB's switches: new connections to the VIP
-- (p120 with a port, p110 without) are load balanced with ct_lb_mark/ct_lb
-- over the backends (optionally hashing on selection_fields); a VIP without
-- live backends drops, or with options:reject rejects under the switch's
-- `reject` CoPP meter.
-- northd: build_lb_rules, build_lb_vip_actions; ovn-northd(8): "Ingress
--   Table 12: LB".
-- Owner: the load balancer.
-- Per owner: lb_switch_sets(lb), lb_switches(lb), lb_vip_actions(lb)
WITH v AS (
    SELECT v.*, v.ls_match AS match,
           CASE WHEN v.rejects THEN lb_reject_action('ls_out_qos_mark')
                WHEN NOT v.balances THEN drop_action()
                ELSE 'reg0[1] = 0; ' || v.ct_lb_open || ');'
           END AS actions
    FROM   lb_vip_actions v
)
-- one row for the LB's switch set ...
SELECT NULL AS datapath, ss.dp_set, 'ls_in_lb' AS stage, v.priority, v.match,
       v.actions, NULL AS ctrl_meter,
       hint(v.lb) AS stage_hint, 'Load_Balancer' AS owner_table, v.lb AS owner
FROM   v
JOIN   lb_switch_sets ss ON ss.lb = v.lb
WHERE  NOT v.rejects
UNION ALL
-- ... except rejecting VIPs, metered per switch
SELECT s.datapath, NULL, 'ls_in_lb', v.priority, v.match, v.actions,
       copp_meter(s.datapath, 'reject'), hint(v.lb), 'Load_Balancer', v.lb
FROM   v
JOIN   lb_switches s ON s.lb = v.lb
WHERE  rejects
