-- northd's ports and their tunnel keys (join_logical_ports, build_ports).

-- The SB Datapath_Binding row northd takes for each NB datapath it names
-- (of duplicates, the first: the others go).
CREATE OR REPLACE TEMP TABLE sb_datapaths AS
SELECT sb_datapath_of(external_ids) AS datapath, min(_uuid) AS sb_datapath
FROM   sb_Datapath_Binding GROUP BY 1;

-- Every northd port: the NB switch and router ports of nb_ports, and for a
-- distributed gateway port (ha_chassis_group or gateway_chassis, on a router
-- without options:chassis) its chassis-redirect port `cr-<name>`, which
-- northd lists right after it. `port` is the NB row (the router port's, for
-- a cr port); `key_order` is northd's list order within the datapath.
CREATE OR REPLACE TEMP TABLE northd_ports AS
WITH ports AS (
    SELECT n.port, n.datapath, n.name, n.port_table,
           CASE n.port_table WHEN 'Logical_Switch_Port' THEN 'lsp' ELSE 'lrp' END AS kind
    FROM   nb_ports n
    UNION ALL
    SELECT n.port, n.datapath, 'cr-' || n.name, n.port_table, 'cr'
    FROM   nb_ports n
    JOIN   Logical_Router_Port p ON p._uuid = n.port
    JOIN   Logical_Router r ON r._uuid = n.datapath
    WHERE  is_gateway_port(p.ha_chassis_group, p.gateway_chassis)
      AND  opt(r.options, 'chassis') IS NULL
),
sb_ports AS (           -- the binding northd finds by name
    SELECT _uuid, logical_port, datapath, tunnel_key, type, parent_port
    FROM  (SELECT _uuid, logical_port, datapath, tunnel_key, type, parent_port,
                  row_number() OVER (PARTITION BY logical_port ORDER BY _uuid) AS nth
           FROM sb_Port_Binding) WHERE nth = 1
),
matched AS (
    SELECT p.port, p.datapath, p.name, p.kind, sb._uuid AS sb_uuid, sb.tunnel_key AS sb_key,
           p.kind = 'lsp'
           AND binding_kind_changed(sb.type, sb.parent_port, s.type, s.parent_name) AS replaced
    FROM   ports p
    LEFT JOIN sb_datapaths d ON d.datapath = p.datapath
    LEFT JOIN sb_ports sb ON sb.logical_port = p.name AND sb.datapath = d.sb_datapath
    LEFT JOIN Logical_Switch_Port s ON s._uuid = p.port AND p.kind = 'lsp'
)
SELECT port, datapath, name, kind,
       CASE WHEN NOT replaced THEN sb_uuid END AS sb_uuid,
       CASE WHEN NOT replaced THEN sb_key END AS sb_key,
       row_number() OVER (PARTITION BY datapath
                          ORDER BY sb_uuid IS NULL OR replaced, port, kind = 'cr') AS key_order
FROM   matched;

-- Tunnel keys as build_ports assigns them per datapath: a port's
-- options:requested-tnl-key first (the first port in northd's order wins a
-- contested key), then the key its SB binding already has unless taken,
-- then new keys counting up from the highest key given so far, in northd's
-- order. Flows that print a port's key read it from here. (Keys never
-- wrap: a datapath would need 32767 ports.)
CREATE OR REPLACE TEMP TABLE port_tunnel_keys AS
WITH ports AS (
    SELECT n.port, n.name, n.kind, n.datapath, n.sb_key, n.key_order AS list_order,
           -- a cr port would ask for its gateway port's key, which that
           -- port, listed before it, always wins; with VXLAN only keys
           -- below 2048 (OVN_VXLAN_MIN_MULTICAST)
           CASE WHEN n.kind <> 'cr'
                 AND NOT (v.vxlan AND opt_int(coalesce(s.options, r.options),
                                              'requested-tnl-key', 0) >= 2048)
                THEN nullif(opt_int(coalesce(s.options, r.options), 'requested-tnl-key', 0), 0)
           END AS requested
    FROM   northd_ports n
    CROSS JOIN vxlan_mode v
    LEFT JOIN Logical_Switch_Port s ON s._uuid = n.port
    LEFT JOIN Logical_Router_Port r ON r._uuid = n.port
),
requested AS (
    SELECT name, datapath, requested AS tunnel_key
    FROM  (SELECT *, row_number() OVER (PARTITION BY datapath, requested
                                        ORDER BY list_order) AS nth
           FROM ports WHERE requested > 0) x
    WHERE  nth = 1
),
kept AS (
    SELECT p.name, p.datapath, p.sb_key AS tunnel_key
    FROM  (SELECT *, row_number() OVER (PARTITION BY datapath, sb_key
                                        ORDER BY list_order) AS nth
           FROM ports
           WHERE sb_key IS NOT NULL AND name NOT IN (SELECT name FROM requested)) p
    WHERE  p.nth = 1
      AND  NOT EXISTS (SELECT 1 FROM requested q
                       WHERE q.datapath = p.datapath AND q.tunnel_key = p.sb_key)
),
given AS (
    SELECT * FROM requested UNION ALL SELECT * FROM kept
),
keyed AS (
    SELECT name, datapath, tunnel_key FROM given
    UNION ALL
    SELECT p.name, p.datapath,
           coalesce((SELECT max(g.tunnel_key) FROM given g WHERE g.datapath = p.datapath), 0)
           + row_number() OVER (PARTITION BY p.datapath ORDER BY p.list_order)
    FROM   ports p
    WHERE  p.name NOT IN (SELECT name FROM given)
)
SELECT p.port, p.name, p.kind, k.datapath, k.tunnel_key
FROM   keyed k JOIN ports p USING (name);

-- The router ports' tunnel keys (a switch port added or removed leaves them).
CREATE OR REPLACE TEMP VIEW lrp_tunnel_keys AS
SELECT port AS lrp, datapath, tunnel_key FROM port_tunnel_keys WHERE kind = 'lrp';
