-- lr_in_dnat p100 on gateway routers: DNAT to logical_ip (dnat,
-- dnat_and_snat), ct_dnat with the external_port_range, or a stateless
-- rewrite; a router with dnat_force_snat_ip marks the packet for force
-- SNAT. allowed_ext_ips narrows the match to those sources; exempted_ext_ips
-- adds a p102 flow letting them pass un-NATed. On routers with distributed
-- gateway ports: p100 for traffic entering the NAT's gateway port (on its
-- gateway chassis unless the NAT is distributed), ct_dnat_in_czone.
-- northd: build_lrouter_in_dnat_flow, lrouter_nat_add_ext_ip_match;
--   ovn-northd(8): "Ingress Table 7: DNAT".
-- Owner: the logical router.
-- Per owner: nat_flow_entries(datapath)
WITH d AS (
    SELECT e.*, 'ip && ' || e.ip_match || '.dst == ' || e.external_ip AS base,
           f.dnat_force_snat
    FROM   nat_flow_entries e
    JOIN   lr_nat_facts f ON f.datapath = e.datapath
    WHERE  e.type IN ('dnat', 'dnat_and_snat') AND e.is_gateway_router
),
dgp AS (
    SELECT *, 'ip && ' || ip_match || '.dst == ' || external_ip || ' && inport == '
              || dgp_json_key || CASE WHEN distributed THEN '' ELSE ' && ' || dgp_resident END
              AS dgp_base
    FROM   nat_flow_entries
    WHERE  type IN ('dnat', 'dnat_and_snat') AND l3dgw_port IS NOT NULL
)
SELECT datapath, 'lr_in_dnat' AS stage, 100 AS priority,
       base || coalesce(' && ' || ip_match || '.src == $' || allowed_ext_ips, '') AS match,
       CASE WHEN dnat_force_snat THEN 'flags.force_snat_for_dnat = 1; ' ELSE '' END
       || CASE WHEN stateless
               THEN 'flags.loopback = 1; ' || ip_match || '.dst=' || logical_ip || '; next;'
               ELSE 'flags.loopback = 1; ct_dnat(' || nat_ct_args(logical_ip, external_port_range)
                    || ');' END AS actions,
       hint(nat) AS stage_hint
FROM   d
UNION ALL
SELECT datapath, 'lr_in_dnat', 102,
       base || ' && ' || ip_match || '.src == $' || exempted_ext_ips, 'next;', hint(nat)
FROM   d
WHERE  exempted_ext_ips IS NOT NULL
UNION ALL
SELECT datapath, 'lr_in_dnat', 100,
       dgp_base || coalesce(' && ' || ip_match || '.src == $' || allowed_ext_ips, ''),
       CASE WHEN type = 'dnat_and_snat' AND stateless
            THEN ip_match || '.dst=' || logical_ip || '; next;'
            ELSE 'ct_dnat_in_czone(' || nat_ct_args(logical_ip, external_port_range) || ');'
       END,
       hint(nat)
FROM   dgp
UNION ALL
SELECT datapath, 'lr_in_dnat', 102,
       dgp_base || ' && ' || ip_match || '.src == $' || exempted_ext_ips, 'next;', hint(nat)
FROM   dgp
WHERE  exempted_ext_ips IS NOT NULL
