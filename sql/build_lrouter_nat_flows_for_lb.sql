-- lr_in_dnat p120 (VIP with a port) / p110 per LB VIP on the LB's routers:
-- new connections to the VIP are load balanced (ct_lb_mark/ct_lb); an LB
-- with options:skip_snat marks them to skip SNAT, a router with
-- lb_force_snat_ip to force it (with the ovn-ct-lb-related feature the flag
-- is also kept in conntrack); a VIP without live backends drops, or rejects
-- under the router's `reject` CoPP meter. Routers without a distributed
-- gateway port share one row per kind; on a router with one the flow is the
-- router's own and only where its first gateway port is resident (unless
-- the VIP has no backends and rejects), and lr_out_undnat p120 un-DNATs
-- replies from the backends leaving by that port (or sets the SNAT flag).
-- lr_in_unsnat p120: on a router with a NAT whose external IP is the VIP,
-- traffic to the VIP skips unSNAT.
-- northd: build_lrouter_nat_flows_for_lb, build_gw_lrouter_nat_flows_for_lb,
--   build_distr_lrouter_nat_flows_for_lb, build_lb_vip_actions;
--   ovn-northd(8): "Ingress Table 4: UNSNAT", "Ingress Table 7: DNAT",
--   "Egress Table 1: UNDNAT".
-- Owner: the load balancer.
WITH v AS (
    SELECT v.*, k.flag, k.kind,
           CASE WHEN k.flag IS NULL
                THEN v.base || CASE WHEN v.balances THEN ');' ELSE '' END
                ELSE 'flags.' || k.flag || '_snat_for_lb = 1; ' || v.base
                     || CASE WHEN v.balances AND ct_lb_related() THEN '; ' || k.flag || '_snat);'
                             WHEN v.balances THEN ');' ELSE '' END
           END AS actions
    FROM   (SELECT v.*,
                   CASE WHEN v.rejects THEN lb_reject_action('lr_out_snat')
                        WHEN NOT v.balances THEN drop_action()
                        ELSE v.ct_lb_open END AS base
            FROM   lb_vip_actions v) v,
           (VALUES ('skip', 'nodgp'), ('force', 'nodgp force'), (NULL, 'nodgp plain'))
               AS k(flag, kind)
    WHERE  CASE WHEN v.skip_snat THEN k.flag = 'skip' ELSE k.kind <> 'nodgp' END
),
-- routers with a distributed gateway port, each with its VIPs' variant
dgp AS (
    SELECT v.*, r.datapath, g.lrp, g.resident
    FROM   v
    JOIN   lb_routers r ON r.lb = v.lb AND r.has_dgp
    JOIN   lr_dgps g ON g.datapath = r.datapath AND g.nth = 1
    WHERE  v.flag IS NOT DISTINCT FROM
           CASE WHEN v.skip_snat THEN 'skip' WHEN r.lb_force_snat THEN 'force' END
),
-- replies from a VIP's backends, as lr_out_undnat matches them
replies AS (
    SELECT v.lb, v.vip_key, v.vip_value,
           v.ip_match || ' && ('
           || ordered_join('(' || v.ip_match || '.src == ' || b.ip
                           || coalesce(' && ' || v.proto || '.src == ' || b.port_str, '')
                           || ')', ' || ', b.idx) || ')' AS match
    FROM   lb_vips v
    JOIN   lb_backend_parsed b ON b.vip_key = v.vip_key AND b.vip_value = v.vip_value
                              AND b.template_family = v.template_family
    GROUP  BY v.lb, v.vip_key, v.vip_value, v.ip_match
)
-- one row for the routers of a kind ...
SELECT NULL AS datapath, rs.dp_set_prefix || v.kind AS dp_set, 'lr_in_dnat' AS stage,
       v.priority, v.lr_match AS match, v.actions, NULL AS ctrl_meter,
       hint(v.lb) AS stage_hint, 'Load_Balancer' AS owner_table, v.lb AS owner
FROM   v
JOIN   lb_router_sets rs ON rs.lb = v.lb
WHERE  NOT v.rejects
UNION ALL
-- ... except rejecting VIPs, metered per router
SELECT d.datapath, NULL, 'lr_in_dnat', v.priority, v.lr_match, v.actions,
       copp_meter(d.datapath, 'reject'), hint(v.lb), 'Load_Balancer', v.lb
FROM   v
JOIN   lb_router_sets rs ON rs.lb = v.lb
JOIN   dp_sets d ON d.dp_set = rs.dp_set_prefix || v.kind
WHERE  v.rejects
UNION ALL
SELECT d.datapath, NULL, 'lr_in_dnat', d.priority,
       d.lr_match || CASE WHEN d.n_backends > 0 OR NOT d.reject_empty
                          THEN ' && ' || d.resident ELSE '' END,
       d.actions, CASE WHEN d.rejects THEN copp_meter(d.datapath, 'reject') END,
       hint(d.lb), 'Load_Balancer', d.lb
FROM   dgp d
UNION ALL
SELECT d.datapath, NULL, 'lr_out_undnat', 120,
       r.match || ' && outport == ' || p.json_key || ' && ' || d.resident,
       CASE WHEN d.flag IS NULL THEN 'ct_dnat_in_czone;'
            ELSE 'flags.' || d.flag || '_snat_for_lb = 1; next;' END,
       NULL, hint(d.lb), 'Load_Balancer', d.lb
FROM   dgp d
JOIN   replies r ON r.lb = d.lb AND r.vip_key = d.vip_key AND r.vip_value = d.vip_value
JOIN   lrp_facts p ON p.lrp = d.lrp
UNION ALL
SELECT r.datapath, NULL, 'lr_in_unsnat', 120,
       v.ip_match || ' && ' || v.ip_match || '.dst == ' || v.vip || ' && ' || v.proto
       || coalesce(' && ' || v.proto || '.dst == ' || v.port_str, ''),
       'next;', NULL, hint(v.lb), 'Load_Balancer', v.lb
FROM   lb_vips v
JOIN   lb_routers r ON r.lb = v.lb
JOIN   nat_entries n ON n.datapath = r.datapath AND n.external_ip = v.vip
