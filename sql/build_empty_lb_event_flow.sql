-- ls_in_pre_lb p130 per VIP without backends when the LB asks for events
-- (options:event, or the deprecated NB_Global controller_event) and does
-- not reject: report the empty LB to the controller, under the switch's
-- `event-elb` CoPP meter.
-- northd: build_lswitch_flows_for_lb -> build_empty_lb_event_flow;
--   ovn-northd(8): "Ingress Table 5: Pre-LB".
-- Owner: the load balancer.
-- Per owner: lb_switches(lb), lb_vip_events(lb)
SELECT s.datapath, 'ls_in_pre_lb' AS stage, 130 AS priority, e.match, e.actions,
       copp_meter(s.datapath, 'event-elb') AS ctrl_meter,
       hint(e.lb) AS stage_hint, 'Load_Balancer' AS owner_table, e.lb AS owner
FROM   lb_vip_events e
JOIN   lb_switches s ON s.lb = e.lb
