-- SB BFD rows as northd writes them: build_bfd_table() in northd.c;
-- ovn-sb(5) "BFD". One row per NB BFD row, matched to SB's by
-- (logical_port, dst_ip), with NB's min_tx, min_rx and detect_mult (1000,
-- 1000 and 5 when unset). A session SB has keeps its disc and src_port. A
-- new one gets the smallest source port from 49152 that no SB row uses (none
-- left: no row), taking NB's rows in northd's hash order as nearly as a
-- snapshot tells, and a discriminator northd draws at random: here one
-- taken from the NB row's uuid, never 0. status (ovn-controller writes it
-- too): a new session's is NB's (admin_down when unset); NB's replaces SB's
-- when either of them is admin_down.

WITH sb AS (            -- the SB row each session finds
    SELECT *
    FROM  (SELECT *, row_number() OVER (PARTITION BY logical_port, dst_ip ORDER BY _uuid) AS nth
           FROM sb_BFD) ranked
    WHERE  nth = 1
),
sessions AS (
    SELECT b._uuid, b.logical_port, b.dst_ip,
           coalesce(b.min_tx, 1000) AS min_tx, coalesce(b.min_rx, 1000) AS min_rx,
           coalesce(b.detect_mult, 5) AS detect_mult,
           coalesce(b.status, 'admin_down') AS nb_status,
           s._uuid AS sb_row, s.disc, s.src_port, s.status AS sb_status,
           row_number() OVER (PARTITION BY s._uuid IS NULL
                              ORDER BY hmap_bucket(uuid_hash(b._uuid),
                                                   (SELECT count(*) FROM BFD)), b._uuid) AS nth
    FROM   BFD b
    LEFT JOIN sb s ON s.logical_port = b.logical_port AND s.dst_ip = b.dst_ip
),
used AS (
    SELECT DISTINCT src_port FROM sb_BFD
),
free AS (               -- runs of unused source ports [start, start + len) up to
                        -- 65534, and how many free ports come before each
    SELECT start, len, sum(len) OVER (ORDER BY start) - len AS before
    FROM  (SELECT 49152 AS start, coalesce(min(src_port), 65535) - 49152 AS len FROM used
           UNION ALL
           SELECT src_port + 1,
                  coalesce(lead(src_port) OVER (ORDER BY src_port), 65535) - src_port - 1
           FROM used) runs
    WHERE  len > 0
)
SELECT s.logical_port, s.dst_ip, s.min_tx, s.min_rx, s.detect_mult,
       s.disc, s.src_port,
       CASE WHEN s.nb_status <> s.sb_status AND 'admin_down' IN (s.nb_status, s.sb_status)
            THEN s.nb_status ELSE s.sb_status END AS status
FROM   sessions s
WHERE  s.sb_row IS NOT NULL
UNION ALL
SELECT s.logical_port, s.dst_ip, s.min_tx, s.min_rx, s.detect_mult,
       uuid_hash(s._uuid) % 4294967295 + 1, f.start + s.nth - f.before - 1, s.nb_status
FROM   sessions s
JOIN   free f ON s.nth > f.before AND s.nth <= f.before + f.len
WHERE  s.sb_row IS NULL
