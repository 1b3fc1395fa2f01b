-- Port tunnel keys as build_ports assigns them per datapath: a port's
-- options:requested-tnl-key first (the first port in northd's order wins a
-- contested key), then the key its SB Port_Binding already has unless
-- taken, then new keys counting up from the highest key given so far, in
-- northd's order (ports with an SB row first, then new ones; each group by
-- port uuid). Flows that print a port's key read it from here. (Keys never
-- wrap: a datapath would need 32767 ports.)
CREATE OR REPLACE TEMP TABLE port_tunnel_keys AS
WITH ports AS (
    SELECT n.port, n.datapath, n.name, sb.tunnel_key AS sb_key,
           nullif(opt_int(coalesce(s.options, r.options), 'requested-tnl-key', 0), 0)
               AS requested,
           row_number() OVER (PARTITION BY n.datapath
                              ORDER BY sb.tunnel_key IS NULL, n.port) AS list_order
    FROM   nb_ports n
    LEFT JOIN Logical_Switch_Port s ON s._uuid = n.port
    LEFT JOIN Logical_Router_Port r ON r._uuid = n.port
    LEFT JOIN sb_Port_Binding sb ON sb.logical_port = n.name
),
requested AS (
    SELECT port, datapath, requested AS tunnel_key
    FROM  (SELECT *, row_number() OVER (PARTITION BY datapath, requested
                                        ORDER BY list_order) AS nth
           FROM ports WHERE requested > 0) x
    WHERE  nth = 1
),
kept AS (
    SELECT p.port, p.datapath, p.sb_key AS tunnel_key
    FROM  (SELECT *, row_number() OVER (PARTITION BY datapath, sb_key
                                        ORDER BY list_order) AS nth
           FROM ports
           WHERE sb_key IS NOT NULL AND port NOT IN (SELECT port FROM requested)) p
    WHERE  p.nth = 1
      AND  NOT EXISTS (SELECT 1 FROM requested q
                       WHERE q.datapath = p.datapath AND q.tunnel_key = p.sb_key)
),
given AS (
    SELECT * FROM requested UNION ALL SELECT * FROM kept
)
SELECT port, datapath, tunnel_key FROM given
UNION ALL
SELECT p.port, p.datapath,
       coalesce((SELECT max(g.tunnel_key) FROM given g WHERE g.datapath = p.datapath), 0)
       + row_number() OVER (PARTITION BY p.datapath ORDER BY p.list_order)
FROM   ports p
WHERE  p.port NOT IN (SELECT port FROM given);
