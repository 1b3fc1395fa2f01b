-- Drop IP traffic to the router's own addresses: in lr_in_ip_input p60 the
-- port addresses that are not LB VIPs of the router, in lr_in_arp_resolve
-- p2 those that are (what unSNAT/LB did not claim by then).
-- northd: build_lrouter_drop_own_dest (from build_lrouter_ipv4_ip_input
--   and build_arp_resolve_flows_for_lrouter_port); ovn-northd(8): "Ingress
--   Table 3: IP Input", "Ingress Table 17: ARP/ND Resolution".
-- Owner: the logical router port. (SNAT addresses come with NAT.)
WITH ips AS (
    SELECT i.*, v.vip IS NOT NULL AS is_lb_vip
    FROM   lrp_ips i
    LEFT JOIN lr_lb_vips v ON v.datapath = i.datapath AND v.vip = i.addr
)
SELECT datapath,
       CASE WHEN is_lb_vip THEN 'lr_in_arp_resolve' ELSE 'lr_in_ip_input' END AS stage,
       CASE WHEN is_lb_vip THEN 2 ELSE 60 END AS priority,
       CASE WHEN family = 'ipv4' THEN 'ip4' ELSE 'ip6' END || '.dst == {'
       || ordered_join(addr, ', ', ip_index) || '}' AS match,
       drop_action() AS actions,
       hint(lrp) AS stage_hint, 'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   ips
GROUP  BY datapath, lrp, family, is_lb_vip
