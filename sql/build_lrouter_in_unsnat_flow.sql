-- lr_in_unsnat: replies to SNATed sessions (snat, dnat_and_snat) are
-- unSNATed; stateless dnat_and_snat just advances. Gateway routers: p90.
-- Routers with distributed gateway ports: p100 for traffic entering the
-- NAT's gateway port, in the SNAT zone of the chassis (ct_snat_in_czone;
-- looped-back traffic marked for the SNAT zone: ct_snat), on the gateway
-- chassis unless the NAT is distributed.
-- northd: build_lrouter_in_unsnat_flow; ovn-northd(8): "Ingress Table 4:
--   UNSNAT".
-- Owner: the logical router.
-- Per owner: nat_flow_entries(datapath)
SELECT datapath, 'lr_in_unsnat' AS stage, 90 AS priority,
       'ip && ' || ip_match || '.dst == ' || external_ip AS match,
       CASE WHEN stateless THEN 'next;' ELSE 'ct_snat;' END AS actions,
       hint(nat) AS stage_hint
FROM   nat_flow_entries
WHERE  type IN ('snat', 'dnat_and_snat') AND is_gateway_router
UNION ALL
SELECT e.datapath, 'lr_in_unsnat', 100,
       'ip && ' || e.ip_match || '.dst == ' || e.external_ip || ' && inport == '
       || e.dgp_json_key || ' && flags.loopback == ' || l.flags
       || CASE WHEN e.distributed THEN '' ELSE ' && ' || e.dgp_resident END,
       l.actions, hint(e.nat)
FROM   nat_flow_entries e,
       LATERAL (VALUES ('0', CASE WHEN e.stateless THEN 'next;' ELSE 'ct_snat_in_czone;' END),
                       ('1 && flags.use_snat_zone == 1', 'ct_snat;')) l(flags, actions)
WHERE  e.type IN ('snat', 'dnat_and_snat') AND e.l3dgw_port IS NOT NULL
  AND  NOT (e.stateless AND l.flags <> '0')
