-- SB Load_Balancer rows as northd writes them: sync_lbs() in northd.c
-- (ovn_northd_lb_get_vips() in lib/lb.c); ovn-sb(5) "Load_Balancer".
-- One row per NB load balancer that applies to some switch (directly,
-- through a group, or from a router with install_ls_lb_from_router: its
-- switch set in lb_switch_sets), matched by external_ids:lb_id; its
-- switches as a datapath group (inline: the sorted NB uuids), `datapaths`
-- left empty.
-- vips are NB's as written, except for an IPv6 template LB: its valid VIPs
-- as ovn-controller expects them (a template VIP in brackets, `[^V]:^P`).
-- options are NB's plus hairpin_orig_tuple=true. Other SB rows are deleted.

WITH set_switches AS (  -- each switch set's members, listed once for the LBs sharing it
    SELECT dp_set, list(datapath ORDER BY datapath) AS datapaths
    FROM   dp_sets
    WHERE  dp_set IN (SELECT dp_set FROM lb_switch_sets)
    GROUP  BY dp_set
),
switches AS (
    SELECT ss.lb, s.datapaths
    FROM   lb_switch_sets ss JOIN set_switches s ON s.dp_set = ss.dp_set
),
template_vips AS (      -- ovn_lb_vip6_template_format_internal()
    SELECT lb,
           map_from_entries(list({
               'key': CASE WHEN starts_with(vip, '^') THEN '[' || vip || ']' ELSE vip END
                      || coalesce(':' || port_str, ''),
               'value': vip_value})) AS vips
    FROM   lb_vips
    WHERE  template_family = 'ipv6'
    GROUP  BY lb
)
SELECT lb.name,
       coalesce(t.vips, lb.vips)                                   AS vips,
       lb.protocol,
       CAST([] AS VARCHAR[])                                       AS datapaths,
       {'datapaths': s.datapaths}                                  AS datapath_group,
       smap_merge(lb.options, MAP {'hairpin_orig_tuple': 'true'})  AS options,
       MAP {'lb_id': lb._uuid}                                     AS external_ids
FROM   Load_Balancer lb
JOIN   switches s ON s.lb = lb._uuid
LEFT JOIN template_vips t ON t.lb = lb._uuid
