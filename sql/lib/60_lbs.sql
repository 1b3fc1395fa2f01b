-- Load balancers as northd's LB pass sees them (build_lbs, ovn_northd_lb_create,
-- ovn_lb_svc_create in lib/lb.c and northd.c): which switches each LB applies
-- to, its parsed VIPs with their options, and the backends a health check
-- leaves active. A template LB (options:template) has VIPs and backends
-- naming Chassis_Template_Var variables (`^VAR`), of its options:address-family,
-- printed as written; it has no health checks.

-- The LB sources of each switch: its own, and with NB_Global
-- install_ls_lb_from_router those of the routers it is connected to.
CREATE OR REPLACE TEMP TABLE ls_lb_sources AS
SELECT s.datapath, s.source
FROM   dp_lb_sources s JOIN ls_datapaths d ON d.datapath = s.datapath
UNION
SELECT p.datapath, s.source
FROM   dp_lb_sources s
JOIN   lr_ports lp ON lp.datapath = s.datapath
JOIN   ls_router_peers p ON p.lrp = lp.lrp
WHERE  (SELECT install_ls_lb_from_router FROM northd_config);

-- Each LB applied to a switch, with the name of its switch set: LBs that
-- reach switches through the same sources (e.g. one cluster-wide group)
-- share one set.
CREATE OR REPLACE TEMP TABLE lb_switch_sets AS
SELECT m.lb,
       'Load_Balancer switches ' || md5(array_to_string(list_sort(list(DISTINCT m.source)), ' '))
           AS dp_set,
       list(DISTINCT m.source) AS sources
FROM   lb_source_members m
WHERE  m.source IN (SELECT source FROM ls_lb_sources)
GROUP  BY m.lb;

-- One row per valid VIP of every LB.
CREATE OR REPLACE TEMP TABLE lb_vips AS
SELECT lb._uuid                                               AS lb,
       e.vip_key, e.vip_value, v.template_family,
       v.template_family <> ''                                AS template,
       v.family, v.vip, v.bits, v.port, v.port_str, v.n_backends,
       CASE WHEN v.family = 'ipv4' THEN 'ip4' ELSE 'ip6' END   AS ip_match,
       -- the family of the VIP's address, which affinity flows follow (a
       -- template VIP's address is all zeros: IPv6)
       CASE WHEN v.template_family = '' THEN v.family ELSE 'ipv6' END AS addr_family,
       CASE WHEN v.template_family = '' AND v.family = 'ipv4' THEN 'ip4' ELSE 'ip6' END
                                                              AS addr_ip_match,
       CASE WHEN lb.protocol IN ('udp', 'sctp') THEN lb.protocol ELSE 'tcp' END AS proto,
       opt_bool(lb.options, 'reject', false)                  AS reject_empty,
       opt_bool(lb.options, 'event', false)
           OR (SELECT controller_event FROM northd_config)    AS empty_lb_event,
       least(opt_uint(lb.options, 'affinity_timeout', 0), 65535) AS affinity_timeout,
       opt_bool(lb.options, 'skip_snat', false)                AS skip_snat,
       -- health checks: not for SCTP or templates; matched on the VIP key as written
       coalesce(lb.protocol, '') <> 'sctp' AND v.template_family = '' AND EXISTS (
           SELECT 1 FROM (SELECT unnest(lb.health_check) AS hc) h
           JOIN Load_Balancer_Health_Check c ON c._uuid = h.hc
           WHERE c.vip = e.vip_key)                           AS health_check,
       -- selection_fields, tp_src/tp_dst spelled with the LB's protocol
       CASE WHEN array_length(lb.selection_fields) > 0 THEN
           array_to_string(list_transform(lb.selection_fields, lambda m_f:
               CASE WHEN m_f IN ('tp_src', 'tp_dst') AND coalesce(lb.protocol, '') <> ''
                    THEN lb.protocol || substr(m_f, 3) ELSE m_f END), ',') END
                                                              AS hash_fields
FROM   Load_Balancer lb
JOIN   (SELECT _uuid AS lb, vip.key AS vip_key, vip.value AS vip_value
        FROM (SELECT _uuid, unnest(map_entries(vips)) AS vip FROM Load_Balancer)) e
       ON e.lb = lb._uuid
JOIN   lb_vip_parsed v ON v.vip_key = e.vip_key AND v.vip_value = e.vip_value
      AND v.template_family = CASE
          WHEN NOT opt_bool(lb.options, 'template', false) THEN ''
          WHEN coalesce(opt(lb.options, 'address-family'), 'ipv4') = 'ipv4' THEN 'ipv4'
          ELSE 'ipv6' END;

-- Backends of health-checked VIPs with their ip_port_mappings entry
-- ("PORT:SRC_IP"): monitored when PORT is an enabled switch port and SRC_IP
-- parses; active unless their SB Service_Monitor says otherwise (a monitor
-- of a port that is not up counts as offline).
CREATE OR REPLACE TEMP TABLE lb_hc_backends AS
WITH mapped AS (
    SELECT v.lb, v.vip_key, v.vip_value, v.family, v.proto, b.idx, b.ip, b.port,
           opt(lb.ip_port_mappings,
               CASE WHEN v.family = 'ipv4' THEN b.ip ELSE '[' || b.ip || ']' END) AS mapping
    FROM   lb_vips v
    JOIN   Load_Balancer lb ON lb._uuid = v.lb
    JOIN   lb_backend_parsed b ON b.vip_key = v.vip_key AND b.vip_value = v.vip_value
                              AND b.template_family = v.template_family
    WHERE  v.health_check
),
split AS (
    SELECT *, split_part(mapping, ':', 1) AS port_name,
           substr(mapping, strpos(mapping, ':') + 1) AS src_text
    FROM   mapped WHERE strpos(coalesce(mapping, ''), ':') > 0
)
SELECT s.lb, s.vip_key, s.vip_value, s.family, s.idx, s.ip, s.port, s.port_name,
       src.ip AS src_ip, lp.datapath AS port_datapath,
       lp.lsp IS NOT NULL AND lp.enabled AS monitored,
       CASE WHEN m.status = 'online' AND NOT coalesce(pb.up, false) THEN 'offline'
            ELSE m.status END AS status
FROM   split s
JOIN   lb_src_ip_parsed src ON src.text = s.src_text
LEFT JOIN ls_ports lp ON lp.name = s.port_name
LEFT JOIN sb_Service_Monitor m
       ON m.ip = s.ip AND m.logical_port = s.port_name AND m.port = s.port
      AND coalesce(m.protocol, 'tcp') = s.proto
LEFT JOIN sb_Port_Binding pb ON pb.logical_port = s.port_name;

-- What a VIP's ct_lb action balances over: all backends as written, or for
-- a health-checked VIP the active monitored ones; with none, the VIP drops
-- or (options:reject) rejects.
CREATE OR REPLACE TEMP TABLE lb_vip_backends AS
SELECT v.*,
       CASE WHEN v.health_check THEN coalesce(h.active, '') ELSE v.vip_value END AS backends,
       CASE WHEN v.health_check THEN coalesce(h.n_active, 0) ELSE v.n_backends END
           AS n_live_backends
FROM   lb_vips v
LEFT JOIN (
    SELECT lb, vip_key, vip_value,
           ordered_join(CASE WHEN family = 'ipv4' THEN ip ELSE '[' || ip || ']' END
                        || ':' || CAST(port AS VARCHAR), ',', idx) AS active,
           count(*) AS n_active
    FROM   lb_hc_backends
    WHERE  monitored AND coalesce(status, 'online') = 'online'
    GROUP  BY lb, vip_key, vip_value
) h ON h.lb = v.lb AND h.vip_key = v.vip_key AND h.vip_value = v.vip_value;

-- The LB VIPs of each LB source of a router, by the family of their address
-- (a template VIP counts as IPv6): a router's LB VIPs (its lb_ips) are those
-- of its sources (dp_lb_sources). Kept per source, not per router: a group
-- on every gateway router would be its thousands of VIPs on each of them.
CREATE OR REPLACE TEMP TABLE lr_lb_source_vips AS
SELECT DISTINCT m.source, v.addr_family AS family, v.vip, v.bits
FROM   lb_source_members m
JOIN   lb_vips v ON v.lb = m.lb
WHERE  m.source IN (SELECT s.source FROM dp_lb_sources s
                    JOIN lr_datapaths r ON r.datapath = s.datapath);

-- What a VIP's LB action is built from (build_lb_vip_actions): with live
-- backends a ct_lb_mark/ct_lb call, left open for a rule to close (the
-- router's variants end it with "; skip_snat)" or "; force_snat)"); without,
-- a drop, or with options:reject a reject (rules pass the table it resumes
-- at to lb_reject_action()).
CREATE OR REPLACE TEMP TABLE lb_vip_actions AS
SELECT v.*,
       v.n_live_backends > 0                        AS balances,
       v.n_live_backends = 0 AND v.reject_empty     AS rejects,
       CASE WHEN ct_no_masked_label() THEN 'ct_lb_mark' ELSE 'ct_lb' END
       || '(backends=' || v.backends
       || coalesce('; hash_fields="' || v.hash_fields || '"', '') AS ct_lb_open,
       'ct.new && ' || v.ip_match || '.dst == ' || v.vip
       || coalesce(' && ' || v.proto || '.dst == ' || v.port_str, '') AS ls_match,
       'ct.new && !ct.rel && ' || v.ip_match || ' && ' || v.ip_match || '.dst == ' || v.vip
       || coalesce(' && ' || v.proto || ' && ' || v.proto || '.dst == ' || v.port_str, '')
                                                    AS lr_match,
       CASE WHEN v.port_str IS NULL THEN 110 ELSE 120 END AS priority
FROM   lb_vip_backends v;

-- Each backend of a VIP with options:affinity_timeout, as affinity flows
-- name it: its address (and port) as a destination and in the registers
-- that recall it, and the action that remembers it (commit_lb_aff).
CREATE OR REPLACE TEMP TABLE lb_affinity_backends AS
WITH b AS (
    SELECT v.*, p.ip, p.port AS backend_port,
           CASE WHEN p.port = 0 THEN p.ip
                WHEN v.addr_family = 'ipv4' THEN p.ip || ':' || CAST(p.port AS VARCHAR)
                ELSE '[' || p.ip || ']:' || CAST(p.port AS VARCHAR) END AS backend
    FROM   lb_vips v
    JOIN   lb_backend_parsed p ON p.vip_key = v.vip_key AND p.vip_value = v.vip_value
                              AND p.template_family = v.template_family
    WHERE  v.affinity_timeout > 0
)
SELECT b.*,
       addr_ip_match || '.dst == ' || ip
       || CASE WHEN backend_port <> 0
               THEN ' && ' || proto || '.dst == ' || CAST(backend_port AS VARCHAR) ELSE '' END
           AS backend_dst_match,
       CASE WHEN backend_port <> 0
            THEN ' && reg8[0..15] == ' || CAST(backend_port AS VARCHAR) ELSE '' END
           AS backend_port_match,
       'commit_lb_aff(vip = "'
       || CASE WHEN port_str IS NULL THEN vip
               WHEN addr_family = 'ipv4' THEN vip || ':' || port_str
               ELSE '[' || vip || ']:' || port_str END
       || '", backend = "' || backend || '"'
       || CASE WHEN port_str IS NOT NULL THEN ', proto = ' || proto ELSE '' END
       || ', timeout = ' || CAST(affinity_timeout AS VARCHAR) || '); /* drop */' AS commit_action
FROM   b;

-- VIPs without backends that report to the controller (build_empty_lb_event_flow):
-- options:event or NB_Global controller_event, and no options:reject.
CREATE OR REPLACE TEMP TABLE lb_vip_events AS
SELECT v.lb, v.vip_key, v.vip_value,
       v.ip_match || '.dst == ' || v.vip || ' && ' || v.proto
       || coalesce(' && ' || v.proto || '.dst == ' || v.port_str, '') AS match,
       'trigger_event(event = "empty_lb_backends", vip = "'
       || CASE WHEN v.port_str IS NULL THEN v.vip
               WHEN v.family = 'ipv4' THEN v.vip || ':' || v.port_str
               ELSE '[' || v.vip || ']:' || v.port_str END
       || '", protocol = "' || v.proto || '", load_balancer = "' || v.lb || '");' AS actions
FROM   lb_vips v
WHERE  v.empty_lb_event AND v.n_backends = 0 AND NOT v.reject_empty;
