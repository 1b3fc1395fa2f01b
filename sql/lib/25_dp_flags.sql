-- Per-datapath facts that switch the conntrack skeleton on (ls_get_acl_flags,
-- ls_has_lb_vip, lr_has_lb_vip in northd.c).

-- Which switch each logical switch port sits on (northd's ports only).
CREATE OR REPLACE TEMP TABLE lsp_switch AS
SELECT port AS lsp, datapath FROM nb_ports WHERE port_table = 'Logical_Switch_Port';

-- ACLs that apply to a switch: its own, and those of every port group with a
-- member port on it.
CREATE OR REPLACE TEMP TABLE ls_acls AS
SELECT ls._uuid AS datapath, unnest(ls.acls) AS acl FROM Logical_Switch ls
UNION
SELECT DISTINCT s.datapath, unnest(pg.acls) AS acl
FROM   (SELECT _uuid, acls, unnest(ports) AS lsp FROM Port_Group) pg
JOIN   lsp_switch s ON s.lsp = pg.lsp;

-- Load balancers reach datapaths from "sources": an LB itself (attached
-- directly) or an LB group. Kept at that level, an LB group of thousands of
-- LBs on hundreds of datapaths stays a few hundred rows.
CREATE OR REPLACE TEMP TABLE lb_source_members AS
SELECT 'Load_Balancer ' || _uuid AS source, _uuid AS lb FROM Load_Balancer
UNION ALL
SELECT 'Load_Balancer_Group ' || g._uuid, l._uuid
FROM   (SELECT _uuid, unnest(load_balancer) AS lb FROM Load_Balancer_Group) g
JOIN   Load_Balancer l ON l._uuid = g.lb;

-- The sources of each switch and router (northd's od->nbs/nbr load_balancer
-- and load_balancer_group).
CREATE OR REPLACE TEMP TABLE dp_lb_sources AS
WITH dp AS (
    SELECT _uuid AS datapath, load_balancer, load_balancer_group FROM Logical_Switch
    UNION ALL
    SELECT _uuid AS datapath, load_balancer, load_balancer_group FROM Logical_Router
)
SELECT DISTINCT datapath, source FROM (
    SELECT datapath, kind || ' ' || member AS source FROM (
    SELECT datapath, 'Load_Balancer' AS kind, unnest(load_balancer) AS member FROM dp
    UNION ALL
    SELECT datapath, 'Load_Balancer_Group', unnest(load_balancer_group) FROM dp
    ) m
) s
WHERE source IN (SELECT source FROM lb_source_members);

-- Datapaths with at least one LB that has a VIP.
CREATE OR REPLACE TEMP TABLE dp_has_lb_vip AS
SELECT DISTINCT s.datapath
FROM   dp_lb_sources s
WHERE  s.source IN (SELECT m.source FROM lb_source_members m
                    JOIN Load_Balancer lb ON lb._uuid = m.lb
                    WHERE cardinality(lb.vips) > 0);

-- od->has_unknown: an enabled, non-external port with an "unknown" address
-- (build_lswitch_ip_unicast_lookup).
CREATE OR REPLACE TEMP TABLE ls_unknown AS
SELECT DISTINCT s.datapath
FROM   lsp_switch s JOIN Logical_Switch_Port p ON p._uuid = s.lsp
WHERE  coalesce(p.enabled, true) AND p.type <> 'external'
  AND  list_contains(p.addresses, 'unknown');

-- Router ports that exist for northd: on an enabled router, with a valid MAC.
CREATE OR REPLACE TEMP TABLE lr_ports AS
SELECT p._uuid AS lrp, r._uuid AS datapath, p.name, json_str(p.name) AS json_key,
       coalesce(p.enabled, true) AS enabled, p.options, p.peer,
       opt_bool(r.options, 'mcast_relay', false) AS router_mcast_relay
FROM   nb_ports n
JOIN   Logical_Router_Port p ON p._uuid = n.port
JOIN   Logical_Router r ON r._uuid = n.datapath
WHERE  n.port_table = 'Logical_Router_Port';

-- Switch ports of type router joined to their peer (options:router-port);
-- od->router_ports holds exactly these.
CREATE OR REPLACE TEMP TABLE ls_router_peers AS
SELECT s.lsp, s.datapath, r.lrp, r.enabled AS peer_enabled,
       r.router_mcast_relay AS peer_mcast_relay
FROM   lsp_switch s
JOIN   Logical_Switch_Port p ON p._uuid = s.lsp
JOIN   lr_ports r ON r.name = opt(p.options, 'router-port')
WHERE  p.type = 'router';

-- mcast_info.sw.flood_static: an enabled port with options:mcast_flood=true.
CREATE OR REPLACE TEMP TABLE ls_flood_static AS
SELECT DISTINCT s.datapath
FROM   lsp_switch s JOIN Logical_Switch_Port p ON p._uuid = s.lsp
WHERE  coalesce(p.enabled, true) AND opt_bool(p.options, 'mcast_flood', false);

-- od->has_vtep_lports.
CREATE OR REPLACE TEMP TABLE ls_vtep AS
SELECT DISTINCT s.datapath
FROM   lsp_switch s JOIN Logical_Switch_Port p ON p._uuid = s.lsp
WHERE  p.type = 'vtep';

CREATE OR REPLACE TEMP TABLE ls_flags AS
SELECT ls._uuid AS datapath,
       EXISTS (SELECT 1 FROM ls_acls a WHERE a.datapath = ls._uuid) AS has_acls,
       EXISTS (SELECT 1 FROM ls_acls a JOIN ACL ON ACL._uuid = a.acl
               WHERE a.datapath = ls._uuid AND ACL.action = 'allow-related')
                                                                   AS has_stateful_acl,
       ls._uuid IN (SELECT datapath FROM dp_has_lb_vip)            AS has_lb_vip,
       ls._uuid IN (SELECT datapath FROM ls_unknown)               AS has_unknown,
       ls._uuid IN (SELECT datapath FROM ls_flood_static)          AS mcast_flood_static,
       ls._uuid IN (SELECT datapath FROM ls_vtep)                  AS has_vtep_lports,
       -- od->n_router_ports != n_ports
       array_length(ls.ports) > (SELECT count(*) FROM ls_router_peers r WHERE r.datapath = ls._uuid)
                                                                   AS has_non_router_ports,
       ls._uuid IN (SELECT datapath FROM ls_router_peers WHERE peer_mcast_relay)
                                                                   AS mcast_flood_relay,
       -- ls_has_dns_records(): a DNS row with at least one record
       EXISTS (SELECT 1 FROM (SELECT unnest(ls.dns_records) AS dns) d
               JOIN DNS ON DNS._uuid = d.dns WHERE cardinality(DNS.records) > 0)
                                                                   AS has_dns_records
FROM   Logical_Switch ls;
