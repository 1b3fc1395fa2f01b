-- Native DHCP as build_lswitch_dhcp_options_and_response sees it: which
-- DHCP_Options row serves which port address, and the strings its flows
-- print. Option values are printed as written in NB (northd does not check
-- them against the option catalogue; ovn-controller does).
-- northd: build_lswitch_dhcp_options_and_response, build_dhcpv4_action,
--   build_dhcpv6_action; ovn-northd(8): "Ingress Table 20: DHCP option
--   processing", "Ingress Table 21: DHCP responses".

-- The DHCP_Options row each enabled, non-router port names, per family,
-- when the row has what the family needs: server_id, server_mac and
-- lease_time (v4), a server_id that is a MAC (v6). server_ip is the reply's
-- source: the v4 server_id as written, the v6 server's link-local address.
CREATE OR REPLACE TEMP TABLE lsp_dhcp AS
WITH named AS (
    SELECT p._uuid AS lsp, 'ipv4' AS family, p.dhcpv4_options AS dhcp FROM Logical_Switch_Port p
    UNION ALL
    SELECT p._uuid, 'ipv6', p.dhcpv6_options FROM Logical_Switch_Port p
)
SELECT p.lsp, p.datapath, p.json_key, p.type, n.family, d._uuid AS dhcp, d.options,
       c.pattern, c.netmask,
       CASE n.family WHEN 'ipv4' THEN opt(d.options, 'server_mac')
                     ELSE opt(d.options, 'server_id') END AS server_mac,
       CASE n.family WHEN 'ipv4' THEN opt(d.options, 'server_id') ELSE v6.lla END AS server_ip,
       opt(p.options, 'hostname') AS lsp_hostname
FROM   named n
JOIN   ls_ports p ON p.lsp = n.lsp
JOIN   DHCP_Options d ON d._uuid = n.dhcp
JOIN   dhcp_cidr c ON c.cidr = d.cidr AND c.family = n.family
LEFT JOIN dhcpv6_server v6 ON v6.server_id = opt(d.options, 'server_id') AND n.family = 'ipv6'
WHERE  p.enabled AND p.type <> 'router'
  AND  CASE n.family
       WHEN 'ipv4' THEN opt(d.options, 'server_id') IS NOT NULL
                        AND opt(d.options, 'server_mac') IS NOT NULL
                        AND opt(d.options, 'lease_time') IS NOT NULL
       ELSE v6.lla IS NOT NULL END;

-- The offer: per address entry of the port (op->lsp_addrs), its first IP of
-- the family inside the options' cidr, printed as ipv6_string_mapped() does
-- (a v4-mapped IPv6 address as a dotted quad).
CREATE OR REPLACE TEMP TABLE lsp_dhcp_offers AS
SELECT *
FROM  (SELECT d.*, a.address, a.mac,
              CASE WHEN a.addr LIKE '::ffff:%.%' AND a.addr <> '::ffff:0.0.0.0'
                   THEN substr(a.addr, 8) ELSE a.addr END AS offer,
              row_number() OVER (PARTITION BY d.lsp, d.family, a.address
                                 ORDER BY a.ip_index) AS nth
       FROM   lsp_dhcp d
       JOIN   lsp_addrs a ON a.lsp = d.lsp AND a.family = d.family AND a.bits LIKE d.pattern) o
WHERE  nth = 1;

-- Where a port's DHCP requests arrive: the port itself, or for an external
-- port in an HA chassis group each localnet port of its switch, on the
-- chassis the external port is resident on.
CREATE OR REPLACE TEMP TABLE lsp_dhcp_inports AS
SELECT p.lsp, p.json_key AS in_key, p.name AS in_name, '' AS resident
FROM   ls_ports p
WHERE  p.type <> 'external'
UNION ALL
SELECT p.lsp, l.json_key, l.name, ' && is_chassis_resident(' || p.json_key || ')'
FROM   ls_ports p
JOIN   Logical_Switch_Port n ON n._uuid = p.lsp
JOIN   ls_ports l ON l.datapath = p.datapath AND l.type = 'localnet'
WHERE  p.type = 'external' AND n.ha_chassis_group IS NOT NULL;

-- put_dhcp_opts / put_dhcpv6_opts arguments after offerip / ia_addr, sorted by
-- key: v4 without server_mac, with the cidr's netmask, and the port's
-- options:hostname in place of the row's; v6 without dhcpv6_stateless.
-- northd adds the netmask to a copy of the row's options even when the row
-- has one: both print, the added one first unless adding the port's hostname
-- afterwards rehashed the copy (which reverses nodes of equal key).
CREATE OR REPLACE TEMP TABLE lsp_dhcp_opts AS
WITH nb_entries AS (
    SELECT lsp, family, netmask, lsp_hostname, e.key, e.value,
           opt(options, 'hostname') IS NULL AS adds_hostname,
           count(*) OVER (PARTITION BY lsp, family) AS n_options
    FROM   (SELECT *, unnest(map_entries(options)) AS e FROM lsp_dhcp) d
),
entries AS (
    SELECT lsp, family, key, value, 1 AS tie
    FROM   nb_entries
    WHERE  CASE family
           WHEN 'ipv4' THEN key <> 'server_mac'
                            AND NOT (key = 'hostname' AND lsp_hostname IS NOT NULL)
           ELSE key <> 'dhcpv6_stateless' END
    UNION ALL
    SELECT DISTINCT lsp, family, 'netmask', netmask,
           CASE WHEN lsp_hostname IS NOT NULL AND adds_hostname
                     AND hmap_grows_at(n_options + 1) THEN 2 ELSE 0 END
    FROM   nb_entries WHERE family = 'ipv4'
    UNION ALL
    SELECT DISTINCT lsp, family, 'hostname', lsp_hostname, 1
    FROM   nb_entries WHERE family = 'ipv4' AND lsp_hostname IS NOT NULL
)
SELECT lsp, family, ordered_join(key || ' = ' || value, ', ', nth) AS opts
FROM  (SELECT *, row_number() OVER (PARTITION BY lsp, family ORDER BY key, tie) AS nth
       FROM entries) e
GROUP  BY lsp, family;

-- The switch port rows each switch lists (name duplicates too) that name
-- DHCP options, external ones aside: build_acls lets their server's
-- replies through. Enabled or not, with a valid cidr or not.
CREATE OR REPLACE TEMP TABLE lsp_dhcp_named AS
SELECT c.datapath, c.port AS lsp, p.name, p.dhcpv4_options, p.dhcpv6_options
FROM   nb_port_claims c
JOIN   Logical_Switch_Port p ON p._uuid = c.port
WHERE  c.port_table = 'Logical_Switch_Port' AND p.type <> 'external'
  AND  (p.dhcpv4_options IS NOT NULL OR p.dhcpv6_options IS NOT NULL);
