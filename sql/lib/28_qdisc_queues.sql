-- QoS queue ids of switch ports (build_ports, ovn_port_update_sbrec): a
-- port with an option qos_max_rate, qos_min_rate or qos_burst keeps the
-- options:qdisc_queue_id of the SB binding it keeps; without one, a
-- localnet port takes 1 (its ids are counted per binding) and a port bound
-- to a chassis the smallest id free on that chassis (a port no chassis
-- binds gets none). A binding that keeps an id but lost its qos options
-- frees it. Ids in use on a chassis start as those of every kept binding
-- there; allocations and frees then happen in northd's list order (kept
-- bindings by datapath hmap bucket, datapath, port uuid), so a chassis's
-- ids are replayed event by event. (Never more than 61440 ids a chassis.)
-- A port's own options:qdisc_queue_id is copied to SB as the other options
-- are: without an id of its own, the port's flows set that queue.
CREATE OR REPLACE TEMP TABLE port_qdisc_queues AS
WITH RECURSIVE lsps AS (     -- the ports with qos options or an id
    SELECT lsp, datapath, type, chassis, kept, sb_queue, nb_queue, has_qos,
           row_number() OVER (ORDER BY bucket, datapath, lsp) AS list_order
    FROM  (SELECT n.port AS lsp, n.datapath, o.bucket, s.type, b.chassis,
                  n.sb_uuid IS NOT NULL AS kept,
                  opt_int(b.options, 'qdisc_queue_id', 0) AS sb_queue,
                  opt(s.options, 'qdisc_queue_id') AS nb_queue,
                  opt(s.options, 'qos_max_rate') IS NOT NULL
                  OR opt(s.options, 'qos_min_rate') IS NOT NULL
                  OR opt(s.options, 'qos_burst') IS NOT NULL AS has_qos
           FROM   northd_ports n
           JOIN   Logical_Switch_Port s ON s._uuid = n.port
           JOIN   dp_hmap_order o ON o.datapath = n.datapath
           LEFT JOIN sb_Port_Binding b ON b._uuid = n.sb_uuid
           WHERE  n.kind = 'lsp') p
    WHERE  has_qos OR sb_queue <> 0 OR nb_queue IS NOT NULL
),
registered AS (         -- ids of kept bindings on a chassis, whatever their port
    SELECT chassis, list(sb_queue) AS used
    FROM   lsps WHERE kept AND chassis IS NOT NULL AND sb_queue <> 0
    GROUP  BY chassis
),
events AS (             -- a chassis's allocations (qos, no id) and frees (id, no qos)
    SELECT lsp, chassis, has_qos, sb_queue,
           row_number() OVER (PARTITION BY chassis ORDER BY list_order) AS step
    FROM   lsps
    WHERE  kept AND chassis IS NOT NULL AND type NOT IN ('router', 'localnet')
      AND  ((has_qos AND sb_queue = 0) OR (NOT has_qos AND sb_queue <> 0))
),
replay(chassis, step, used, queue_id) AS (
    SELECT c.chassis, 0, coalesce(r.used, []), CAST(NULL AS BIGINT)
    FROM  (SELECT DISTINCT chassis FROM events) c LEFT JOIN registered r USING (chassis)
    UNION ALL
    SELECT s.chassis, e.step,
           CASE WHEN e.has_qos THEN list_append(s.used, first_free_id(s.used))
                ELSE list_remove_one(s.used, e.sb_queue) END,
           CASE WHEN e.has_qos THEN first_free_id(s.used) END
    FROM   replay s JOIN events e ON e.chassis = s.chassis AND e.step = s.step + 1
)
SELECT lsp, queue_id
FROM  (SELECT l.lsp, l.type,
              coalesce(CAST(CASE WHEN NOT l.has_qos THEN NULL
                                 WHEN l.sb_queue <> 0 THEN l.sb_queue
                                 WHEN l.type = 'localnet' THEN 1
                                 ELSE r.queue_id END AS VARCHAR),
                       l.nb_queue) AS queue_id
       FROM   lsps l
       LEFT JOIN events e USING (lsp)
       LEFT JOIN replay r ON r.chassis = e.chassis AND r.step = e.step) q
WHERE  type <> 'router' AND queue_id IS NOT NULL;
