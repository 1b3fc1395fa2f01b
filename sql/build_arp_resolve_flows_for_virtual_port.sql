-- lr_in_arp_resolve p100 for an enabled virtual port with a valid
-- virtual-ip: in the router whose port on the switch has a network holding
-- the virtual-ip, resolve it to 00:00:00:00:00:00 while no parent has
-- claimed the port (no SB virtual_parent or chassis), so the router ARPs
-- for it, and to the MAC of the parent's first address once one has (the
-- router port then is one on the parent's switch).
-- northd: build_arp_resolve_flows_for_lrouter_port, virtual-port branch;
--   ovn-northd(8): "Ingress Table 17: ARP/ND Resolution".
-- Owner: the virtual port. (With several router ports holding the
-- virtual-ip northd takes the first in its port hash order, relnorthd the
-- smallest uuid; the parent's first address is its first by text.)
-- Per owner: ls_ports(lsp)
WITH v AS (
    SELECT p.lsp, opt(p.options, 'virtual-ip') AS vip, ip.family, ip.bits,
           coalesce(pb.virtual_parent, '') <> '' AND pb.chassis IS NOT NULL AS claimed,
           CASE WHEN coalesce(pb.virtual_parent, '') <> '' AND pb.chassis IS NOT NULL
                THEN pb.virtual_parent END AS parent_name,
           p.datapath
    FROM   ls_ports p
    JOIN   parsed_ip ip ON ip.text = opt(p.options, 'virtual-ip')
    LEFT JOIN sb_Port_Binding pb ON pb.logical_port = p.name
    WHERE  p.type = 'virtual' AND p.enabled
      AND  opt(p.options, 'virtual-parents') IS NOT NULL
),
resolved AS (           -- the switch to look on and the MAC to resolve to
    SELECT lsp, vip, family, bits, datapath AS switch, '00:00:00:00:00:00' AS mac
    FROM   v WHERE NOT claimed
    UNION ALL
    SELECT v.lsp, v.vip, v.family, v.bits, a.datapath, min_by(a.mac, a.address)
    FROM   v
    JOIN   virtual_parent_addrs a ON a.name = v.parent_name AND a.address <> 'router'
    GROUP  BY v.lsp, v.vip, v.family, v.bits, a.datapath
),
resolving AS (
    SELECT x.lsp, x.vip, x.family, x.mac, min(r.lrp) AS lrp
    FROM   resolved x
    JOIN   ls_router_peers r ON r.datapath = x.switch
    JOIN   lrp_ips i ON i.lrp = r.lrp AND i.family = x.family
                    AND in_network(x.bits, i.bits, i.plen)
    GROUP  BY x.lsp, x.vip, x.family, x.mac
)
SELECT f.datapath, 'lr_in_arp_resolve' AS stage, 100 AS priority,
       'outport == ' || f.json_key || ' && '
       || CASE WHEN x.family = 'ipv4' THEN 'reg0' ELSE 'xxreg0' END || ' == ' || x.vip AS match,
       'eth.dst = ' || x.mac || '; next;' AS actions,
       hint(x.lsp) AS stage_hint, 'Logical_Switch_Port' AS owner_table, x.lsp AS owner
FROM   resolving x
JOIN   lrp_facts f ON f.lrp = x.lrp
