-- Which per-switch conditions hold, as rows: rule files join their VALUES
-- lists of default flows on `cond`, so each flow states the condition northd
-- tests before adding it (has_acls, has_stateful_acl, has_lb_vip, options).
CREATE OR REPLACE TEMP TABLE ls_conditions AS
SELECT datapath, cond
FROM ls_datapaths,
     LATERAL (VALUES
        ('always',              true),
        ('acls',                has_acls),
        ('no_acls',             NOT has_acls),
        ('no_acls_lb_vip',      NOT has_acls AND has_lb_vip),
        ('no_acls_no_lb_vip',   NOT has_acls AND NOT has_lb_vip),
        ('acls_or_lb_vip',      has_acls OR has_lb_vip),
        ('stateful_acl',        has_stateful_acl),
        ('stateful',            has_stateful_acl OR has_lb_vip),  -- build_acls' has_stateful
        ('lb_vip',              has_lb_vip),
        ('dns_records',         has_dns_records),
        ('dns_records_stateful',  has_dns_records AND (has_stateful_acl OR has_lb_vip)),
        ('dns_records_stateless', has_dns_records AND NOT (has_stateful_acl OR has_lb_vip)),
        ('vlans_blocked',       NOT vlan_passthru),
        ('mcast_snoop',         mcast_snoop),
        ('mcast_snoop_flood_unregistered', mcast_snoop AND mcast_flood_unregistered),
        ('mcast_snoop_unregistered', mcast_snoop AND NOT mcast_flood_unregistered),
        ('vtep_lports',         has_vtep_lports)
     ) AS c(cond, holds)
WHERE holds;
