-- lr_in_ip_input p90 on each port of a router with LB VIPs it answers for:
-- ARP requests for its IPv4 VIPs and neighbour solicitations for its IPv6
-- VIPs (named by the router's `_rtr_lb_<tunnel key>_ip4/6` address sets) get
-- a reply from the port's MAC (ND under the `nd-na` CoPP meter); on a
-- distributed gateway port only where it is resident (lr_lb_reachable_vips
-- says which VIPs count).
-- northd: build_lrouter_ipv4_ip_input (lb_ips->ips_v4/v6_reachable),
--   build_lrouter_lb_reachable_ips; ovn-northd(8): "Ingress Table 3: IP Input".
-- Owner: the logical router port.
WITH reachable AS (
    SELECT DISTINCT datapath, family FROM lr_lb_reachable_vips
),
ports AS (
    SELECT f.lrp, f.datapath, r.family,
           'inport == ' || f.json_key || ' && ' AS inport,
           '$_rtr_lb_' || CAST(k.tunnel_key AS VARCHAR) || '_ip'
           || CASE WHEN r.family = 'ipv4' THEN '4' ELSE '6' END AS address_set,
           coalesce(' && ' || f.dgp_resident, '') AS resident
    FROM   lrp_facts f
    JOIN   reachable r ON r.datapath = f.datapath
    JOIN   dp_tunnel_keys k ON k.datapath = f.datapath
)
SELECT datapath, 'lr_in_ip_input' AS stage, 90 AS priority,
       inport || 'arp.op == 1 && arp.tpa == ' || address_set || resident AS match,
       lr_arp_reply_action('xreg0[0..47]') AS actions, NULL AS ctrl_meter,
       NULL AS stage_hint, 'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   ports WHERE family = 'ipv4'
UNION ALL
SELECT datapath, 'lr_in_ip_input', 90,
       inport || 'nd_ns && nd.target == ' || address_set || resident,
       lr_nd_reply_action('nd_na', 'xreg0[0..47]'), copp_meter(datapath, 'nd-na'),
       NULL, 'Logical_Router_Port', lrp
FROM   ports WHERE family = 'ipv6'
