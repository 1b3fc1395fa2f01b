-- Load balancers on routers (build_lbs' nb_lr_map, init_nat_entries): which
-- routers each LB applies to, grouped into the router sets its flows stand
-- for, and what decides a router's DNAT flows.

-- The routers LBs apply to (northd's lb->nb_lr_map), with what decides their
-- DNAT flows: lb_force_snat_ip (router_ip on a gateway router, or an address
-- extract_ip_address() accepts) makes LB sessions force SNAT; a router with
-- a distributed gateway port gets flows of its own instead of a set's.
CREATE OR REPLACE TEMP TABLE lr_lb_routers AS
SELECT n.datapath,
       n.lb_force_snat_router_ip
       OR n.datapath IN (SELECT datapath FROM lr_force_snat_ips WHERE kind = 'lb')
           AS lb_force_snat,
       n.datapath IN (SELECT datapath FROM lr_dgps) AS has_dgp
FROM   lr_nat_facts n
WHERE  n.datapath IN (SELECT datapath FROM dp_lb_sources);

-- The router addresses (its ports' IPs, its NATs' external IPs) that are
-- also LB VIPs of the router (in its lb_ips).
CREATE OR REPLACE TEMP TABLE lr_own_lb_vips AS
WITH addrs AS (
    SELECT datapath, family, addr FROM lrp_ips
    UNION
    SELECT datapath, family, external_ip FROM nat_entries
)
SELECT DISTINCT a.datapath, a.family, a.addr
FROM   addrs a
JOIN   lr_lb_source_vips v ON v.family = a.family AND v.vip = a.addr
JOIN   dp_lb_sources s ON s.source = v.source AND s.datapath = a.datapath;

-- The LB sources of each router.
CREATE OR REPLACE TEMP TABLE lr_lb_sources AS
SELECT s.datapath, s.source
FROM   dp_lb_sources s JOIN lr_lb_routers r ON r.datapath = s.datapath;

-- Each LB applied to a router, with the prefix of its router sets' names:
-- LBs reaching routers through the same sources share their sets. The sets
-- (dp_sets) are the prefix plus a kind: 'all', 'force' / 'plain' (routers
-- with / without lb_force_snat), and 'nodgp', 'nodgp force', 'nodgp plain'
-- (the same among routers without a distributed gateway port).
CREATE OR REPLACE TEMP TABLE lb_router_sets AS
SELECT m.lb,
       'Load_Balancer routers ' || md5(array_to_string(list_sort(list(DISTINCT m.source)), ' '))
       || ' ' AS dp_set_prefix,
       list(DISTINCT m.source) AS sources
FROM   lb_source_members m
WHERE  m.source IN (SELECT source FROM lr_lb_sources)
GROUP  BY m.lb;

-- The router-set kinds each router belongs to.
CREATE OR REPLACE TEMP TABLE lr_lb_router_kinds AS
SELECT r.datapath, k.kind
FROM   lr_lb_routers r,
       LATERAL (VALUES ('all', true),
                       (CASE WHEN r.lb_force_snat THEN 'force' ELSE 'plain' END, true),
                       ('nodgp', NOT r.has_dgp),
                       (CASE WHEN r.lb_force_snat THEN 'nodgp force' ELSE 'nodgp plain' END,
                        NOT r.has_dgp)) AS k(kind, holds)
WHERE  k.holds;
