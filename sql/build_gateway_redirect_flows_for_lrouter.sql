-- lr_in_gw_redirect, per router: traffic out a distributed gateway port goes
-- to its chassis-redirect port (p50; not when the DGP's peer switch has vtep
-- ports), everything else advances (p0).
-- northd: build_gateway_redirect_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 20: Gateway Redirect".
-- Owner: the logical router. (The NAT flows come with NAT.)
SELECT lr.datapath, 'lr_in_gw_redirect' AS stage, 0 AS priority, '1' AS match,
       'next;' AS actions, NULL AS stage_hint
FROM   lr_datapaths lr
UNION ALL
SELECT g.datapath, 'lr_in_gw_redirect', 50, 'outport == ' || f.json_key,
       'outport = ' || g.cr_json_key || '; next;', hint(g.lrp)
FROM   lr_dgps g
JOIN   lrp_facts f ON f.lrp = g.lrp
WHERE  NOT f.peer_has_vtep
