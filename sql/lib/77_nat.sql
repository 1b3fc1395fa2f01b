-- NAT as northd's init_nat_entries / lrouter_check_nat_entry see it, and
-- the per-router facts NAT flows test (get_force_snat_ip, snat_ips).
-- Parsing is Python's (derive.nat_entries, derive.force_snat_ips).

-- Every NAT row of an enabled router whose external_ip is one address
-- (northd's nat_entries; rows it cannot parse are left out). Strings are
-- kept as written where flows print them verbatim (external_ip,
-- logical_ip, external_mac, external_port_range).
CREATE OR REPLACE TEMP TABLE nat_entries AS
SELECT r.datapath, n._uuid AS nat, n.type,
       n.external_ip, n.logical_ip, n.external_mac, n.external_port_range,
       n.logical_port, n.gateway_port,
       p.family, p.ext_addr, p.ext_sn_addr, p.ext_bits, p.cidr_bits, p.mac, p.garp_ok,
       CASE WHEN p.family = 'ipv4' THEN 'ip4' ELSE 'ip6' END AS ip_match,
       -- lrouter_dnat_and_snat_is_stateless()
       n.type = 'dnat_and_snat' AND opt_bool(n.options, 'stateless', false) AS stateless,
       allowed.name AS allowed_ext_ips, exempted.name AS exempted_ext_ips,
       p.flows_ok, r.is_gateway_router
FROM   lr_datapaths r
JOIN   (SELECT _uuid AS datapath, unnest(nat) AS nat FROM Logical_Router) l
       ON l.datapath = r.datapath
JOIN   NAT n ON n._uuid = l.nat
JOIN   nat_parsed p ON p.nat = n._uuid
LEFT JOIN Address_Set allowed ON allowed._uuid = n.allowed_ext_ips
LEFT JOIN Address_Set exempted ON exempted._uuid = n.exempted_ext_ips;

-- The NATs northd builds NAT flows for (build_lrouter_nat_defrag_and_lb,
-- after lrouter_check_nat_entry): on gateway routers (where a NAT naming a
-- gateway_port is rejected) and on routers with distributed gateway ports,
-- with the DGP it applies to (`l3dgw_port`): its gateway_port if that is
-- one of the router's DGPs, the only DGP, or the first whose networks hold
-- external_ip (else the NAT is rejected). `distributed`: a dnat_and_snat
-- with logical_port and external_mac on a DGP (an external_mac that is no
-- MAC rejects it); `resident`: where its flows run, that logical port's
-- chassis or the DGP's gateway chassis.
CREATE OR REPLACE TEMP TABLE nat_flow_entries AS
WITH dgp_nat AS (
    SELECT e.nat, g.lrp, f.json_key, g.resident,
           row_number() OVER (PARTITION BY e.nat ORDER BY g.nth) AS pick
    FROM   nat_entries e
    JOIN   lr_dgps g ON g.datapath = e.datapath
    JOIN   lrp_facts f ON f.lrp = g.lrp
    WHERE  e.flows_ok
      AND  CASE WHEN e.gateway_port IS NOT NULL THEN g.lrp = e.gateway_port
                WHEN g.n_dgps = 1 THEN true
                ELSE EXISTS (SELECT 1 FROM lrp_networks n
                             WHERE n.lrp = g.lrp AND n.family = e.family
                               AND in_network(e.ext_bits, n.bits, n.plen)) END
),
dist AS (
    SELECT e.*, d.lrp AS l3dgw_port, d.json_key AS dgp_json_key,
           e.type = 'dnat_and_snat' AND e.logical_port IS NOT NULL
           AND e.external_mac IS NOT NULL AS distributed,
           d.resident AS dgp_resident
    FROM   nat_entries e
    JOIN   dgp_nat d ON d.nat = e.nat AND d.pick = 1
)
SELECT e.*, CAST(NULL AS VARCHAR) AS l3dgw_port, CAST(NULL AS VARCHAR) AS dgp_json_key,
       false AS distributed, CAST(NULL AS VARCHAR) AS dgp_resident,
       CAST(NULL AS VARCHAR) AS resident
FROM   nat_entries e
WHERE  e.flows_ok AND e.is_gateway_router AND e.gateway_port IS NULL
UNION ALL
SELECT *, CASE WHEN distributed THEN 'is_chassis_resident("' || logical_port || '")'
               ELSE dgp_resident END AS resident
FROM   dist
WHERE  NOT distributed OR mac IS NOT NULL;

-- get_force_snat_ip(): a router's force-SNAT addresses per kind ('dnat',
-- 'lb'). lb_force_snat_ip=router_ip on a gateway router names no address
-- (the router port IPs serve, lr_nat_facts.lb_force_snat_router_ip).
CREATE OR REPLACE TEMP TABLE lr_force_snat_ips AS
SELECT r.datapath, k.kind, f.family, f.addr,
       CASE WHEN f.family = 'ipv4' THEN '4' ELSE '6' END AS ip_version
FROM   lr_datapaths r,
       LATERAL (VALUES ('dnat', opt(r.options, 'dnat_force_snat_ip')),
                       ('lb',   opt(r.options, 'lb_force_snat_ip'))) k(kind, text)
JOIN   force_snat_ip_parsed f ON f.text = k.text
WHERE  NOT (k.kind = 'lb' AND r.is_gateway_router AND k.text = 'router_ip');

-- Per-router NAT facts.
CREATE OR REPLACE TEMP TABLE lr_nat_facts AS
SELECT r.datapath,
       r.is_gateway_router AND coalesce(opt(r.options, 'lb_force_snat_ip') = 'router_ip', false)
                                                   AS lb_force_snat_router_ip,
       EXISTS (SELECT 1 FROM lr_force_snat_ips f
               WHERE f.datapath = r.datapath AND f.kind = 'dnat') AS dnat_force_snat
FROM   lr_datapaths r;

-- od->snat_ips: the router's SNAT external IPs (type snat) and force-SNAT
-- addresses, normalised; router port IPs among them are dropped late
-- (lr_in_arp_resolve), after unSNAT had its chance.
CREATE OR REPLACE TEMP TABLE lr_snat_ips AS
SELECT datapath, family, ext_addr AS addr FROM nat_entries WHERE type = 'snat'
UNION
SELECT datapath, family, addr FROM lr_force_snat_ips;

