-- SB Service_Monitor rows as northd writes them: build_lb_svcs(),
-- ovn_lb_svc_create() and create_or_get_service_mon() in northd.c;
-- ovn-sb(5) "Service_Monitor". One row per monitored backend of a
-- health-checked VIP (lb_hc_backends: an ip_port_mappings entry naming an
-- enabled switch port and a valid source IP), by (logical_port, ip, port,
-- protocol): protocol the LB's, tcp when unset; options those of the VIP's
-- health check (the first in uuid order naming it); src_mac the
-- svc_monitor_mac, src_ip the mapping's. Other SB rows are deleted; status
-- belongs to ovn-controller. A monitor several VIPs share takes the values
-- of the last one northd meets: it walks its LB hmap (buckets by uuid_hash,
-- ascending), each LB's VIPs in string-hash order; ties within a bucket and
-- an LB's VIPs go here by uuid and VIP (README: hash order).

WITH hc AS (            -- ovn_lb_get_health_check()
    SELECT l._uuid AS lb, c.vip AS vip_key, arg_min(c.options, c._uuid) AS options
    FROM   (SELECT _uuid, unnest(health_check) AS hc FROM Load_Balancer) l
    JOIN   Load_Balancer_Health_Check c ON c._uuid = l.hc
    GROUP  BY l._uuid, c.vip
),
mon AS (                -- each VIP's monitored backends, in the order northd meets them
    SELECT b.port_name, b.ip, b.port, b.src_ip, hc.options,
           coalesce(nullif(lb.protocol, ''), 'tcp') AS protocol,
           lpad(CAST(hmap_bucket(uuid_hash(b.lb), (SELECT count(*) FROM Load_Balancer))
                     AS VARCHAR), 10, '0') || b.lb || b.vip_key AS met
    FROM   lb_hc_backends b
    JOIN   Load_Balancer lb ON lb._uuid = b.lb
    JOIN   hc ON hc.lb = b.lb AND hc.vip_key = b.vip_key
    WHERE  b.monitored
)
SELECT port_name AS logical_port, ip, port, protocol,
       arg_max(src_ip, met)                          AS src_ip,
       (SELECT svc_monitor_mac FROM northd_config)   AS src_mac,
       arg_max(options, met)                         AS options
FROM   mon
GROUP  BY port_name, ip, port, protocol
