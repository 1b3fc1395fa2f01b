-- lr_in_policy / lr_in_policy_ecmp defaults, per router: no policy means
-- ECMP group 0, which passes; anything else unmatched is dropped.
-- northd: build_ingress_policy_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 15: Router policies", "Ingress Table 16: ECMP handling for router policies".
-- Owner: the logical router. (Policies: build_routing_policy_flows.)
SELECT lr.datapath, f.stage, f.priority, f.match, f.actions
FROM   lr_datapaths lr,
       (VALUES ('lr_in_policy',        0, '1', 'reg8[0..15] = 0; next;'),
               ('lr_in_policy_ecmp', 150, 'reg8[0..15] == 0', 'next;'),
               ('lr_in_policy_ecmp',   0, '1', drop_action())
       ) AS f(stage, priority, match, actions)
