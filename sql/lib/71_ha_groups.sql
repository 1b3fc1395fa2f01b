-- The SB HA_Chassis_Group each port binding names (ovn_port_update_sbrec):
-- a chassis-redirect port its router port's NB ha_chassis_group (which wins
-- over gateway_chassis), else a group northd makes from the port's
-- gateway_chassis and names after the router port (`gw_lrp`); an external
-- switch port its NB ha_chassis_group. These are the only SB groups northd
-- keeps (cleanup_sb_ha_chassis_groups()).
CREATE OR REPLACE TEMP VIEW port_ha_groups AS
SELECT n.name AS logical_port, n.kind, n.datapath, coalesce(g.name, p.name) AS ha_group,
       g._uuid AS nb_group, CASE WHEN g._uuid IS NULL THEN p._uuid END AS gw_lrp
FROM   northd_ports n
JOIN   Logical_Router_Port p ON p._uuid = n.port
LEFT JOIN HA_Chassis_Group g ON g._uuid = p.ha_chassis_group
WHERE  n.kind = 'cr'
UNION ALL
SELECT n.name, n.kind, n.datapath, g.name, g._uuid, NULL
FROM   northd_ports n
JOIN   Logical_Switch_Port s ON s._uuid = n.port
JOIN   HA_Chassis_Group g ON g._uuid = s.ha_chassis_group
WHERE  n.kind = 'lsp' AND s.type = 'external';
