-- ls_in_dns_lookup / ls_in_dns_response, per switch with DNS records: ask
-- the controller to look the name up (CoPP "dns" meter), and send the answer
-- back out the in port (one response flow per IP family, same match).
-- northd: build_lswitch_dns_lookup_and_response
-- ovn-northd(8): "Ingress Table 22 DNS Lookup", "Ingress Table 23 DNS Responses"
-- Owner: the logical switch.
SELECT c.datapath, f.stage, 100 AS priority, f.match, f.actions,
       CASE WHEN f.stage = 'ls_in_dns_lookup' THEN copp_meter(c.datapath, 'dns') END AS ctrl_meter
FROM   ls_conditions c
JOIN   (SELECT 'ls_in_dns_lookup' AS stage, 'udp.dst == 53' AS match,
               'reg0[4] = dns_lookup(); next;' AS actions
        UNION ALL
        SELECT 'ls_in_dns_response', 'udp.dst == 53 && reg0[4]',
               'eth.dst <-> eth.src; ' || ip || '.src <-> ' || ip || '.dst; '
               || 'udp.dst = udp.src; udp.src = 53; outport = inport; '
               || 'flags.loopback = 1; output;'
        FROM (VALUES ('ip4'), ('ip6')) AS v(ip)) AS f ON c.cond = 'dns_records'
