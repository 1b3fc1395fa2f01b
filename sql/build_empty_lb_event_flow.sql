-- ls_in_pre_lb p130 per VIP without backends when the LB asks for events
-- (options:event, or the deprecated NB_Global controller_event) and does
-- not reject: report the empty LB to the controller, under the switch's
-- `event-elb` CoPP meter.
-- northd: build_lswitch_flows_for_lb -> build_empty_lb_event_flow;
--   ovn-northd(8): "Ingress Table 5: Pre-LB".
-- Owner: the load balancer.
-- Per owner: lb_switches(lb), lb_vips(lb)
SELECT s.datapath, 'ls_in_pre_lb' AS stage, 130 AS priority,
       v.ip_match || '.dst == ' || v.vip || ' && ' || v.proto
       || coalesce(' && ' || v.proto || '.dst == ' || v.port_str, '') AS match,
       'trigger_event(event = "empty_lb_backends", vip = "'
       || CASE WHEN v.port_str IS NULL THEN v.vip
               WHEN v.family = 'ipv4' THEN v.vip || ':' || v.port_str
               ELSE '[' || v.vip || ']:' || v.port_str END
       || '", protocol = "' || v.proto || '", load_balancer = "' || v.lb || '");' AS actions,
       copp_meter(s.datapath, 'event-elb') AS ctrl_meter,
       hint(v.lb) AS stage_hint, 'Load_Balancer' AS owner_table, v.lb AS owner
FROM   lb_vips v
JOIN   lb_switches s ON s.lb = v.lb
WHERE  v.empty_lb_event AND v.n_backends = 0 AND NOT v.reject_empty
