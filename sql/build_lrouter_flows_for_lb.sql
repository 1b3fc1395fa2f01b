-- Per LB on each of its routers: lr_in_dnat p130 reports a VIP without
-- backends to the controller when the LB asks for events (under the
-- router's `event-elb` CoPP meter); lr_out_snat p120 lets sessions of an LB
-- with options:skip_snat skip SNAT.
-- northd: build_lrouter_flows_for_lb (build_empty_lb_event_flow);
--   ovn-northd(8): "Ingress Table 7: DNAT", "Egress Table 3: SNAT".
-- Owner: the load balancer.
SELECT r.datapath, 'lr_in_dnat' AS stage, 130 AS priority, e.match, e.actions,
       copp_meter(r.datapath, 'event-elb') AS ctrl_meter,
       hint(e.lb) AS stage_hint, 'Load_Balancer' AS owner_table, e.lb AS owner
FROM   lb_vip_events e
JOIN   lb_routers r ON r.lb = e.lb
UNION ALL
SELECT r.datapath, 'lr_out_snat', 120, 'flags.skip_snat_for_lb == 1 && ip', 'next;',
       NULL, hint(r.lb), 'Load_Balancer', r.lb
FROM   lb_routers r
JOIN   Load_Balancer lb ON lb._uuid = r.lb
WHERE  opt_bool(lb.options, 'skip_snat', false)
