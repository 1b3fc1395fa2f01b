-- lr_in_arp_resolve p100: in a gateway router or through a distributed
-- gateway port, the routable addresses of another router's distributed
-- gateway port on the same switch (dgp_routables) resolve to that entry's
-- MAC: one flow per entry, its IPv4 addresses as a `{a, b}` set (empty
-- for an entry of IPv6 LB VIPs only). Not with the router's
-- options:dynamic_neigh_routers, nor from a disabled switch port.
-- northd: build_arp_resolve_flows_for_lrouter_port ->
--   routable_addresses_to_lflows; ovn-northd(8): "Ingress Table 17: ARP/ND
--   Resolution".
-- Owner: the router-type switch port of the resolving router.
-- Per owner: ls_ports(lsp)
WITH peer AS (
    SELECT rp.lsp, rp.datapath AS switch, f.lrp, f.datapath, f.json_key
    FROM   ls_router_peers rp
    JOIN   ls_ports p ON p.lsp = rp.lsp
    JOIN   lrp_facts f ON f.lrp = rp.lrp
    JOIN   lr_datapaths d ON d.datapath = f.datapath
    WHERE  p.enabled AND NOT opt_bool(d.options, 'dynamic_neigh_routers', false)
      AND  (d.is_gateway_router OR f.dgp_resident IS NOT NULL)
)
SELECT p.datapath, 'lr_in_arp_resolve' AS stage, 100 AS priority,
       'outport == ' || p.json_key || ' && reg0 == {'
       || coalesce(ordered_join(r.addr, ', ', r.pos), '') || '}' AS match,
       'eth.dst = ' || r.mac || '; next;' AS actions,
       hint(p.lsp) AS stage_hint, 'Logical_Switch_Port' AS owner_table, p.lsp AS owner
FROM   peer p
JOIN   ls_router_peers other ON other.datapath = p.switch AND other.lrp <> p.lrp
JOIN   dgp_routables r ON r.lrp = other.lrp
GROUP  BY p.datapath, p.json_key, p.lsp, r.lrp, r.entry, r.mac
