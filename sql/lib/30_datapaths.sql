-- Datapaths and their per-datapath facts (build_datapaths, init_ipam_info,
-- ls_get_acl_flags, build_lrouter_lbs; ovn-northd(8) "Logical Switch
-- Datapaths" / "Logical Router Datapaths"). The flow contract's `datapath`
-- is the NB row's uuid.

-- Every NB Logical_Switch is a datapath.
CREATE OR REPLACE TEMP TABLE ls_datapaths AS
SELECT ls._uuid                                           AS datapath,
       ls.name,
       ls.other_config,
       ls.copp,
       opt_bool(ls.other_config, 'vlan-passthru', false)  AS vlan_passthru,
       opt_bool(ls.other_config, 'mcast_snoop', false)    AS mcast_snoop,
       opt_bool(ls.other_config, 'mcast_flood_unregistered', false)
                                                          AS mcast_flood_unregistered,
       -- any value counts (northd tests smap_get(), ovn-ic stores the TS name)
       opt(ls.other_config, 'interconn-ts') IS NOT NULL   AS interconn_ts,
       f.has_acls,
       f.has_stateful_acl,
       f.has_lb_vip,
       f.has_unknown,
       f.mcast_flood_static,
       f.has_vtep_lports,
       f.has_non_router_ports,
       f.mcast_flood_relay,
       f.has_dns_records
FROM   Logical_Switch ls
JOIN   ls_flags f ON f.datapath = ls._uuid;

-- A logical router is a datapath unless enabled=false.
CREATE OR REPLACE TEMP TABLE lr_datapaths AS
SELECT lr._uuid                                           AS datapath,
       lr.name,
       lr.options,
       lr.copp,
       opt(lr.options, 'chassis') IS NOT NULL             AS is_gateway_router,
       opt_bool(lr.options, 'always_learn_from_arp_request', true)
                                                          AS learn_from_arp_request,
       opt_bool(lr.options, 'mcast_relay', false)         AS mcast_relay,
       -- mcast_info.rtr.flood_static: an enabled port with mcast_flood=true
       EXISTS (SELECT 1 FROM lr_ports p WHERE p.datapath = lr._uuid AND p.enabled
                                          AND opt_bool(p.options, 'mcast_flood', false))
                                                          AS mcast_flood_static,
       cardinality(lr.nat) > 0                            AS has_nat,
       lr._uuid IN (SELECT datapath FROM dp_has_lb_vip)   AS has_lb_vip
FROM   Logical_Router lr
WHERE  coalesce(lr.enabled, true);

CREATE OR REPLACE TEMP TABLE datapaths AS
SELECT datapath, name, 'Logical_Switch' AS nb_table FROM ls_datapaths
UNION ALL
SELECT datapath, name, 'Logical_Router' AS nb_table FROM lr_datapaths;

-- copp_meter_get() inputs: (datapath, protocol) -> existing NB Meter name.
CREATE OR REPLACE TEMP TABLE copp_meters AS
WITH dp_copp AS (
    SELECT _uuid AS datapath, copp FROM Logical_Switch WHERE copp IS NOT NULL
    UNION ALL
    SELECT _uuid AS datapath, copp FROM Logical_Router WHERE copp IS NOT NULL
)
SELECT d.datapath, m.key AS proto, m.value AS meter
FROM   dp_copp d
JOIN   (SELECT _uuid, unnest(map_entries(meters)) AS e FROM Copp) c ON c._uuid = d.copp
CROSS JOIN LATERAL (SELECT c.e.key AS key, c.e.value AS value) m
WHERE  m.value IN (SELECT name FROM Meter);
