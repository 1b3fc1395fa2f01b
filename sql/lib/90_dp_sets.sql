-- Named sets of datapaths that rule rows may stand for (contract.py,
-- `dp_set`): the grouping step takes such a row as one row per member
-- without the rules materialising them. One block per kind of set.

-- The switch sets of load balancers (lb_switch_sets): members are the
-- switches of any of the set's sources; and their router sets
-- (lb_router_sets): members are the routers of any of the set's sources
-- that are of the set's kind.
CREATE OR REPLACE TEMP TABLE dp_sets AS
SELECT DISTINCT s.dp_set, l.datapath
FROM   (SELECT DISTINCT dp_set, unnest(sources) AS source FROM lb_switch_sets) s
JOIN   ls_lb_sources l ON l.source = s.source
UNION ALL
SELECT DISTINCT s.dp_set_prefix || k.kind, l.datapath
FROM   (SELECT DISTINCT dp_set_prefix, unnest(sources) AS source FROM lb_router_sets) s
JOIN   lr_lb_sources l ON l.source = s.source
JOIN   lr_lb_router_kinds k ON k.datapath = l.datapath;


-- The switches each LB applies to (northd's lb->nb_ls_map), a view for the
-- few rules that need them one by one (per-switch CoPP meters).
CREATE OR REPLACE TEMP VIEW lb_switches AS
SELECT ss.lb, d.datapath FROM lb_switch_sets ss JOIN dp_sets d ON d.dp_set = ss.dp_set;


-- The routers each LB applies to (northd's lb->nb_lr_map), one by one.
CREATE OR REPLACE TEMP VIEW lb_routers AS
SELECT rs.lb, r.*
FROM   lb_router_sets rs
JOIN   dp_sets d ON d.dp_set = rs.dp_set_prefix || 'all'
JOIN   lr_lb_routers r ON r.datapath = d.datapath;
