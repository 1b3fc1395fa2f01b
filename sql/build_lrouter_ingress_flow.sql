-- Per NAT on routers with distributed gateway ports: traffic entering the
-- gateway port from an SNAT external IP goes on (lr_in_ip_input p120); a
-- distributed NAT's external MAC is admitted on its gateway port on the
-- chassis of its logical port (lr_in_admission p50; gateway_mtu on the
-- port is not covered yet: support.py).
-- northd: build_lrouter_ingress_flow; ovn-northd(8): "Ingress Table 0: L2
--   Admission Control", "Ingress Table 3: IP Input".
-- Owner: the logical router.
SELECT datapath, 'lr_in_ip_input' AS stage, 120 AS priority,
       'inport == ' || dgp_json_key || ' && ' || ip_match || '.src == ' || external_ip AS match,
       'next;' AS actions, hint(nat) AS stage_hint
FROM   nat_flow_entries
WHERE  type = 'snat' AND l3dgw_port IS NOT NULL
UNION ALL
SELECT e.datapath, 'lr_in_admission', 50,
       'eth.dst == ' || e.mac || ' && inport == ' || e.dgp_json_key || ' && ' || e.resident,
       'xreg0[0..47] = ' || f.mac || '; next;', hint(e.nat)
FROM   nat_flow_entries e
JOIN   lrp_facts f ON f.lrp = e.l3dgw_port
WHERE  e.distributed
