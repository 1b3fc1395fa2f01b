-- SB Port_Group rows as northd writes them: build_port_group_lswitches() and
-- sync_port_groups() in northd.c; ovn-sb(5) "Port_Group". One row per (NB
-- port group, switch one of its ports sits on), named `<switch tunnel
-- key>_<group name>`, listing the group's ports on that switch by name. A
-- member is looked up by name among northd's ports (a name a router port
-- claimed, or no port at all, gives none).

SELECT CAST(k.tunnel_key AS VARCHAR) || '_' || g.name AS name,
       list(DISTINCT n.name) AS ports
FROM  (SELECT name, unnest(ports) AS lsp FROM Port_Group) g
JOIN   Logical_Switch_Port p ON p._uuid = g.lsp
JOIN   nb_ports n ON n.name = p.name AND n.port_table = 'Logical_Switch_Port'
JOIN   dp_tunnel_keys k ON k.datapath = n.datapath
GROUP  BY k.tunnel_key, g.name
