-- lr_in_ip_input p90: any router answers ARP / neighbor solicitations for
-- the external IPs of its NATs (once per address, however many NATs share
-- it) with the MAC of the port the request came in on. CoPP meter: nd-na.
-- northd: build_lrouter_arp_nd_for_datapath, build_lrouter_nat_arp_nd_flow;
--   ovn-northd(8): "Ingress Table 3: IP Input".
-- Owner: the logical router.
-- Per owner: nat_entries(datapath)
SELECT DISTINCT datapath, 'lr_in_ip_input' AS stage, 90 AS priority,
       CASE WHEN family = 'ipv4' THEN 'arp.op == 1 && arp.tpa == ' || ext_addr
            ELSE 'ip6.dst == {' || ext_addr || ', ' || ext_sn_addr
                 || '} && nd_ns && nd.target == ' || ext_addr END AS match,
       CASE WHEN family = 'ipv4' THEN lr_arp_reply_action('xreg0[0..47]')
            ELSE lr_nd_reply_action('nd_na', 'xreg0[0..47]') END AS actions,
       CASE WHEN family = 'ipv6' THEN copp_meter(datapath, 'nd-na') END AS ctrl_meter
FROM   nat_entries
