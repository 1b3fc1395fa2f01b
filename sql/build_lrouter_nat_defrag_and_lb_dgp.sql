-- Per-NAT flows of routers with distributed gateway ports that northd adds
-- inline in build_lrouter_nat_defrag_and_lb:
--  * lr_in_arp_resolve, once per external_ip (the router's first NAT with
--    it): p150 drops traffic from the gateway port back out of it to the
--    external IP; p100 resolves the external IP out of the gateway port to
--    the NAT's external MAC (distributed) or the port's MAC; with
--    redirect-type=bridged on a router port, p90 resolves traffic of a
--    distributed NAT's logical IP out of the router's first DGP by ARP/ND;
--  * lr_in_gw_redirect p100: a distributed NAT's traffic leaving its
--    gateway port on the logical port's chassis keeps its external MAC and
--    IP as source (p80 drops it while a virtual logical port is unclaimed);
--  * lr_out_egr_loop p100: traffic out the gateway port to the external IP,
--    where the NAT runs, loops back to ingress.
-- northd: build_lrouter_nat_defrag_and_lb; ovn-northd(8): "Ingress Table
--   17: ARP/ND Resolution", "Ingress Table 20: Gateway Redirect", "Egress
--   Table 6: Egress Loopback".
-- Owner: the logical router.
-- Per owner: nat_flow_entries(datapath)
WITH first_ip AS (
    SELECT * FROM (SELECT e.*, row_number() OVER (PARTITION BY datapath, external_ip
                                                  ORDER BY nat) AS nth
                   FROM nat_flow_entries e WHERE l3dgw_port IS NOT NULL)
    WHERE nth = 1
),
bridged AS (              -- od->redirect_bridged
    SELECT DISTINCT datapath FROM lr_ports
    WHERE  lower(opt(options, 'redirect-type')) = 'bridged'
)
SELECT e.datapath, 'lr_in_arp_resolve' AS stage, 150 AS priority,
       'inport == ' || e.dgp_json_key || ' && outport == ' || e.dgp_json_key || ' && '
       || e.ip_match || '.dst == ' || e.external_ip AS match,
       drop_action() AS actions, hint(e.nat) AS stage_hint
FROM   first_ip e
UNION ALL
SELECT e.datapath, 'lr_in_arp_resolve', 100,
       'outport == ' || e.dgp_json_key || ' && '
       || CASE WHEN e.family = 'ipv4' THEN 'reg0' ELSE 'xxreg0' END || ' == ' || e.external_ip,
       'eth.dst = ' || CASE WHEN e.distributed THEN e.external_mac ELSE f.mac END || '; next;',
       hint(e.nat)
FROM   first_ip e JOIN lrp_facts f ON f.lrp = e.l3dgw_port
UNION ALL
SELECT e.datapath, 'lr_in_arp_resolve', 90,
       'outport == ' || g.json_key || ' && ' || e.ip_match || '.src == ' || e.logical_ip
       || ' && ' || e.resident,
       CASE WHEN e.family = 'ipv4' THEN 'get_arp(outport, reg0); next;'
            ELSE 'get_nd(outport, xxreg0); next;' END,
       hint(e.nat)
FROM   first_ip e
JOIN   bridged b ON b.datapath = e.datapath
JOIN   lr_dgps d ON d.datapath = e.datapath AND d.nth = 1
JOIN   lrp_facts g ON g.lrp = d.lrp
WHERE  e.distributed
UNION ALL
SELECT e.datapath, 'lr_in_gw_redirect', r.priority,
       e.ip_match || '.src == ' || e.logical_ip || ' && outport == ' || e.dgp_json_key
       || r.cond, r.actions, hint(e.nat)
FROM   nat_flow_entries e,
       LATERAL (VALUES (100, ' && ' || e.resident,
                        'eth.src = ' || e.external_mac || '; '
                        || CASE WHEN e.family = 'ipv4' THEN 'reg1' ELSE 'xxreg1' END
                        || ' = ' || e.external_ip || '; next;'),
                       (80, '', drop_action())) r(priority, cond, actions)
WHERE  e.distributed
  AND  (r.priority = 100 OR e.logical_port IN (SELECT name FROM ls_virtual_names))
UNION ALL
SELECT e.datapath, 'lr_out_egr_loop', 100,
       e.ip_match || '.dst == ' || e.external_ip || ' && outport == ' || e.dgp_json_key
       || ' && ' || e.resident,
       'clone { ct_clear; inport = outport; outport = ""; eth.dst <-> eth.src; flags = 0; '
       || 'flags.loopback = 1; flags.use_snat_zone = reg9[4]; reg0 = 0; reg1 = 0; reg2 = 0; '
       || 'reg3 = 0; reg4 = 0; reg5 = 0; reg6 = 0; reg7 = 0; reg8 = 0; reg9 = 0; reg9[0] = 1; '
       || 'next(pipeline=ingress, table=' || stage_table('lr_in_admission') || '); };',
       hint(e.nat)
FROM   nat_flow_entries e
WHERE  e.l3dgw_port IS NOT NULL
