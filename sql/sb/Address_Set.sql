-- SB Address_Set rows as northd writes them: sync_addr_sets() in
-- northd/en-sync-sb.c; ovn-sb(5) "Address_Set". Later kinds win a shared
-- name (northd updates an existing row twice; a new one it inserts twice,
-- and its SB transaction fails), in northd's order: the `svc_monitor_mac` set (the MAC northd_config
-- prints; empty while NB_Global has no valid one), each NB Port_Group's
-- `<name>_ip4` / `<name>_ip6` sets (build_port_group_address_set: the IPs of
-- its ports' addresses entries that are not dynamic, and of their NB
-- dynamic_addresses, as extract_lsp_addresses prints them; MACs, "unknown",
-- "router" and port_security give none), each router's
-- `_rtr_lb_<tunnel key>_ip4/6` set of the LB VIPs it answers for (only when
-- not empty), then the NB Address_Sets as written.

WITH pg_addrs AS (      -- the IPs of each port group's ports
    SELECT g.pg, a.family, a.addr
    FROM  (SELECT pg._uuid AS pg, unnest(pg.ports) AS lsp FROM Port_Group pg) g
    JOIN  (SELECT _uuid AS lsp, unnest(addresses) AS address FROM Logical_Switch_Port
           UNION ALL
           SELECT _uuid, dynamic_addresses FROM Logical_Switch_Port
           WHERE  dynamic_addresses IS NOT NULL) p ON p.lsp = g.lsp
    JOIN   parsed_address a ON a.address = p.address
    WHERE  NOT is_dynamic_address(p.address) AND a.family IS NOT NULL
),
pg_sets AS (
    SELECT pg._uuid AS pg, pg.name || '_ip' || f.digit AS name, f.family
    FROM   Port_Group pg, (VALUES ('4', 'ipv4'), ('6', 'ipv6')) f(digit, family)
),
sets AS (               -- (precedence, name, address); a null address: none
    SELECT 1 AS rank, 'svc_monitor_mac' AS name, svc_monitor_mac AS address
    FROM   northd_config
    UNION ALL
    SELECT 2, s.name, a.addr
    FROM   pg_sets s LEFT JOIN pg_addrs a ON a.pg = s.pg AND a.family = s.family
    UNION ALL
    SELECT 3, '_rtr_lb_' || CAST(k.tunnel_key AS VARCHAR) || '_ip'
              || CASE WHEN v.family = 'ipv4' THEN '4' ELSE '6' END, v.vip
    FROM   lr_lb_reachable_vips v JOIN dp_tunnel_keys k USING (datapath)
    UNION ALL
    SELECT 4, a.name, e.address
    FROM   Address_Set a
    LEFT JOIN (SELECT _uuid, unnest(addresses) AS address FROM Address_Set) e USING (_uuid)
)
SELECT name,
       coalesce(list(DISTINCT address) FILTER (WHERE address IS NOT NULL), [])
           AS addresses
FROM  (SELECT *, max(rank) OVER (PARTITION BY name) AS winner FROM sets) s
WHERE  rank = winner
GROUP  BY name
