-- The LB VIPs each router answers neighbour requests for (northd:
-- build_lrouter_lb_reachable_ips, od->lb_ips->ips_v4/v6_reachable): per the
-- LB's options:neighbor_responder `all` every VIP, `none` none, else
-- (`reachable`) those in a subnet of one of the router's ports; a template
-- LB's only with `all` (its VIP text as written). They make the router's
-- `_rtr_lb_<tunnel key>_ip4/6` SB address sets. The subnet test is a join on
-- the VIP's first plen bits, one plen at a time.
CREATE OR REPLACE TEMP VIEW lr_lb_reachable_vips AS
WITH modes AS (
    SELECT _uuid AS lb, coalesce(opt(options, 'neighbor_responder'), '') AS mode
    FROM   Load_Balancer
),
subnets AS (
    SELECT DISTINCT datapath, family, plen, left(bits, plen) AS prefix FROM lrp_ips
),
in_subnet AS (          -- (LB, VIP, a router with a port subnet holding it)
    SELECT DISTINCT v.lb, v.family, v.vip, s.datapath
    FROM   lb_vips v
    JOIN   modes m ON m.lb = v.lb AND m.mode NOT IN ('all', 'none')
    JOIN  (SELECT DISTINCT family, plen FROM subnets) p ON p.family = v.family
    JOIN   subnets s ON s.family = v.family AND s.plen = p.plen
                    AND s.prefix = left(v.bits, p.plen)
    WHERE  NOT v.template
)
SELECT DISTINCT r.datapath, v.family, v.vip
FROM   lb_routers r
JOIN   modes m ON m.lb = r.lb AND m.mode = 'all'
JOIN   lb_vips v ON v.lb = r.lb
UNION
SELECT i.datapath, i.family, i.vip
FROM   in_subnet i
JOIN   lb_routers r ON r.lb = i.lb AND r.datapath = i.datapath;
