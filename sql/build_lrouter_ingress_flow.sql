-- Per NAT on routers with distributed gateway ports: traffic entering the
-- gateway port from an SNAT external IP goes on (lr_in_ip_input p120); a
-- distributed NAT's external MAC is admitted on its gateway port on the
-- chassis of its logical port (lr_in_admission p50, as the port's own MAC,
-- with the port's gateway_mtu check and p55 gateway_mtu_bypass); with
-- gateway_mtu, too-large packets to its external IP get an ICMP "too big"
-- from it (lr_in_ip_input p160; CoPP meters icmp4-error / icmp6-error).
-- northd: build_lrouter_ingress_flow, build_gateway_mtu_flow,
--   build_lrouter_ingress_nat_check_pkt_len; ovn-northd(8): "Ingress Table
--   0: L2 Admission Control", "Ingress Table 3: IP Input".
-- Owner: the logical router.
-- Per owner: nat_flow_entries(datapath)
WITH dist AS (
    SELECT e.*, f.mac AS port_mac, f.l2_hdr_size,
           opt_int(f.options, 'gateway_mtu', 0) AS gw_mtu,
           opt(f.options, 'gateway_mtu_bypass') AS bypass,
           'eth.dst == ' || e.mac || ' && inport == ' || e.dgp_json_key || ' && ' || e.resident
               AS adm_match
    FROM   nat_flow_entries e
    JOIN   lrp_facts f ON f.lrp = e.l3dgw_port
    WHERE  e.distributed
)
SELECT datapath, 'lr_in_ip_input' AS stage, 120 AS priority,
       'inport == ' || dgp_json_key || ' && ' || ip_match || '.src == ' || external_ip AS match,
       'next;' AS actions, NULL AS ctrl_meter, hint(nat) AS stage_hint
FROM   nat_flow_entries
WHERE  type = 'snat' AND l3dgw_port IS NOT NULL
UNION ALL
SELECT datapath, 'lr_in_admission', 50, adm_match,
       CASE WHEN gw_mtu > 0
            THEN 'reg9[1] = check_pkt_larger(' || CAST(gw_mtu + l2_hdr_size AS VARCHAR) || '); '
            ELSE '' END || 'xreg0[0..47] = ' || port_mac || '; next;',
       NULL, hint(nat)
FROM   dist
UNION ALL
SELECT datapath, 'lr_in_admission', 55, adm_match || ' && (' || bypass || ')',
       'xreg0[0..47] = ' || port_mac || '; next;', NULL, hint(nat)
FROM   dist
WHERE  gw_mtu > 0 AND bypass IS NOT NULL
UNION ALL
SELECT datapath, 'lr_in_ip_input', 160,
       'inport == ' || dgp_json_key || ' && reg9[1] && reg9[0] == 0 && ' || ip_match || ' && '
       || ip_match || '.dst == ' || external_ip,
       CASE WHEN family = 'ipv4' THEN 'icmp4_error {' ELSE 'icmp6_error {' END
       || 'reg9[0] = 1; reg9[1] = 0; eth.dst = eth.src; eth.src = ' || external_mac || '; '
       || ip_match || '.dst = ' || ip_match || '.src; ' || ip_match || '.src = ' || external_ip
       || '; ip.ttl = 254; '
       || CASE WHEN family = 'ipv4'
               THEN 'icmp4.type = 3; /* Destination Unreachable. */ '
                    || 'icmp4.code = 4; /* Frag Needed and DF was Set. */ icmp4.frag_mtu = '
               ELSE 'icmp6.type = 2; /* Packet Too Big. */ icmp6.code = 0; icmp6.frag_mtu = '
          END || CAST(gw_mtu AS VARCHAR) || '; outport = ' || dgp_json_key
       || '; flags.loopback = 1; output; };',
       copp_meter(datapath, CASE WHEN family = 'ipv4' THEN 'icmp4-error' ELSE 'icmp6-error' END),
       hint(nat)
FROM   dist
WHERE  gw_mtu <> 0
