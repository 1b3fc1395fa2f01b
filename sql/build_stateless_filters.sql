-- ls_in_pre_acl / ls_out_pre_acl: allow-stateless ACLs mark their traffic
-- (reg0[16]) so it bypasses conntrack, on switches that use conntrack (a
-- stateful ACL or an LB VIP).
-- northd: build_stateless_filters (from build_pre_acls); ovn-northd(8):
--   "Ingress Table 4: from-lport Pre-ACLs", "Egress Table 0: to-lport Pre-ACLs".
-- Owner: the ACL.
-- Per owner: ls_acl_rows(acl)
SELECT datapath,
       CASE WHEN ingress THEN 'ls_in_pre_acl' ELSE 'ls_out_pre_acl' END AS stage,
       priority, match, 'reg0[16] = 1; next;' AS actions,
       hint(acl) AS stage_hint, 'ACL' AS owner_table, acl AS owner
FROM   ls_acl_rows
WHERE  action = 'allow-stateless' AND stateful
