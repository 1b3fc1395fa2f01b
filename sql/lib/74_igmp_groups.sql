-- IP multicast groups learnt by ovn-controller (SB IGMP_Group, one row per
-- chassis), aggregated as build_mcast_groups does (ovn_igmp_group_*);
-- ovn-northd(8) "Ingress Table 25: Destination lookup" and "IP Routing".

-- The ports of each SB entry that join its group: entries with a chassis on
-- one of northd's datapaths; switch ports that already flood multicast
-- (mcast_flood) or face a relaying router are left out.
CREATE OR REPLACE TEMP TABLE igmp_entry_ports AS
WITH entries AS (
    SELECT g._uuid AS entry, g.address, sb_datapath_of(d.external_ids) AS datapath,
           unnest(g.ports) AS binding
    FROM   sb_IGMP_Group g
    JOIN   sb_Datapath_Binding d ON d._uuid = g.datapath
    WHERE  g.chassis IS NOT NULL
)
SELECT e.entry, e.address, e.datapath, l.name AS port
FROM   entries e
JOIN   datapaths dp ON dp.datapath = e.datapath
JOIN   sb_Port_Binding b ON b._uuid = e.binding
JOIN   ls_ports l ON l.name = b.logical_port
LEFT JOIN ls_router_peers r ON r.lsp = l.lsp
WHERE  NOT opt_bool(l.options, 'mcast_flood', false)
  AND  NOT coalesce(r.peer_mcast_relay, false);

-- Groups per datapath and address (`ip`, the address as IPv6; `name` the
-- address as ovn-controller wrote it), with their member ports: on
-- switches, the ports of all entries (a chassis each); on a relaying
-- router, for each switch it connects with a group it relays, the router
-- port facing that switch (its cr port for a distributed gateway port)
-- unless that port floods multicast (mcast_flood). The "mrouters" entries
-- are not groups (sql/sb/Multicast_Group.sql).
CREATE OR REPLACE TEMP TABLE igmp_groups AS
WITH switch_groups AS (
    SELECT e.datapath, a.ip, min(e.address) AS name, a.family, a.l2_flow, a.relayed,
           list(DISTINCT e.port ORDER BY e.port) AS ports
    FROM   igmp_entry_ports e
    JOIN   igmp_address a ON a.address = e.address
    GROUP  BY e.datapath, a.ip, a.family, a.l2_flow, a.relayed
),
router_entries AS (
    SELECT r.datapath, g.ip, g.name, g.family, g.l2_flow, g.relayed,
           coalesce(c.cr_name, r.name) AS port
    FROM   switch_groups g
    JOIN   ls_router_peers p ON p.datapath = g.datapath
    JOIN   lr_ports r ON r.lrp = p.lrp
    JOIN   lr_datapaths d ON d.datapath = r.datapath
    LEFT JOIN lr_dgps c ON c.lrp = r.lrp
    WHERE  g.relayed AND d.mcast_relay AND NOT opt_bool(r.options, 'mcast_flood', false)
)
SELECT datapath, ip, name, family, l2_flow, ports,
       CASE family WHEN 'ipv4' THEN 'ip4' ELSE 'ip6' END AS proto
FROM  (SELECT datapath, ip, name, family, l2_flow, ports FROM switch_groups
       UNION ALL
       SELECT datapath, ip, min(name), family, l2_flow, list(DISTINCT port ORDER BY port)
       FROM   router_entries
       GROUP  BY datapath, ip, family, l2_flow) g;
