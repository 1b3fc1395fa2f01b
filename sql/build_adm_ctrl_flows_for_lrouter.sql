-- lr_in_admission, per router: drop VLAN-tagged frames and multicast source
-- MACs; drop everything not admitted by a port flow.
-- northd: build_adm_ctrl_flows_for_lrouter; ovn-northd(8): "Ingress Table 0:
--   L2 Admission Control".
-- Owner: the logical router.
SELECT lr.datapath, 'lr_in_admission' AS stage, f.priority, f.match, drop_action() AS actions
FROM   lr_datapaths lr,
       (VALUES (100, 'vlan.present || eth.src[40]'), (0, '1')) AS f(priority, match)
