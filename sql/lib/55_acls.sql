-- ACLs as consider_acl() sees them: one row per (switch, ACL) for the
-- switch's own ACLs and those of port groups with a member port on it, with
-- the stage, priority and strings every ACL flow shares.
-- northd: build_acls / consider_acl / build_acl_log; ovn-northd(8): "Ingress
--   table 8: from-lport ACLs before LB", "Egress Table 4: to-lport ACLs".

-- ACLs naming a fair meter, and the name of the private copy northd makes
-- of it for each (alloc_acl_log_unique_meter_name(); SB Meter has them).
CREATE OR REPLACE TEMP TABLE acl_fair_meters AS
SELECT a._uuid AS acl, m._uuid AS meter, a.meter || '__' || a._uuid AS name
FROM   ACL a
JOIN   Meter m ON m.name = a.meter AND coalesce(m.fair, false);

-- build_acl_log(): `log(name="N", severity=S, verdict=V, meter="M"); ` when
-- the ACL logs, else ''; M is the ACL's own copy of a fair meter.
CREATE OR REPLACE TEMP TABLE acl_log AS
SELECT a._uuid AS acl,
       CASE WHEN a.log THEN
           'log(' || concat_ws(', ',
               CASE WHEN a.name IS NOT NULL THEN 'name="' || a.name || '"' END,
               'severity=' || coalesce(a.severity, 'info'),
               'verdict=' || CASE WHEN a.action IN ('drop', 'reject') THEN a.action
                                  ELSE 'allow' END,
               CASE WHEN a.meter IS NOT NULL
                    THEN 'meter="' || coalesce(f.name, a.meter) || '"' END) || '); '
       ELSE '' END AS log_actions
FROM   ACL a
LEFT JOIN acl_fair_meters f ON f.acl = a._uuid;

CREATE OR REPLACE TEMP TABLE ls_acl_rows AS
SELECT l.datapath,
       a._uuid                                         AS acl,
       a.action,
       a.match,
       a.priority + 1000                               AS priority,
       a.label,
       CASE WHEN a.direction = 'from-lport'
                 AND opt_bool(a.options, 'apply-after-lb', false) THEN 'ls_in_acl_after_lb'
            WHEN a.direction = 'from-lport' THEN 'ls_in_acl'
            ELSE 'ls_out_acl' END                      AS stage,
       -- log-related flows go to the opposite pipeline
       CASE WHEN a.direction = 'from-lport' THEN 'ls_out_acl' ELSE 'ls_in_acl' END
                                                       AS related_stage,
       a.direction = 'from-lport'                      AS ingress,
       d.has_stateful_acl OR d.has_lb_vip              AS stateful,
       a.log AND a.label <> 0 AND opt_bool(a.options, 'log-related', false)
                                                       AS log_related,
       g.log_actions
FROM   (SELECT DISTINCT datapath, acl FROM ls_acls) l
JOIN   ACL a ON a._uuid = l.acl
JOIN   ls_datapaths d ON d.datapath = l.datapath
JOIN   acl_log g ON g.acl = a._uuid;
