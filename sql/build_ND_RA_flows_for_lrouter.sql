-- lr_in_nd_ra_options / lr_in_nd_ra_response defaults, per router: advance.
-- northd: build_ND_RA_flows_for_lrouter; ovn-northd(8): "Ingress Table 10:
--   IPv6 ND RA option processing", "Ingress Table 11: IPv6 ND RA responder".
-- Owner: the logical router.
SELECT lr.datapath, s.stage, 0 AS priority, '1' AS match, 'next;' AS actions
FROM   lr_datapaths lr,
       (VALUES ('lr_in_nd_ra_options'), ('lr_in_nd_ra_response')) AS s(stage)
