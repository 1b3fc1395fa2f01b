-- lr_out_snat on gateway routers: SNAT from logical_ip (snat,
-- dnat_and_snat) to external_ip at priority mask length + 1 (longest
-- prefix first), for new and original-direction traffic; stateless
-- dnat_and_snat rewrites the source. allowed_ext_ips narrows the match to
-- those destinations; exempted_ext_ips adds a flow two priorities higher
-- letting them pass un-NATed. On routers with distributed gateway ports:
-- traffic leaving the NAT's gateway port at priority mask length + 129,
-- where the NAT runs (resident), ct_snat_in_czone (a distributed NAT also
-- sets its external MAC), and one higher for traffic DNATed to a local IP
-- (reg9[4]) with ct_snat; exempted_ext_ips pass un-NATed two above.
-- northd: build_lrouter_out_snat_flow, lrouter_nat_add_ext_ip_match;
--   ovn-northd(8): "Egress Table 3: SNAT".
-- Owner: the logical router.
-- Per owner: nat_flow_entries(datapath)
WITH s AS (
    SELECT e.*, 'ip && ' || e.ip_match || '.src == ' || e.logical_ip AS base
    FROM   nat_flow_entries e
    WHERE  e.type IN ('snat', 'dnat_and_snat') AND e.is_gateway_router
),
dgp AS (
    SELECT *, 'ip && ' || ip_match || '.src == ' || logical_ip || ' && outport == '
              || dgp_json_key || ' && ' || resident AS dgp_base
    FROM   nat_flow_entries
    WHERE  type IN ('snat', 'dnat_and_snat') AND l3dgw_port IS NOT NULL
)
SELECT datapath, 'lr_out_snat' AS stage, cidr_bits + 1 AS priority,
       base || coalesce(' && ' || ip_match || '.dst == $' || allowed_ext_ips, '')
       || CASE WHEN stateless THEN '' ELSE ' && (!ct.trk || !ct.rpl)' END AS match,
       CASE WHEN stateless THEN ip_match || '.src=' || external_ip || '; next;'
            ELSE 'ct_snat(' || nat_ct_args(external_ip, external_port_range) || ');'
       END AS actions,
       hint(nat) AS stage_hint
FROM   s
UNION ALL
SELECT datapath, 'lr_out_snat', cidr_bits + 3,
       base || ' && ' || ip_match || '.dst == $' || exempted_ext_ips, 'next;', hint(nat)
FROM   s
WHERE  exempted_ext_ips IS NOT NULL
UNION ALL
SELECT e.datapath, 'lr_out_snat', e.cidr_bits + 129 + v.local,
       e.dgp_base || coalesce(' && ' || e.ip_match || '.dst == $' || e.allowed_ext_ips, '')
       || CASE WHEN v.local = 1 THEN ' && reg9[4] == 1' ELSE '' END,
       CASE WHEN e.distributed THEN 'eth.src = ' || e.mac || '; ' ELSE '' END
       || CASE WHEN v.local = 1
               THEN 'reg9[4] = 0; ct_snat(' || nat_ct_args(e.external_ip, e.external_port_range)
                    || ');'
               WHEN e.stateless THEN e.ip_match || '.src=' || e.external_ip || '; next;'
               ELSE 'ct_snat_in_czone(' || nat_ct_args(e.external_ip, e.external_port_range)
                    || ');' END,
       hint(e.nat)
FROM   dgp e, (VALUES (0), (1)) v(local)
WHERE  NOT (e.stateless AND v.local = 1)
UNION ALL
SELECT datapath, 'lr_out_snat', cidr_bits + 131,
       dgp_base || ' && ' || ip_match || '.dst == $' || exempted_ext_ips, 'next;', hint(nat)
FROM   dgp
WHERE  exempted_ext_ips IS NOT NULL
