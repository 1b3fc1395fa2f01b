-- The LB VIPs each router answers neighbour requests for (northd:
-- build_lrouter_lb_reachable_ips, od->lb_ips->ips_v4/v6_reachable): per the
-- LB's options:neighbor_responder `all` every VIP, `none` none, else
-- (`reachable`) those in a subnet of one of the router's ports; a template
-- LB's only with `all` (its VIP text as written). They make the router's
-- `_rtr_lb_<tunnel key>_ip4/6` SB address sets.
CREATE OR REPLACE TEMP VIEW lr_lb_reachable_vips AS
SELECT DISTINCT r.datapath, v.family, v.vip
FROM   lb_routers r
JOIN   Load_Balancer lb ON lb._uuid = r.lb
JOIN   lb_vips v ON v.lb = r.lb
WHERE  CASE opt(lb.options, 'neighbor_responder')
           WHEN 'all' THEN true
           WHEN 'none' THEN false
           ELSE NOT v.template AND EXISTS (SELECT 1 FROM lrp_ips i
                        WHERE i.datapath = r.datapath AND i.family = v.family
                          AND in_network(v.bits, i.bits, i.plen))
       END;
