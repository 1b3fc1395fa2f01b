-- The flows of each ACL on each switch it applies to, in ls_in_acl,
-- ls_in_acl_after_lb (from-lport with options:apply-after-lb) or ls_out_acl
-- at priority ACL.priority + 1000. On a stateful switch (a stateful ACL or an
-- LB VIP) allow ACLs commit new connections and re-check established ones,
-- drop/reject ACLs act on the drop and block hints; log-related ACLs with a
-- label also log reply/related traffic in the opposite pipeline. Reject
-- flows carry the switch's `reject` CoPP meter.
-- northd: consider_acl, build_reject_acl_rules, build_acl_log;
--   ovn-northd(8): "Ingress table 8: from-lport ACLs before LB",
--   "Ingress table 17: from-lport ACLs after LB", "Egress Table 4: to-lport ACLs".
-- Owner: the ACL.
-- Per owner: ls_acl_rows(acl)
WITH r AS (
    SELECT *,
           CASE WHEN label <> 0
                THEN 'reg0[13] = 1; reg3 = ' || CAST(label AS VARCHAR) || '; ' ELSE '' END
                                                                   AS label_actions,
           'ct_commit { ' || ct_blocked() || ' = 1; }; '          AS block_commit,
           'reg0 = 0; reject { /* eth.dst <-> eth.src; ip.dst <-> ip.src; is implicit. */ '
           || 'outport <-> inport; '
           || CASE WHEN ingress
                   THEN 'next(pipeline=egress,table=' || stage_table('ls_out_qos_mark')
                   ELSE 'next(pipeline=ingress,table=' || stage_table('ls_in_l2_lkup') END
           || '); };'                                             AS reject_actions,
           CASE WHEN use_ct_inv() THEN ' && !ct.inv' ELSE '' END  AS and_not_inv
    FROM   ls_acl_rows
),
flows AS (
    -- allow-stateless, and allow/allow-related on a stateless switch
    SELECT datapath, acl, stage, priority, match, log_actions || 'next;' AS actions, false AS rej
    FROM   r
    WHERE  action = 'allow-stateless' OR (action IN ('allow', 'allow-related') AND NOT stateful)
    UNION ALL
    SELECT datapath, acl, stage, priority, 'reg0[7] == 1 && (' || match || ')',
           'reg0[1] = 1; ' || label_actions || log_actions || 'next;', false
    FROM   r WHERE action IN ('allow', 'allow-related') AND stateful
    UNION ALL
    SELECT datapath, acl, stage, priority, 'reg0[8] == 1 && (' || match || ')',
           CASE WHEN label <> 0 THEN 'reg0[1] = 1; ' || label_actions ELSE '' END
           || log_actions || 'next;', false
    FROM   r WHERE action IN ('allow', 'allow-related') AND stateful
    UNION ALL
    SELECT datapath, acl, related_stage, 65533,
           'ct.est && !ct.rel && !ct.new' || and_not_inv || ' && ct.rpl && ' || ct_blocked()
           || ' == 0 && ct_label.label == ' || CAST(label AS VARCHAR),
           log_actions || 'next;', false
    FROM   r WHERE action IN ('allow', 'allow-related') AND stateful AND log_related
    UNION ALL
    SELECT datapath, acl, related_stage, 65533,
           '!ct.est && ct.rel && !ct.new' || and_not_inv || ' && ' || ct_blocked()
           || ' == 0 && ct_label.label == ' || CAST(label AS VARCHAR),
           log_actions || 'next;', false
    FROM   r WHERE action IN ('allow', 'allow-related') AND stateful AND log_related
    UNION ALL
    -- drop
    SELECT datapath, acl, stage, priority, 'reg0[9] == 1 && (' || match || ')',
           log_actions || implicit_drop_action(), false
    FROM   r WHERE action = 'drop' AND stateful
    UNION ALL
    SELECT datapath, acl, stage, priority, 'reg0[10] == 1 && (' || match || ')',
           block_commit || log_actions || implicit_drop_action(), false
    FROM   r WHERE action = 'drop' AND stateful
    UNION ALL
    SELECT datapath, acl, stage, priority, match, log_actions || implicit_drop_action(), false
    FROM   r WHERE action = 'drop' AND NOT stateful
    UNION ALL
    -- reject: the log comes first, then the hint's extra actions
    SELECT datapath, acl, stage, priority, '(reg0[9] == 1) && ' || match,
           log_actions || reject_actions, true
    FROM   r WHERE action = 'reject' AND stateful
    UNION ALL
    SELECT datapath, acl, stage, priority, '(reg0[10] == 1) && ' || match,
           log_actions || block_commit || ' ' || reject_actions, true
    FROM   r WHERE action = 'reject' AND stateful
    UNION ALL
    SELECT datapath, acl, stage, priority, match, log_actions || reject_actions, true
    FROM   r WHERE action = 'reject' AND NOT stateful
)
SELECT datapath, stage, priority, match, actions, NULL AS io_port,
       CASE WHEN rej THEN copp_meter(datapath, 'reject') END AS ctrl_meter,
       hint(acl) AS stage_hint, 'ACL' AS owner_table, acl AS owner
FROM   flows
