-- lr_out_delivery per enabled router port: deliver to the port (p100), with
-- the port's MAC as source for IP multicast on a relaying router (p110);
-- anything else is dropped (p0, added once a router has a port).
-- northd: build_egress_delivery_flows_for_lrouter_port; ovn-northd(8):
--   "Egress Table 6: Delivery".
-- Owner: the logical router port (the drop: its router).
SELECT datapath, 'lr_out_delivery' AS stage, 100 AS priority,
       'outport == ' || json_key AS match, 'output;' AS actions,
       hint(lrp) AS stage_hint, 'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   lrp_facts WHERE enabled
UNION ALL
SELECT datapath, 'lr_out_delivery', 110,
       '(ip4.mcast || ip6.mcast) && outport == ' || json_key,
       'eth.src = ' || mac || '; output;', NULL, 'Logical_Router_Port', lrp
FROM   lrp_facts WHERE enabled AND mcast_relay
UNION ALL
SELECT DISTINCT datapath, 'lr_out_delivery', 0, '1', drop_action(),
       NULL, 'Logical_Router', datapath
FROM   lrp_facts WHERE enabled
