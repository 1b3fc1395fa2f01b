-- SB Meter rows (their Meter_Band rows inline) as northd writes them:
-- sync_meters(), sync_acl_fair_meter() in northd.c; ovn-sb(5) "Meter".
-- Every NB meter, by name, with its unit and bands; and for every ACL that
-- names a fair meter a private copy (acl_fair_meters: `<meter>__<acl uuid>`,
-- the name its log() action uses). Other SB meters are deleted.

WITH bands AS (
    SELECT m._uuid AS meter,
           list({'action': b.action, 'rate': b.rate, 'burst_size': b.burst_size}) AS bands
    FROM   (SELECT _uuid, unnest(bands) AS band FROM Meter) m
    JOIN   Meter_Band b ON b._uuid = m.band
    GROUP  BY m._uuid
)
SELECT m.name, m.unit, b.bands
FROM   Meter m JOIN bands b ON b.meter = m._uuid
UNION ALL
SELECT f.name, m.unit, b.bands
FROM   acl_fair_meters f
JOIN   Meter m ON m._uuid = f.meter
JOIN   bands b ON b.meter = m._uuid
