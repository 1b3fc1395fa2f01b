-- lr_in_gw_redirect default, per router: advance.
-- northd: build_gateway_redirect_flows_for_lrouter; ovn-northd(8): "Ingress
--   Table 20: Gateway Redirect".
-- Owner: the logical router. (Distributed gateway ports come with router ports.)
SELECT lr.datapath, 'lr_in_gw_redirect' AS stage, 0 AS priority, '1' AS match,
       'next;' AS actions
FROM   lr_datapaths lr
