-- ls_in/out_qos_mark and ls_in/out_qos_meter: advance by default; each QoS
-- rule of the switch marks DSCP (`action:dscp`) and/or meters (`bandwidth`
-- rate with optional burst) at its own priority, in the ingress stages for
-- from-lport rules and the egress ones for to-lport.
-- northd: build_qos
-- ovn-northd(8): "Ingress Table 9: from-lport QoS Marking", "Ingress Table 10:
--   from-lport QoS Meter", "Egress Table 5: to-lport QoS Marking",
--   "Egress Table 6: to-lport QoS Meter"
-- Owner: the logical switch for the defaults, the QoS row for its flows.
WITH qos AS (
    SELECT ls._uuid AS datapath, q._uuid, q.priority, q.match, q.action, q.bandwidth,
           q.direction = 'from-lport' AS ingress
    FROM   (SELECT _uuid, unnest(qos_rules) AS qos FROM Logical_Switch) ls
    JOIN   QoS q ON q._uuid = ls.qos
)
SELECT ls.datapath, s.stage, 0 AS priority, '1' AS match, 'next;' AS actions,
       NULL AS stage_hint, 'Logical_Switch' AS owner_table, ls.datapath AS owner
FROM   ls_datapaths ls,     -- (no VALUES list: its implicit star would read every column)
       (SELECT 'ls_in_qos_mark' AS stage UNION ALL SELECT 'ls_out_qos_mark'
        UNION ALL SELECT 'ls_in_qos_meter' UNION ALL SELECT 'ls_out_qos_meter') AS s
UNION ALL
SELECT datapath, CASE WHEN ingress THEN 'ls_in_qos_mark' ELSE 'ls_out_qos_mark' END,
       priority, match, 'ip.dscp = ' || CAST(action['dscp'] AS VARCHAR) || '; next;',
       hint(_uuid), 'QoS', _uuid
FROM   qos
WHERE  action['dscp'] IS NOT NULL
UNION ALL
SELECT datapath, CASE WHEN ingress THEN 'ls_in_qos_meter' ELSE 'ls_out_qos_meter' END,
       priority, match,
       'set_meter(' || CAST(bandwidth['rate'] AS VARCHAR)
       || coalesce(', ' || CAST(bandwidth['burst'] AS VARCHAR), '') || '); next;',
       hint(_uuid), 'QoS', _uuid
FROM   qos
WHERE  bandwidth['rate'] IS NOT NULL
