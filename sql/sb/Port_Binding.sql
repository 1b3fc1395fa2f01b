-- SB Port_Binding rows as northd writes them: ovn_port_update_sbrec(),
-- ovn_port_update_sbrec_chassis(), ovn_update_ipv6_options() and
-- copy_ra_to_sb() in northd.c (build_ports); ovn-sb(5) "Port_Binding"
-- describes the columns (ovn-northd(8) has no section on them).
-- One row per northd port (northd_ports): switch ports, router ports and
-- chassis-redirect ports. nat_addresses: get_nat_addresses() for
-- options:nat-addresses=router, an explicit value, the router port's GARP
-- entry. options:qdisc_queue_id: port_qdisc_queues. ha_chassis_group: the
-- group's name (port_ha_groups); gateway_chassis: none (northd clears it and
-- makes HA_Chassis_Group rows instead); mirror_rules: mirror names; SB
-- references are named as relnorthd/sbtables.py names them. Container tags
-- are not allocated (README).

WITH sb AS (            -- the binding each port keeps, if any
    SELECT n.name, b.*
    FROM   northd_ports n JOIN sb_Port_Binding b ON b._uuid = n.sb_uuid
),
dgp AS (                -- distributed gateway ports, in northd's order per router
    SELECT lrp, datapath, cr_name AS name, nth FROM lr_dgps
),
lrp AS (                -- a router port, its peer's name and what it needs
    SELECT n.port, n.name, n.datapath, p.mac, p.networks, p.options, p.external_ids,
           p.ipv6_ra_configs, coalesce(p.enabled, true) AS enabled,
           is_gateway_port(p.ha_chassis_group, p.gateway_chassis) AS is_dgp,
           opt(r.options, 'chassis') AS chassis,
           coalesce(ps.name, pr.name) AS peer_name,
           f.peer_lsp IS NOT NULL AND p.peer IS NULL AS ipv6_options
    FROM   northd_ports n
    JOIN   Logical_Router_Port p ON p._uuid = n.port
    JOIN   Logical_Router r ON r._uuid = n.datapath
    JOIN   lrp_facts f ON f.lrp = n.port
    LEFT JOIN nb_ports ps ON ps.port = f.peer_lsp
    LEFT JOIN nb_ports pr ON pr.port = f.peer_lrp
    WHERE  n.kind = 'lrp'
),
ra AS (                 -- copy_ra_to_sb(): RA options of a port that sends them
    SELECT l.port,
           opt(l.ipv6_ra_configs, 'address_mode') AS mode,
           least(greatest(opt_int(l.ipv6_ra_configs, 'max_interval', 600), 4), 1800) AS max_i,
           opt_int(l.ipv6_ra_configs, 'mtu', 0) AS mtu
    FROM   lrp l
    WHERE  l.ipv6_options
      AND  opt(l.ipv6_ra_configs, 'address_mode') IN ('slaac', 'dhcpv6_stateful',
                                                      'dhcpv6_stateless')
      AND  opt_bool(l.ipv6_ra_configs, 'send_periodic', false)
),
ra_opts AS (
    SELECT ra.port, smap_of([
               {'key': 'ipv6_ra_send_periodic', 'value': 'true'},
               {'key': 'ipv6_ra_address_mode', 'value': ra.mode},
               {'key': 'ipv6_ra_max_interval', 'value': CAST(ra.max_i AS VARCHAR)},
               {'key': 'ipv6_ra_min_interval', 'value': CAST(least(greatest(
                    opt_int(l.ipv6_ra_configs, 'min_interval',
                            CASE WHEN ra.max_i >= 9 THEN ra.max_i // 3 ELSE ra.max_i * 3 // 4 END),
                    3), ra.max_i * 3 // 4) AS VARCHAR)},
               {'key': 'ipv6_ra_mtu', 'value': CASE WHEN ra.mtu >= 1280
                                                    THEN CAST(ra.mtu AS VARCHAR) END},
               {'key': 'ipv6_ra_src_addr', 'value': (
                    SELECT any_value(n.addr) FROM lrp_networks n
                    WHERE n.lrp = ra.port AND n.family = 'ipv6'
                      AND starts_with(n.bits, '1111111010'))},
               {'key': 'ipv6_ra_prefixes', 'value': rtrim(concat_ws(' ',
                    (SELECT string_agg(n.network || '/' || n.plen, ' ' ORDER BY n.ip_index)
                     FROM lrp_networks n
                     WHERE n.lrp = ra.port AND n.family = 'ipv6'
                       AND NOT starts_with(n.bits, '1111111010')),
                    opt(sb.options, 'ipv6_ra_pd_list')), ' ')},
               {'key': 'ipv6_ra_rdnss', 'value': opt(l.ipv6_ra_configs, 'rdnss')},
               {'key': 'ipv6_ra_dnssl', 'value': opt(l.ipv6_ra_configs, 'dnssl')},
               {'key': 'ipv6_ra_src_eth', 'value': (SELECT any_value(n.mac) FROM lrp_networks n
                                                    WHERE n.lrp = ra.port)},
               {'key': 'ipv6_ra_prf',
                'value': CASE WHEN opt(l.ipv6_ra_configs, 'router_preference') IN ('HIGH', 'LOW')
                              THEN opt(l.ipv6_ra_configs, 'router_preference')
                              ELSE 'MEDIUM' END},
               {'key': 'ipv6_ra_route_info', 'value': opt(l.ipv6_ra_configs, 'route_info')}
           ]) AS options
    FROM   ra JOIN lrp l USING (port) LEFT JOIN sb USING (name)
),
router_ports AS (       -- router ports: patch, or l3gateway on a gateway router
    SELECT l.name, l.datapath,
           CASE WHEN l.chassis IS NOT NULL THEN 'l3gateway' ELSE 'patch' END AS type,
           smap_merge(smap_of([
               {'key': 'peer', 'value': l.peer_name},
               {'key': 'chassis-redirect-port',
                'value': CASE WHEN l.peer_name IS NOT NULL AND l.is_dgp THEN 'cr-' || l.name END},
               {'key': 'l3gateway-chassis', 'value': l.chassis},
               {'key': 'ipv6_ra_pd_list', 'value': opt(sb.options, 'ipv6_ra_pd_list')},
               {'key': 'ipv6_prefix_delegation',
                'value': CASE WHEN l.ipv6_options AND l.enabled
                               AND opt_bool(l.options, 'prefix_delegation', false)
                              THEN 'true' END},
               {'key': 'ipv6_prefix',
                'value': CASE WHEN l.ipv6_options AND l.enabled AND opt_bool(l.options, 'prefix', false)
                              THEN 'true' END}]), r.options) AS options,
           l.mac, l.networks, l.external_ids
    FROM   lrp l LEFT JOIN sb USING (name) LEFT JOIN ra_opts r USING (port)
),
cr_ports AS (           -- chassis-redirect ports of distributed gateway ports
    SELECT n.name, n.datapath, 'chassisredirect' AS type,
           smap_of([
               {'key': 'distributed-port', 'value': p.name},
               {'key': 'redirect-type', 'value': opt(p.options, 'redirect-type')},
               {'key': 'always-redirect',
                'value': CASE WHEN NOT EXISTS (SELECT 1 FROM NAT
                                               WHERE list_contains(r.nat, NAT._uuid)
                                                 AND NAT.type = 'dnat_and_snat'
                                                 AND NAT.logical_port IS NOT NULL
                                                 AND NAT.external_mac IS NOT NULL)
                                   AND NOT coalesce(ls.has_vtep_lports, false)
                                   AND coalesce(opt(p.options, 'redirect-type'), '') <> 'bridged'
                              THEN 'true' END},
               {'key': 'ipv6_ra_pd_list', 'value': opt(sb.options, 'ipv6_ra_pd_list')}])
               AS options,
           p.mac, p.networks, p.external_ids
    FROM   northd_ports n
    JOIN   Logical_Router_Port p ON p._uuid = n.port
    JOIN   Logical_Router r ON r._uuid = n.datapath
    JOIN   lrp_facts f ON f.lrp = n.port
    LEFT JOIN ls_datapaths ls ON ls.datapath = f.peer_switch
    LEFT JOIN sb ON sb.name = n.name
    WHERE  n.kind = 'cr'
),
lsp AS (                -- switch ports with their peer router port, if any
    SELECT n.port, n.name, n.datapath, s.type, s.options, s.parent_name, s.addresses,
           -- tag_alloc_create_new_tag(): the NB tag, as relnorthd/ipam.py
           -- copied or allocated it from tag_request
           s.tag,
           s.port_security, s.external_ids, s.mirror_rules,
           rp.lrp AS peer_lrp, opt(pr.options, 'chassis') AS peer_chassis,
           (SELECT count(*) FROM dgp WHERE dgp.datapath = pr._uuid) AS peer_dgps,
           -- the l3dgw port whose cr port GARPs name: the peer, else the
           -- router's first
           coalesce((SELECT dgp.name FROM dgp WHERE dgp.lrp = rp.lrp),
                    (SELECT dgp.name FROM dgp WHERE dgp.datapath = pr._uuid AND dgp.nth = 1))
               AS peer_cr
    FROM   northd_ports n
    JOIN   Logical_Switch_Port s ON s._uuid = n.port
    LEFT JOIN ls_router_peers rp ON rp.lsp = n.port
    LEFT JOIN nb_ports rr ON rr.port = rp.lrp
    LEFT JOIN Logical_Router pr ON pr._uuid = rr.datapath
    WHERE  n.kind = 'lsp'
),
garp_ports AS (         -- get_nat_addresses() for options:nat-addresses=router: of
                        -- the peer router port, with or without the LB VIPs
    SELECT l.name, l.peer_lrp, f.datapath, f.mac, g.resident,
           NOT opt_bool(l.options, 'exclude-lb-vips-from-garp', false) AS with_lbs
    FROM   lsp l
    JOIN   lrp_facts f ON f.lrp = l.peer_lrp
    LEFT JOIN lr_dgps g ON g.lrp = l.peer_lrp
    WHERE  l.type = 'router' AND opt(l.options, 'nat-addresses') = 'router'
      AND  (l.peer_chassis IS NOT NULL OR l.peer_dgps > 0)
),
garp_nats AS (          -- its NATs' entries (lib: lrp_nat_addresses)
    SELECT g.name, a.nat, a.own, a.central
    FROM   garp_ports g
    JOIN   lrp_nat_addresses a ON a.lrp = g.peer_lrp AND NOT a.routable
),
garp_central AS (       -- the port's MAC with the other NAT IPs and the router's
                        -- LB VIPs (IPv4, then IPv6, in string-set order)
    SELECT g.name,
           g.mac || ' ' || concat_ws(' ',
               (SELECT ordered_join(c.central, ' ', c.nat) FROM garp_nats c
                WHERE c.name = g.name),
               (SELECT ordered_join(v.ip, ' ', v.idx) FROM lr_lb_ip_order v
                WHERE g.with_lbs AND v.datapath = g.datapath AND v.family = 'ipv4'),
               (SELECT ordered_join(v.ip, ' ', v.idx) FROM lr_lb_ip_order v
                WHERE g.with_lbs AND v.datapath = g.datapath AND v.family = 'ipv6'),
               g.resident) AS entry
    FROM   garp_ports g
    WHERE  EXISTS (SELECT 1 FROM garp_nats c WHERE c.name = g.name AND c.central IS NOT NULL)
       OR  (g.with_lbs AND EXISTS (SELECT 1 FROM lr_lb_ip_order v WHERE v.datapath = g.datapath))
),
router_garps AS (       -- get_nat_addresses()' strings: own-MAC NATs, then the rest
    SELECT name, list(entry ORDER BY k) AS entries
    FROM  (SELECT name, own AS entry, nat AS k FROM garp_nats WHERE own IS NOT NULL
           UNION ALL
           SELECT name, entry, NULL FROM garp_central)
    GROUP  BY name
),
mirrors AS (            -- mirror_rules: the port's NB mirrors SB already has
                        -- (sync_mirrors() adds new ones after the ports)
    SELECT l.name, list(m.name) AS names
    FROM  (SELECT name, unnest(mirror_rules) AS mirror FROM lsp) l
    JOIN   Mirror m ON m._uuid = l.mirror
    WHERE  m.name IN (SELECT name FROM sb_Mirror)
    GROUP  BY l.name
),
requested AS (          -- options:requested-chassis, by chassis name or hostname
    SELECT t.name, list(coalesce(c.id, h.id) ORDER BY t.i)
                   FILTER (WHERE coalesce(c.id, h.id) IS NOT NULL) AS chassis
    FROM  (SELECT name, generate_subscripts(parts, 1) AS i, unnest(parts) AS token
           FROM (SELECT name, list_filter(string_split(opt(options, 'requested-chassis'), ','),
                                          lambda x: x <> '') AS parts
                 FROM lsp WHERE opt(options, 'requested-chassis') IS NOT NULL
                   AND type <> 'router')) t
    LEFT JOIN (SELECT DISTINCT name AS token, name AS id FROM sb_Chassis) c USING (token)
    LEFT JOIN (SELECT hostname AS token, arg_min(name, _uuid) AS id FROM sb_Chassis
               GROUP BY 1) h USING (token)
    GROUP  BY t.name
),
switch_ports AS (
    SELECT l.name, l.datapath,
           CASE WHEN l.type = 'router'
                THEN CASE WHEN l.peer_chassis IS NOT NULL THEN 'l3gateway' ELSE 'patch' END
                WHEN l.type IN ('', 'l2gateway', 'localnet', 'localport', 'vtep', 'external',
                                'virtual', 'remote') THEN l.type
                ELSE coalesce(sb.type, '') END AS type,
           CASE WHEN l.type = 'router'
                THEN smap_of([{'key': 'peer', 'value': opt(l.options, 'router-port')},
                              {'key': 'l3gateway-chassis', 'value': l.peer_chassis}])
                ELSE smap_merge(l.options, smap_of([
                    {'key': 'qdisc_queue_id', 'value': q.queue_id},
                    {'key': 'vlan-passthru',
                     'value': CASE WHEN d.vlan_passthru THEN 'true' END},
                    {'key': 'additional-chassis-activated',
                     'value': CASE WHEN array_length(sb.requested_additional_chassis) > 0
                                   THEN opt(sb.options, 'additional-chassis-activated') END}]))
           END AS options,
           l.parent_name AS parent_port, l.tag, l.addresses AS mac, l.port_security,
           smap_merge(l.external_ids,
                      smap_of([{'key': 'name',
                                'value': nullif(opt(l.external_ids, 'neutron:port_name'), '')}]))
               AS external_ids,
           CASE WHEN l.type = 'router' THEN list_concat(coalesce(rg.entries, []), list_filter([
               -- options:nat-addresses as given (a valid `MAC IP...`)
               CASE WHEN opt(l.options, 'nat-addresses') <> 'router'
                         AND (l.peer_chassis IS NOT NULL OR l.peer_dgps > 0)
                         AND opt(l.options, 'nat-addresses') IN (SELECT address FROM parsed_address)
                    THEN opt(l.options, 'nat-addresses')
                         || CASE WHEN l.peer_dgps > 0
                                 THEN ' is_chassis_resident(' || json_str(l.peer_cr) || ')'
                                 ELSE '' END END,
               -- the router port's MAC and IPv4 addresses, for GARPs
               CASE WHEN CASE WHEN l.peer_dgps > 0
                              THEN l.peer_lrp IN (SELECT lrp FROM dgp)
                                   OR (opt_bool(pp.options, 'reside-on-redirect-chassis', false)
                                       AND l.peer_dgps = 1)
                              ELSE l.peer_chassis IS NOT NULL
                                   AND EXISTS (SELECT 1 FROM ls_ports x
                                               WHERE x.datapath = l.datapath
                                                 AND x.type = 'localnet') END
                    THEN (SELECT any_value(n.mac) || coalesce(' ' || string_agg(n.addr, ' '
                                 ORDER BY n.ip_index) FILTER (WHERE n.family = 'ipv4'), '')
                          FROM lrp_networks n WHERE n.lrp = l.peer_lrp)
                         || CASE WHEN l.peer_dgps > 0
                                 THEN ' is_chassis_resident(' || json_str(l.peer_cr) || ')'
                                 ELSE '' END END],
               lambda x: x IS NOT NULL)) ELSE [] END AS nat_addresses,
           r.chassis[1] AS requested_chassis,
           coalesce(r.chassis[2:], []) AS requested_additional_chassis,
           coalesce(m.names, []) AS mirror_rules
    FROM   lsp l
    JOIN   ls_datapaths d ON d.datapath = l.datapath
    LEFT JOIN Logical_Router_Port pp ON pp._uuid = l.peer_lrp
    LEFT JOIN sb ON sb.name = l.name
    LEFT JOIN requested r ON r.name = l.name
    LEFT JOIN router_garps rg ON rg.name = l.name
    LEFT JOIN port_qdisc_queues q ON q.lsp = l.port
    LEFT JOIN mirrors m ON m.name = l.name
)
SELECT p.name AS logical_port, p.datapath, k.tunnel_key, p.type, p.options,
       p.parent_port, p.tag, p.mac, p.port_security, p.external_ids, p.nat_addresses,
       p.requested_chassis, p.requested_additional_chassis,
       CAST([] AS VARCHAR[]) AS gateway_chassis, h.ha_group AS ha_chassis_group, p.mirror_rules
FROM   switch_ports p JOIN port_tunnel_keys k USING (name)
LEFT JOIN port_ha_groups h ON h.logical_port = p.name
UNION ALL
SELECT p.name, p.datapath, k.tunnel_key, p.type, p.options, NULL, NULL,
       [array_to_string(list_prepend(p.mac, p.networks), ' ')], [], p.external_ids,
       [], NULL, [], [], h.ha_group, []
FROM   (SELECT * FROM router_ports UNION ALL BY NAME SELECT * FROM cr_ports) p
JOIN   port_tunnel_keys k USING (name)
LEFT JOIN port_ha_groups h ON h.logical_port = p.name
