-- SB Service_Monitor rows as northd writes them: build_lb_svcs(),
-- ovn_lb_svc_create() and create_or_get_service_mon() in northd.c;
-- ovn-sb(5) "Service_Monitor". One row per monitored backend of a
-- health-checked VIP (lb_hc_backends: an ip_port_mappings entry naming an
-- enabled switch port and a valid source IP), by (logical_port, ip, port,
-- protocol): protocol the LB's, tcp when unset; options those of the VIP's
-- health check (the first in uuid order naming it); src_mac the
-- svc_monitor_mac, src_ip the mapping's. Other SB rows are deleted; status
-- belongs to ovn-controller. A monitor several VIPs share takes the values
-- of one of them (northd: the last in its hash order).

WITH hc AS (            -- ovn_lb_get_health_check()
    SELECT l._uuid AS lb, c.vip AS vip_key, arg_min(c.options, c._uuid) AS options
    FROM   (SELECT _uuid, unnest(health_check) AS hc FROM Load_Balancer) l
    JOIN   Load_Balancer_Health_Check c ON c._uuid = l.hc
    GROUP  BY l._uuid, c.vip
)
SELECT b.port_name                                   AS logical_port,
       b.ip,
       b.port,
       coalesce(nullif(lb.protocol, ''), 'tcp')      AS protocol,
       arg_min(b.src_ip, b.lb || b.vip_key)          AS src_ip,
       (SELECT svc_monitor_mac FROM northd_config)   AS src_mac,
       arg_min(hc.options, b.lb || b.vip_key)        AS options
FROM   lb_hc_backends b
JOIN   Load_Balancer lb ON lb._uuid = b.lb
JOIN   hc ON hc.lb = b.lb AND hc.vip_key = b.vip_key
WHERE  b.monitored
GROUP  BY b.port_name, b.ip, b.port, coalesce(nullif(lb.protocol, ''), 'tcp')
