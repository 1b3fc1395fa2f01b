-- SB Static_MAC_Binding rows as northd writes them:
-- build_static_mac_binding_table() in northd.c; ovn-sb(5)
-- "Static_MAC_Binding" (no logical flows come from them). One row per NB
-- row, its columns verbatim; `datapath` is the router of its logical_port
-- when that names a router port or a chassis-redirect port northd has, else
-- null: sbsync.py inserts and updates only rows with a datapath, and keeps
-- an SB row as long as NB has its (logical_port, ip).
SELECT s.logical_port, s.ip, s.mac, s.override_dynamic_mac, p.datapath
FROM   Static_MAC_Binding s
LEFT JOIN (SELECT name, min(datapath) AS datapath FROM northd_ports
           WHERE kind <> 'lsp' GROUP BY name) p ON p.name = s.logical_port
