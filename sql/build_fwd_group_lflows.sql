-- Forwarding groups: answer ARP for the group's VIP with its VMAC, and send
-- frames for the VMAC to fwd_group() over the child ports.
-- northd: build_fwd_group_lflows; ovn-northd(8): "Ingress Table 19: ARP/ND
--   responder", "Ingress Table 25: Destination Lookup".
-- Owner: the forwarding group. Only switches with one group: northd's loop
-- reuses its index for the child ports, so a second group's flows depend on
-- the first group's child count (reported as unsupported; README).
WITH fg AS (
    SELECT ls._uuid AS datapath, g._uuid, g.vip, g.vmac, g.liveness, g.child_port
    FROM   (SELECT _uuid, forwarding_groups[1] AS fg FROM Logical_Switch
            WHERE array_length(forwarding_groups) = 1) ls
    JOIN   Forwarding_Group g ON g._uuid = ls.fg
)
SELECT datapath, 'ls_in_arp_rsp' AS stage, 50 AS priority,
       'arp.tpa == ' || vip || ' && arp.op == 1' AS match,
       'eth.dst = eth.src; eth.src = ' || vmac || '; arp.op = 2; /* ARP reply */ '
       || 'arp.tha = arp.sha; arp.sha = ' || vmac || '; arp.tpa = arp.spa; arp.spa = ' || vip
       || '; outport = inport; flags.loopback = 1; output;' AS actions,
       hint(_uuid) AS stage_hint, 'Forwarding_Group' AS owner_table, _uuid AS owner
FROM   fg
UNION ALL
SELECT datapath, 'ls_in_l2_lkup', 50, 'eth.dst == ' || vmac,
       'fwd_group(' || CASE WHEN liveness THEN 'liveness="true",' ELSE '' END
       || 'childports="' || array_to_string(child_port, '","') || '");',
       hint(_uuid), 'Forwarding_Group', _uuid
FROM   fg
