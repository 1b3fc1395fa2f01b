-- lr_in_ip_input p90 on each port of a router with LB VIPs it answers for:
-- ARP requests for its IPv4 VIPs and neighbour solicitations for its IPv6
-- VIPs (named by the router's `_rtr_lb_<tunnel key>_ip4/6` address sets) get
-- a reply from the port's MAC (ND under the `nd-na` CoPP meter); on a
-- distributed gateway port only where it is resident. An LB's VIPs count
-- per options:neighbor_responder: `all`, `none`, else (`reachable`) those
-- in a subnet of one of the router's ports; a template LB's only with `all`.
-- northd: build_lrouter_ipv4_ip_input (lb_ips->ips_v4/v6_reachable),
--   build_lrouter_lb_reachable_ips; ovn-northd(8): "Ingress Table 3: IP Input".
-- Owner: the logical router port.
WITH reachable AS (
    SELECT DISTINCT r.datapath, v.family
    FROM   lb_routers r
    JOIN   Load_Balancer lb ON lb._uuid = r.lb
    JOIN   lb_vips v ON v.lb = r.lb
    WHERE  CASE opt(lb.options, 'neighbor_responder')
               WHEN 'all' THEN true
               WHEN 'none' THEN false
               ELSE NOT v.template AND EXISTS (SELECT 1 FROM lrp_ips i
                            WHERE i.datapath = r.datapath AND i.family = v.family
                              AND in_network(v.bits, i.bits, i.plen))
           END
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
