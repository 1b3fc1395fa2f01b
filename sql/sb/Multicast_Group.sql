-- SB Multicast_Group rows as northd writes them: build_mcast_groups() (and
-- the _MC_unknown members build_lswitch_ip_unicast_lookup() adds) in
-- northd.c; ovn-sb(5) "Multicast_Group". One row per (datapath, group) with
-- at least one member; `ports` are logical port names (a distributed gateway
-- port is represented by its cr port). IGMP/MLD groups learned by
-- ovn-controller (IGMP_Group, keys 32773 and up) are not written yet.

WITH lsp AS (           -- enabled switch ports
    SELECT l.name, l.datapath, l.type, l.has_unknown, l.options,
           l.peer_lrp IS NOT NULL AS routed,
           d.mcast_flood_relay AND coalesce(r.mcast_relay, false) AS to_mrouter
    FROM   ls_ports l
    JOIN   ls_datapaths d ON d.datapath = l.datapath
    LEFT JOIN lrp_facts r ON r.lrp = l.peer_lrp
    WHERE  l.enabled
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
)
SELECT datapath, name, tunnel_key, list(DISTINCT port ORDER BY port) AS ports
FROM   members
GROUP  BY datapath, name, tunnel_key
