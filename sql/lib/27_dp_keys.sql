-- Datapath tunnel keys as build_datapaths assigns them (relnorthd run's
-- sbsync.py runs this file too and writes them): requested-tnl-key first (the first
-- datapath in northd's list wins a contested key; with VXLAN only keys
-- below 4096, unless the datapath is an interconnection transit switch), then the key its SB
-- Datapath_Binding has unless taken, then the smallest free keys in list
-- order (datapaths SB has first, switches before routers, by NB uuid).
-- Flows that print a datapath's key read it from here.
CREATE OR REPLACE TEMP TABLE dp_tunnel_keys AS
WITH dps AS (
    SELECT d.datapath,
           CASE WHEN NOT (v.vxlan AND opt(d.cfg, 'interconn-ts') IS NULL
                          AND opt_int(d.cfg, 'requested-tnl-key', 0) >= 4096)
                THEN opt_int(d.cfg, 'requested-tnl-key', 0) ELSE 0 END AS requested,
           sb.tunnel_key AS sb_key,
           row_number() OVER (ORDER BY sb.tunnel_key IS NULL, d.kind, d.datapath) AS list_order
    FROM  (SELECT _uuid AS datapath, 0 AS kind, other_config AS cfg FROM Logical_Switch
           UNION ALL
           SELECT _uuid, 1, options FROM Logical_Router WHERE coalesce(enabled, true)) d
    CROSS JOIN vxlan_mode v
    LEFT JOIN (SELECT sb_datapath_of(external_ids) AS datapath, tunnel_key,
                      row_number() OVER (PARTITION BY sb_datapath_of(external_ids)
                                         ORDER BY _uuid) AS nth
               FROM sb_Datapath_Binding) sb ON sb.datapath = d.datapath AND sb.nth = 1
),
requested AS (
    SELECT datapath, requested AS tunnel_key
    FROM  (SELECT *, row_number() OVER (PARTITION BY requested ORDER BY list_order) AS nth
           FROM dps WHERE requested > 0) x
    WHERE  nth = 1
),
kept AS (
    SELECT datapath, sb_key AS tunnel_key
    FROM  (SELECT *, row_number() OVER (PARTITION BY sb_key ORDER BY list_order) AS nth
           FROM dps
           WHERE sb_key IS NOT NULL AND datapath NOT IN (SELECT datapath FROM requested)
             AND sb_key NOT IN (SELECT tunnel_key FROM requested)) x
    WHERE  nth = 1
),
given AS (SELECT * FROM requested UNION ALL SELECT * FROM kept),
fresh AS (
    SELECT datapath, row_number() OVER (ORDER BY list_order) AS nth
    FROM   dps WHERE datapath NOT IN (SELECT datapath FROM given)
),
candidates AS (        -- enough keys for every datapath past the given ones
    SELECT unnest(range(1, n + 1)) AS k
    FROM  (SELECT (SELECT count(*) FROM dps) + (SELECT count(*) FROM given) AS n) c
),
free_keys AS (
    SELECT k AS tunnel_key, row_number() OVER (ORDER BY k) AS nth
    FROM   candidates WHERE k NOT IN (SELECT tunnel_key FROM given)
)
SELECT datapath, tunnel_key FROM given
UNION ALL
SELECT f.datapath, k.tunnel_key FROM fresh f JOIN free_keys k ON k.nth = f.nth;
