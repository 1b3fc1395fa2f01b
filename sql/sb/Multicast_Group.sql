-- SB Multicast_Group rows as northd writes them: build_mcast_groups() (and
-- the _MC_unknown members build_lswitch_ip_unicast_lookup() adds) in
-- northd.c; ovn-sb(5) "Multicast_Group". One row per (datapath, group) with
-- at least one member; `ports` are logical port names (a distributed gateway
-- port is represented by its cr port). Groups learnt from IGMP/MLD
-- (sql/lib/74_igmp_groups.sql) are named by their address, with the switch's
-- localnet ports as members too; one keeps the tunnel key of the SB row of
-- its name, a new one takes the next free key from 32774 (northd gives them
-- out in its hash order, relnorthd in address order). The multicast routers
-- ovn-controller saw ("mrouters" entries) join _MC_mrouter_flood.

WITH lsp AS (           -- enabled switch ports
    SELECT l.name, l.datapath, l.type, l.has_unknown, l.options,
           l.peer_lrp IS NOT NULL AS routed,
           d.mcast_flood_relay AND coalesce(r.mcast_relay, false) AS to_mrouter
    FROM   ls_ports l
    JOIN   ls_datapaths d ON d.datapath = l.datapath
    LEFT JOIN lrp_facts r ON r.lrp = l.peer_lrp
    WHERE  l.enabled
),
sb_keys AS (            -- the learnt groups SB has: name -> key
    SELECT sb_datapath_of(d.external_ids) AS datapath, m.name, min(m.tunnel_key) AS tunnel_key
    FROM   sb_Multicast_Group m
    JOIN   sb_Datapath_Binding d ON d._uuid = m.datapath
    GROUP  BY ALL
),
learnt AS (
    SELECT g.datapath, g.name, g.ports, k.tunnel_key AS kept,
           row_number() OVER (PARTITION BY g.datapath, k.tunnel_key IS NULL
                              ORDER BY g.family, g.ip) AS nth
    FROM   igmp_groups g
    LEFT JOIN sb_keys k ON k.datapath = g.datapath AND k.name = g.name
),
free_keys AS (          -- per datapath, the keys from 32774 no kept group has
    SELECT datapath, key, row_number() OVER (PARTITION BY datapath ORDER BY key) AS nth
    FROM  (SELECT datapath, unnest(range(32774, 32774 + count(*))) AS key
           FROM learnt GROUP BY datapath) c
    WHERE  key NOT IN (SELECT kept FROM learnt l WHERE l.datapath = c.datapath
                                                   AND kept IS NOT NULL)
),
learnt_keys AS (
    SELECT l.datapath, l.name, coalesce(l.kept, f.key) AS tunnel_key, l.ports
    FROM   learnt l
    LEFT JOIN free_keys f ON f.datapath = l.datapath AND f.nth = l.nth AND l.kept IS NULL
),
members AS (
    SELECT datapath, '_MC_flood' AS name, 32768 AS tunnel_key, name AS port FROM lsp
    UNION ALL
    SELECT datapath, '_MC_unknown', 32769, name FROM lsp
    WHERE  has_unknown AND type <> 'external'
    UNION ALL
    SELECT datapath, '_MC_mrouter_flood', 32770, name FROM lsp
    WHERE  to_mrouter OR opt_bool(options, 'mcast_flood_reports', false)
    UNION ALL
    SELECT datapath, '_MC_mrouter_flood', 32770, port FROM igmp_entry_ports
    WHERE  address = 'mrouters'
    UNION ALL
    SELECT datapath, '_MC_static', 32771, name FROM lsp
    WHERE  opt_bool(options, 'mcast_flood', false)
    UNION ALL
    SELECT datapath, '_MC_flood_l2', 32772, name FROM lsp
    WHERE  type <> 'router'
    UNION ALL           -- router ports that flood multicast
    SELECT f.datapath, '_MC_static', 32771, coalesce(c.name, f.name)
    FROM   lrp_facts f
    LEFT JOIN northd_ports c ON c.port = f.lrp AND c.kind = 'cr'
    WHERE  f.enabled AND opt_bool(f.options, 'mcast_flood', false)
    UNION ALL
    SELECT datapath, name, tunnel_key, unnest(ports) FROM learnt_keys
    UNION ALL           -- learnt groups reach the switch's localnet ports
    SELECT g.datapath, g.name, g.tunnel_key, l.name
    FROM   learnt_keys g
    JOIN   ls_ports l ON l.datapath = g.datapath AND l.type = 'localnet'
)
SELECT datapath, name, tunnel_key, list(DISTINCT port ORDER BY port) AS ports
FROM   members
GROUP  BY datapath, name, tunnel_key
