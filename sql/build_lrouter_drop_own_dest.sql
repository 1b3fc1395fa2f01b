-- Drop IP traffic to the router's own addresses: in lr_in_ip_input p60 the
-- port addresses that are neither SNAT addresses nor LB VIPs of the router
-- (none at all with lb_force_snat_ip=router_ip), in lr_in_arp_resolve p2
-- those that are (what unSNAT/LB did not claim by then).
-- northd: build_lrouter_drop_own_dest (from build_lrouter_ipv4_ip_input
--   and build_arp_resolve_flows_for_lrouter_port); ovn-northd(8): "Ingress
--   Table 3: IP Input", "Ingress Table 17: ARP/ND Resolution".
-- Owner: the logical router port.
WITH ips AS (
    SELECT i.*,
           EXISTS (SELECT 1 FROM lr_own_lb_vips v
                   WHERE v.datapath = i.datapath AND v.family = i.family AND v.addr = i.addr)
           OR EXISTS (SELECT 1 FROM lr_snat_ips s
                      WHERE s.datapath = i.datapath AND s.addr = i.addr) AS late
    FROM   lrp_ips i
)
SELECT i.datapath,
       CASE WHEN i.late THEN 'lr_in_arp_resolve' ELSE 'lr_in_ip_input' END AS stage,
       CASE WHEN i.late THEN 2 ELSE 60 END AS priority,
       CASE WHEN i.family = 'ipv4' THEN 'ip4' ELSE 'ip6' END || '.dst == {'
       || ordered_join(i.addr, ', ', i.ip_index) || '}' AS match,
       drop_action() AS actions,
       hint(i.lrp) AS stage_hint, 'Logical_Router_Port' AS owner_table, i.lrp AS owner
FROM   ips i
JOIN   lr_nat_facts n ON n.datapath = i.datapath
WHERE  i.late OR NOT n.lb_force_snat_router_ip
GROUP  BY i.datapath, i.lrp, i.family, i.late
