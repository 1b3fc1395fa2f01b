-- Which per-router conditions hold, as rows (see ls_conditions).
CREATE OR REPLACE TEMP TABLE lr_conditions AS
SELECT datapath, cond
FROM lr_datapaths,
     LATERAL (VALUES
        ('always',              true),
        ('learn_from_arp_request',    learn_from_arp_request),
        ('no_learn_from_arp_request', NOT learn_from_arp_request),
        ('mcast_relay',         mcast_relay),
        ('no_mcast_relay',      NOT mcast_relay),
        ('mcast_flood_static',  mcast_flood_static),
        ('mcast_relay_flood_static',    mcast_relay AND mcast_flood_static),
        ('mcast_relay_no_flood_static', mcast_relay AND NOT mcast_flood_static),
        ('lb_vip',              has_lb_vip),
        ('gw_router_nat_or_lb', is_gateway_router AND (has_nat OR has_lb_vip)),
        -- NAT rows on a router northd makes NAT flows for (a gateway
        -- router or one with distributed gateway ports: cr ports)
        ('nat_router_with_nat', has_nat AND (is_gateway_router OR datapath IN
            (SELECT datapath FROM northd_ports WHERE kind = 'cr')))
     ) AS c(cond, holds)
WHERE holds;
