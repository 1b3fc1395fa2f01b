-- Macros over the global views: the strings many rules share.

-- debug_drop_action(): "drop;" unless NB_Global debug_drop_collector_set.
CREATE OR REPLACE MACRO drop_action() AS (SELECT drop_action FROM northd_config);

-- copp_meter_get(): the Meter named by the datapath's Copp row for `proto`,
-- only when an NB Meter of that name exists.
CREATE OR REPLACE MACRO copp_meter(dp, proto_name) AS
    (SELECT c.meter FROM copp_meters c WHERE c.datapath = dp AND c.proto = proto_name);
