-- IPv6 router advertisements for a router port on a switch (not one with a
-- router `peer`) whose ipv6_ra_configs has a valid address_mode and which
-- has a non-link-local IPv6 network: lr_in_nd_ra_options p50 answers router
-- solicitations with put_nd_ra_opts (mtu >= 1280, router_preference other
-- than MEDIUM, rdnss, dnssl, route_info, the prefixes; CoPP nd-ra-opts),
-- lr_in_nd_ra_response p50 sends the advertisement back.
-- northd: build_ND_RA_flows_for_lrouter_port; ovn-northd(8): "Ingress
--   Table 9: IPv6 ND RA option processing", "Ingress Table 10: IPv6 ND RA
--   responder".
-- Owner: the logical router port.
WITH ra AS (
    SELECT f.*, p.ipv6_ra_configs AS cfg,
           TRY_CAST(regexp_extract(coalesce(p.ipv6_ra_configs['mtu'], ''),
                                   '^[[:space:]]*([+-]?[0-9]+)', 1) AS BIGINT) AS mtu,
           (SELECT ordered_join(', prefix = ' || i.network || '/' || CAST(i.plen AS VARCHAR),
                                '', i.ip_index)
            FROM lrp_ips i WHERE i.lrp = f.lrp AND i.family = 'ipv6' AND NOT i.is_lla) AS prefixes,
           (SELECT i.addr FROM lrp_ips i WHERE i.lrp = f.lrp AND i.is_lla) AS lla
    FROM   lrp_facts f
    JOIN   Logical_Router_Port p ON p._uuid = f.lrp
    WHERE  f.peer_lsp IS NOT NULL AND p.peer IS NULL
      AND  p.ipv6_ra_configs['address_mode'] IN ('slaac', 'dhcpv6_stateful', 'dhcpv6_stateless')
)
SELECT datapath, 'lr_in_nd_ra_options' AS stage, 50 AS priority,
       'inport == ' || json_key || ' && ip6.dst == ff02::2 && nd_rs' AS match,
       'reg0[5] = put_nd_ra_opts(addr_mode = "' || cfg['address_mode'] || '", slla = ' || mac
       || CASE WHEN mtu >= 1280 THEN ', mtu = ' || CAST(mtu AS VARCHAR) ELSE '' END
       || CASE WHEN coalesce(cfg['router_preference'], 'MEDIUM') <> 'MEDIUM'
               THEN ', router_preference = "' || cfg['router_preference'] || '"' ELSE '' END
       || coalesce(', rdnss = ' || cfg['rdnss'], '')
       || coalesce(', dnssl = "' || cfg['dnssl'] || '"', '')
       || coalesce(', route_info = "' || cfg['route_info'] || '"', '')
       || prefixes || '); next;' AS actions,
       copp_meter(datapath, 'nd-ra-opts') AS ctrl_meter,
       hint(lrp) AS stage_hint, 'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   ra
WHERE  prefixes IS NOT NULL
UNION ALL
SELECT datapath, 'lr_in_nd_ra_response', 50,
       'inport == ' || json_key || ' && ip6.dst == ff02::2 && nd_ra && reg0[5]',
       'eth.dst = eth.src; eth.src = ' || mac || '; ip6.dst = ip6.src; ip6.src = ' || lla
       || '; outport = inport; flags.loopback = 1; output;',
       NULL, hint(lrp), 'Logical_Router_Port', lrp
FROM   ra
WHERE  prefixes IS NOT NULL
