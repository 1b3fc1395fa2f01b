-- ls_in_arp_rsp p110 on the switch of each health-checked backend's port:
-- answer ARP/ND for the service monitor's source IP with svc_monitor_mac.
-- Every LB with a health check counts, applied to a datapath or not.
-- northd: build_lswitch_arp_nd_service_monitor; ovn-northd(8): "Ingress
--   Table 19: ARP/ND responder".
-- Owner: the load balancer.
WITH m AS (
    SELECT DISTINCT b.lb, b.port_datapath AS datapath, b.family, b.src_ip,
           (SELECT svc_monitor_mac FROM northd_config) AS mac
    FROM   lb_hc_backends b
    WHERE  b.port_datapath IS NOT NULL
)
SELECT datapath, 'ls_in_arp_rsp' AS stage, 110 AS priority,
       CASE WHEN family = 'ipv4' THEN 'arp.tpa == ' || src_ip || ' && arp.op == 1'
            ELSE 'nd_ns && nd.target == ' || src_ip END AS match,
       CASE WHEN family = 'ipv4'
            THEN 'eth.dst = eth.src; eth.src = ' || mac || '; arp.op = 2; /* ARP reply */ '
                 || 'arp.tha = arp.sha; arp.sha = ' || mac || '; arp.tpa = arp.spa; '
                 || 'arp.spa = ' || src_ip || '; outport = inport; flags.loopback = 1; output;'
            ELSE 'nd_na { eth.dst = eth.src; eth.src = ' || mac || '; ip6.src = ' || src_ip
                 || '; nd.target = ' || src_ip || '; nd.tll = ' || mac
                 || '; outport = inport; flags.loopback = 1; output; };' END AS actions,
       hint(lb) AS stage_hint, 'Load_Balancer' AS owner_table, lb AS owner
FROM   m
WHERE  mac IS NOT NULL
