-- lr_in_admission p50 per enabled router port: accept multicast and frames
-- to the port's MAC, remembering that MAC in xreg0[0..47]. With
-- options:gateway_mtu the actions first check the packet length
-- (reg9[1]), and options:gateway_mtu_bypass adds p55 flows that skip it.
-- Frames to a distributed gateway port's MAC are accepted only on its
-- gateway chassis (unless its peer switch has vtep ports).
-- northd: build_adm_ctrl_flows_for_lrouter_port, build_gateway_mtu_flow,
--   consider_l3dgw_port_is_centralized;
--   ovn-northd(8): "Ingress Table 0: L2 Admission Control".
-- Owner: the logical router port.
WITH p AS (
    SELECT f.*, opt_int(f.options, 'gateway_mtu', 0) AS gw_mtu,
           opt(f.options, 'gateway_mtu_bypass') AS bypass,
           'xreg0[0..47] = ' || f.mac || '; next;' AS store_mac
    FROM   lrp_facts f
    WHERE  f.enabled
),
m AS (
    SELECT p.*, x.match
    FROM   p, LATERAL (VALUES ('eth.mcast && inport == ' || p.json_key),
                              ('eth.dst == ' || p.mac || ' && inport == ' || p.json_key
                               || CASE WHEN NOT p.peer_has_vtep
                                       THEN coalesce(' && ' || p.dgp_resident, '') ELSE '' END)
                       ) x(match)
)
SELECT datapath, 'lr_in_admission' AS stage, 50 AS priority, match,
       CASE WHEN gw_mtu > 0
            THEN 'reg9[1] = check_pkt_larger(' || CAST(gw_mtu + l2_hdr_size AS VARCHAR) || '); '
            ELSE '' END || store_mac AS actions,
       hint(lrp) AS stage_hint, 'Logical_Router_Port' AS owner_table, lrp AS owner
FROM   m
UNION ALL
SELECT datapath, 'lr_in_admission', 55, match || ' && (' || bypass || ')', store_mac,
       hint(lrp), 'Logical_Router_Port', lrp
FROM   m
WHERE  gw_mtu > 0 AND bypass IS NOT NULL
