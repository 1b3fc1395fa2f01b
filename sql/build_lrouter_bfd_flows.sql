-- lr_in_ip_input p110 for a router port an NB BFD row names: BFD packets
-- (udp.dst 3784) from the port's addresses go on, those to them go to
-- ovn-controller (handle_bfd_msg, CoPP meter bfd); per address family.
-- northd: build_lrouter_bfd_flows; ovn-northd(8): "Ingress Table 3: IP Input".
-- Owner: the logical router port.
WITH bfd_ports AS (
    SELECT f.datapath, f.lrp, s.family, s.addrs,
           CASE WHEN s.family = 'ipv4' THEN 'ip4' ELSE 'ip6' END AS ip
    FROM   lrp_bfd b
    JOIN   lrp_facts f ON f.lrp = b.lrp
    JOIN   lrp_ip_sets s ON s.lrp = b.lrp
)
SELECT datapath, 'lr_in_ip_input' AS stage, 110 AS priority,
       ip || '.src == ' || addrs || ' && udp.dst == 3784' AS match, 'next; ' AS actions,
       NULL AS ctrl_meter, hint(lrp) AS stage_hint, 'Logical_Router_Port' AS owner_table,
       lrp AS owner
FROM   bfd_ports
UNION ALL
SELECT datapath, 'lr_in_ip_input', 110, ip || '.dst == ' || addrs || ' && udp.dst == 3784',
       'handle_bfd_msg(); ', copp_meter(datapath, 'bfd'), hint(lrp), 'Logical_Router_Port', lrp
FROM   bfd_ports
