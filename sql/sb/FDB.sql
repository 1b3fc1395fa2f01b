-- The SB FDB rows (MACs ovn-controller learnt) northd keeps:
-- cleanup_stale_fdb_entries() in northd.c; ovn-sb(5) "FDB". northd only
-- deletes FDB rows (sbtables: prune): those whose dp_key is no datapath's
-- tunnel key, or whose port_key is no port's tunnel key on that datapath.

SELECT f._uuid
FROM   sb_FDB f
JOIN   dp_tunnel_keys d ON d.tunnel_key = f.dp_key
JOIN   port_tunnel_keys p ON p.datapath = d.datapath AND p.tunnel_key = f.port_key
