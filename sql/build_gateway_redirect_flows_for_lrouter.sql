-- lr_in_gw_redirect, per router: traffic out a distributed gateway port goes
-- to its chassis-redirect port (p50; not when the DGP's peer switch has vtep
-- ports), everything else advances (p0). For each stateless dnat_and_snat
-- of the router with external-IP filters, on each such DGP: sources in
-- allowed_ext_ips are redirected too (p75; the first such NAT's external IP
-- is dropped otherwise, p70), sources in exempted_ext_ips are dropped (p75).
-- northd: build_gateway_redirect_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 20: Gateway Redirect".
-- Owner: the logical router.
-- Per owner: nat_entries(datapath), lr_dgps(datapath), lr_datapaths(datapath)
WITH redirect AS (
    SELECT g.datapath, g.lrp, f.json_key, g.cr_json_key
    FROM   lr_dgps g
    JOIN   lrp_facts f ON f.lrp = g.lrp
    WHERE  NOT f.peer_has_vtep
),
filtered AS (             -- stateless NATs with external-IP filters
    SELECT r.*, e.nat, e.ip_match, e.external_ip, e.allowed_ext_ips IS NOT NULL AS allowed,
           coalesce(e.allowed_ext_ips, e.exempted_ext_ips) AS addr_set,
           row_number() OVER (PARTITION BY r.lrp, e.allowed_ext_ips IS NOT NULL
                              ORDER BY e.nat) AS nth
    FROM   redirect r
    JOIN   nat_entries e ON e.datapath = r.datapath
    WHERE  e.stateless AND coalesce(e.allowed_ext_ips, e.exempted_ext_ips) IS NOT NULL
)
SELECT lr.datapath, 'lr_in_gw_redirect' AS stage, 0 AS priority, '1' AS match,
       'next;' AS actions, NULL AS stage_hint
FROM   lr_datapaths lr
UNION ALL
SELECT datapath, 'lr_in_gw_redirect', 50, 'outport == ' || json_key,
       'outport = ' || cr_json_key || '; next;', hint(lrp)
FROM   redirect
UNION ALL
SELECT datapath, 'lr_in_gw_redirect', 75,
       'outport == ' || json_key || ' && ' || ip_match || '.src == $' || addr_set,
       CASE WHEN allowed THEN 'outport = ' || cr_json_key || '; next;' ELSE drop_action() END,
       hint(lrp)
FROM   filtered
UNION ALL
SELECT datapath, 'lr_in_gw_redirect', 70, 'ip && ' || ip_match || '.dst == ' || external_ip,
       drop_action(), NULL
FROM   filtered
WHERE  allowed AND nth = 1
