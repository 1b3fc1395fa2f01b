-- SB HA_Chassis_Group rows as northd writes them: sync_ha_chassis_group_for_sbpb()
-- and copy_gw_chassis_from_nbrp_to_sbpb() in northd.c (build_ports), and
-- ref_chassis from handle_port_binding_changes() / update_sb_ha_group_ref_chassis()
-- (ovnsb_db_run); ovn-sb(5) "HA_Chassis_Group", "HA_Chassis".
-- One group per name port_ha_groups names. Its HA_Chassis (inline, key-less
-- rows): one per NB HA_Chassis of the NB group, or per NB Gateway_Chassis of
-- the router port, with `chassis` the SB Chassis of that name (none when
-- SB has no such chassis) and external_ids:chassis-name naming it.
-- ref_chassis, for a group of more than one chassis that a distributed
-- gateway port names: the chassis that bind a port of a switch attached to
-- a router connected to that port's router (directly or through switches,
-- build_lrouter_groups()). external_ids: northd leaves it alone.

WITH RECURSIVE groups AS (
    SELECT DISTINCT ha_group, nb_group, gw_lrp FROM port_ha_groups
),
members AS (            -- each group's chassis by name, and its priority
    SELECT g.ha_group, c.chassis_name, c.priority
    FROM   groups g
    JOIN  (SELECT _uuid AS nb_group, unnest(ha_chassis) AS member FROM HA_Chassis_Group) m
           USING (nb_group)
    JOIN   HA_Chassis c ON c._uuid = m.member
    UNION ALL
    SELECT g.ha_group, c.chassis_name, c.priority
    FROM   groups g
    JOIN  (SELECT _uuid AS gw_lrp, unnest(gateway_chassis) AS member
           FROM Logical_Router_Port) m USING (gw_lrp)
    JOIN   Gateway_Chassis c ON c._uuid = m.member
),
sized AS (
    SELECT ha_group, count(*) AS n_chassis FROM members GROUP BY ha_group
),
seeds AS (              -- routers whose gateway port names a group of several chassis
    SELECT DISTINCT h.datapath AS router, h.ha_group
    FROM   port_ha_groups h JOIN sized s USING (ha_group)
    WHERE  h.kind = 'cr' AND s.n_chassis > 1
),
links AS (              -- routers joined by peer router ports or through a switch
    SELECT datapath AS a, peer_router AS b FROM lrp_facts WHERE peer_router IS NOT NULL
    UNION
    SELECT x.datapath, y.datapath
    FROM   lrp_facts x JOIN lrp_facts y ON y.peer_switch = x.peer_switch
),
reach(seed, router) AS (  -- the router group of each seed router
    SELECT router, router FROM seeds
    UNION
    SELECT r.seed, l.b FROM reach r JOIN links l ON l.a = r.router
),
ref AS (                -- chassis binding a port on a switch of that router group
    SELECT s.ha_group, list(DISTINCT c.name) AS ref_chassis
    FROM   seeds s
    JOIN   reach r ON r.seed = s.router
    JOIN   lrp_facts f ON f.datapath = r.router AND f.peer_switch IS NOT NULL
    JOIN   northd_ports n ON n.datapath = f.peer_switch AND n.kind = 'lsp'
    JOIN   sb_Port_Binding b ON b._uuid = n.sb_uuid
    JOIN   sb_Chassis c ON c._uuid = b.chassis
    GROUP  BY s.ha_group
)
SELECT g.ha_group AS name,
       coalesce(list({'chassis': c.name, 'priority': m.priority,
                      'external_ids': smap_of([{'key': 'chassis-name',
                                                'value': m.chassis_name}])})
                FILTER (WHERE m.chassis_name IS NOT NULL), []) AS ha_chassis,
       coalesce(any_value(r.ref_chassis), []) AS ref_chassis
FROM  (SELECT DISTINCT ha_group FROM groups) g
LEFT JOIN members m USING (ha_group)
LEFT JOIN sb_Chassis c ON c.name = m.chassis_name
LEFT JOIN ref r USING (ha_group)
GROUP  BY g.ha_group
