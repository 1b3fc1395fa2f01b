-- SB IP_Multicast rows as northd writes them: build_ip_mcast(),
-- init_mcast_info_for_switch_datapath() and
-- store_mcast_info_for_switch_datapath() in northd.c; ovn-sb(5)
-- "IP_Multicast". One row per switch, by datapath, from its other_config
-- mcast_* options with northd's defaults and bounds (idle_timeout 15-3600 s,
-- default 300; query_interval 1-3600 s, default half the idle timeout).
-- The query sources (eth_src, ip4_src, ip6_src) are written only when set:
-- an SB row keeps one whose option went. seq_no belongs to ovn-sbctl
-- (ip-multicast-flush).

WITH o AS (
    SELECT _uuid AS datapath, other_config AS oc,
           -- a uint32_t: the value modulo 2^32 (a negative one wraps high)
           least(greatest(coalesce(opt_ullong(other_config, 'mcast_idle_timeout', 300)
                                   % 4294967296, 4294967295), 15), 3600) AS idle_timeout
    FROM   Logical_Switch
),
sb AS (
    SELECT sb_datapath_of(d.external_ids) AS datapath, m.eth_src, m.ip4_src, m.ip6_src
    FROM   sb_IP_Multicast m JOIN sb_Datapath_Binding d ON d._uuid = m.datapath
)
SELECT o.datapath,
       opt_bool(oc, 'mcast_snoop', false)                       AS enabled,
       opt_bool(oc, 'mcast_querier', true)                      AS querier,
       coalesce(opt(oc, 'mcast_eth_src'), sb.eth_src, '')       AS eth_src,
       coalesce(opt(oc, 'mcast_ip4_src'), sb.ip4_src, '')       AS ip4_src,
       coalesce(opt(oc, 'mcast_ip6_src'), sb.ip6_src, '')       AS ip6_src,
       opt_ullong_int64(oc, 'mcast_table_size', 2048)           AS table_size,
       idle_timeout,
       least(greatest(coalesce(opt_ullong(oc, 'mcast_query_interval', idle_timeout // 2)
                               % 4294967296, 4294967295), 1), 3600) AS query_interval,
       opt_ullong_int64(oc, 'mcast_query_max_response', 1)      AS query_max_resp
FROM   o LEFT JOIN sb USING (datapath)
