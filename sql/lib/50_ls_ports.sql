-- Logical switch ports as northd's ovn_port sees them (join_logical_ports):
-- the switch they sit on, their JSON-quoted name, and the facts rules test.

-- port_security entries with a MAC (op->n_ps_addrs).
CREATE OR REPLACE TEMP TABLE lsp_ps_count AS
SELECT p._uuid AS lsp, count(DISTINCT ps.address) AS n_ps_addrs
FROM   (SELECT _uuid, unnest(port_security) AS address FROM Logical_Switch_Port) p
JOIN   parsed_address ps ON ps.address = p.address
GROUP  BY p._uuid;

CREATE OR REPLACE TEMP TABLE ls_ports AS
SELECT p._uuid                                      AS lsp,
       s.datapath,
       p.name,
       json_str(p.name)                             AS json_key,
       p.type,
       coalesce(p.enabled, true)                    AS enabled,
       coalesce(p.up, false)                        AS up,
       list_contains(p.addresses, 'unknown')        AS has_unknown,
       coalesce(c.n_ps_addrs, 0)                    AS n_ps_addrs,
       p.addresses,
       p.dynamic_addresses,
       p.options,
       rp.lrp                                       AS peer_lrp,
       coalesce(rp.peer_enabled, false)             AS peer_enabled
FROM   Logical_Switch_Port p
JOIN   lsp_switch s ON s.lsp = p._uuid
LEFT JOIN lsp_ps_count c ON c.lsp = p._uuid
LEFT JOIN ls_router_peers rp ON rp.lsp = p._uuid;

-- op->lsp_addrs: the parsed `MAC [IP...]` entries of each port's addresses
-- ("unknown" and dynamic entries excluded), one row per IP, or one row with a
-- null family for a MAC-only entry; a "router" entry of a router-type port
-- stands for its peer's MAC and networks (with the link-local address).
CREATE OR REPLACE TEMP TABLE lsp_addrs AS
SELECT p.lsp, p.datapath, p.name, p.json_key, p.type, a.address,
       a.mac, a.family, a.ip_index, a.addr, a.plen, a.network, a.bcast, a.sn_addr,
       a.bits
FROM   (SELECT *, unnest(addresses) AS address FROM ls_ports) p
JOIN   parsed_address a ON a.address = p.address
WHERE  p.address NOT IN ('unknown', 'router')
  AND  NOT is_dynamic_address(p.address);

INSERT INTO lsp_addrs
SELECT p.lsp, p.datapath, p.name, p.json_key, p.type, 'router' AS address,
       n.mac, n.family, n.ip_index, n.addr, n.plen, n.network, n.bcast, n.sn_addr,
       n.bits
FROM   ls_ports p
JOIN   lrp_networks n ON n.lrp = p.peer_lrp
WHERE  list_contains(p.addresses, 'router');

-- The dynamic_addresses northd keeps (build_ipam): on a switch with IPAM on,
-- for a port without a peer that asks for a dynamic address. The NB value is
-- the one relnorthd/ipam.py allocated when northd had not (README, "IPAM").
INSERT INTO lsp_addrs
SELECT p.lsp, p.datapath, p.name, p.json_key, p.type, p.dynamic_addresses AS address,
       a.mac, a.family, a.ip_index, a.addr, a.plen, a.network, a.bcast, a.sn_addr,
       a.bits
FROM   ls_ports p
JOIN   parsed_address a ON a.address = p.dynamic_addresses
WHERE  p.peer_lrp IS NULL
  AND  any_dynamic_address(p.addresses)
  AND  p.datapath IN (SELECT datapath FROM ipam_switches);

-- The MAC of each dynamic address entry of a port (lsp_addrs has none):
-- "dynamic" and "dynamic IP" take dynamic_addresses' MAC, "MAC dynamic"
-- names its own.
CREATE OR REPLACE TEMP VIEW lsp_dynamic_macs AS
SELECT DISTINCT p.lsp, p.address, a.mac
FROM   (SELECT lsp, dynamic_addresses, unnest(addresses) AS address FROM ls_ports) p
JOIN   parsed_address a
  ON   a.address = CASE WHEN p.address = 'dynamic' OR starts_with(p.address, 'dynamic ')
                        THEN p.dynamic_addresses ELSE p.address END
WHERE  is_dynamic_address(p.address);

-- Narrow views of the above for rules that look up ports other than the
-- one a flow is for: they change only when such ports do, so adding an
-- ordinary port leaves them (and the rules reading them) as they were.

-- od->localnet_ports.
CREATE OR REPLACE TEMP VIEW ls_localnet_ports AS
SELECT lsp, datapath, name, json_key FROM ls_ports WHERE type = 'localnet';

-- The lsp_addrs of the switch ports in od->router_ports.
CREATE OR REPLACE TEMP VIEW router_lsp_addrs AS
SELECT a.* FROM lsp_addrs a JOIN ls_router_peers r ON r.lsp = a.lsp;

-- The names of virtual ports.
CREATE OR REPLACE TEMP VIEW ls_virtual_names AS
SELECT name FROM ls_ports WHERE type = 'virtual';

-- Each virtual port's options:virtual-parents that are ports of its switch.
CREATE OR REPLACE TEMP VIEW lsp_virtual_parents AS
WITH parents AS (
    SELECT v.lsp, v.datapath, v.json_key, opt(v.options, 'virtual-ip') AS vip,
           unnest(string_split(opt(v.options, 'virtual-parents'), ',')) AS parent
    FROM   ls_ports v
    WHERE  v.type = 'virtual' AND opt(v.options, 'virtual-parents') IS NOT NULL
)
SELECT v.*, p.lsp AS parent_lsp
FROM   parents v
JOIN   ls_ports p ON p.name = v.parent AND p.datapath = v.datapath
WHERE  v.parent <> '';

-- The lsp_addrs of the ports SB names as a virtual port's virtual_parent.
CREATE OR REPLACE TEMP VIEW virtual_parent_addrs AS
SELECT a.* FROM lsp_addrs a
WHERE  a.name IN (SELECT virtual_parent FROM sb_Port_Binding);
