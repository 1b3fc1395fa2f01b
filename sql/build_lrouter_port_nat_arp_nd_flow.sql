-- lr_in_ip_input on a distributed gateway port, for the external IPs of the
-- router's NATs that apply to it (one flow per SNAT IP, the first snat NAT
-- with it; every other NAT): ARP / neighbor solicitations are answered
-- where the NAT runs (p92: with its external MAC on the chassis of its
-- logical port when it has both, else with the port's MAC on the gateway
-- chassis) and dropped elsewhere (p91). CoPP meter: nd-na.
-- northd: build_lrouter_port_nat_arp_nd_flow, is_nat_gateway_port;
--   ovn-northd(8): "Ingress Table 3: IP Input".
-- Owner: the logical router port.
WITH nats AS (
    SELECT * FROM (SELECT e.*, row_number() OVER (PARTITION BY e.datapath, e.type = 'snat',
                                                  CASE WHEN e.type = 'snat' THEN e.ext_addr
                                                       ELSE e.nat END
                                                  ORDER BY e.nat) AS nth
                   FROM nat_entries e)
    WHERE nth = 1
),
port_nats AS (            -- is_nat_gateway_port()
    SELECT n.*, g.lrp, f.json_key, g.resident AS dgp_resident,
           CASE WHEN n.mac IS NOT NULL AND n.logical_port IS NOT NULL
                THEN 'is_chassis_resident("' || n.logical_port || '")'
                ELSE g.resident END AS resident,
           CASE WHEN n.mac IS NOT NULL AND n.logical_port IS NOT NULL
                THEN n.external_mac ELSE 'xreg0[0..47]' END AS eth
    FROM   nats n
    JOIN   lr_dgps g ON g.datapath = n.datapath
    JOIN   lrp_facts f ON f.lrp = g.lrp
    WHERE  g.n_dgps = 1
       OR  (n.gateway_port IS NULL
            AND EXISTS (SELECT 1 FROM lrp_networks w
                        WHERE w.lrp = g.lrp AND w.family = n.family
                          AND in_network(n.ext_bits, w.bits, w.plen)))
       OR  n.gateway_port = g.lrp
)
SELECT datapath, 'lr_in_ip_input' AS stage, v.priority,
       'inport == ' || json_key || ' && '
       || CASE WHEN family = 'ipv4' THEN 'arp.op == 1 && arp.tpa == ' || ext_addr
               ELSE 'ip6.dst == {' || ext_addr || ', ' || ext_sn_addr
                    || '} && nd_ns && nd.target == ' || ext_addr END
       || CASE WHEN v.priority = 92 THEN ' && ' || resident ELSE '' END AS match,
       CASE WHEN v.priority = 91 THEN drop_action()
            WHEN family = 'ipv4' THEN lr_arp_reply_action(eth)
            ELSE lr_nd_reply_action('nd_na', eth) END AS actions,
       CASE WHEN v.priority = 92 AND family = 'ipv6' THEN copp_meter(datapath, 'nd-na') END
           AS ctrl_meter,
       hint(nat) AS stage_hint, 'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   port_nats, (VALUES (92), (91)) v(priority)
