-- lr_in_arp_resolve p100 for an enabled virtual port not claimed by a
-- parent yet (no SB virtual_parent or chassis): in the router whose port on
-- the switch has a network holding the virtual-ip, resolve it to
-- 00:00:00:00:00:00 so the router ARPs for it.
-- northd: build_arp_resolve_flows_for_lrouter_port, virtual-port branch;
--   ovn-northd(8): "Ingress Table 17: ARP/ND Resolution".
-- Owner: the virtual port. (A claimed port resolves to its parent's MAC:
-- not covered yet. With several router ports holding the virtual-ip northd
-- takes the first in its port hash order; relnorthd the smallest uuid.)
WITH v AS (
    SELECT p.lsp, p.datapath, opt(p.options, 'virtual-ip') AS vip, ip.family, ip.bits
    FROM   ls_ports p
    JOIN   parsed_ip ip ON ip.text = opt(p.options, 'virtual-ip')
    LEFT JOIN sb_Port_Binding pb ON pb.logical_port = p.name
    WHERE  p.type = 'virtual' AND p.enabled
      AND  opt(p.options, 'virtual-parents') IS NOT NULL
      AND  (coalesce(pb.virtual_parent, '') = '' OR pb.chassis IS NULL)
),
resolving AS (
    SELECT v.lsp, v.vip, v.family, min(r.lrp) AS lrp
    FROM   v
    JOIN   ls_router_peers r ON r.datapath = v.datapath
    JOIN   lrp_ips i ON i.lrp = r.lrp AND i.family = v.family
                    AND in_network(v.bits, i.bits, i.plen)
    GROUP  BY v.lsp, v.vip, v.family
)
SELECT f.datapath, 'lr_in_arp_resolve' AS stage, 100 AS priority,
       'outport == ' || f.json_key || ' && '
       || CASE WHEN x.family = 'ipv4' THEN 'reg0' ELSE 'xxreg0' END || ' == ' || x.vip AS match,
       'eth.dst = 00:00:00:00:00:00; next;' AS actions,
       hint(x.lsp) AS stage_hint, 'Logical_Switch_Port' AS owner_table, x.lsp AS owner
FROM   resolving x
JOIN   lrp_facts f ON f.lrp = x.lrp
