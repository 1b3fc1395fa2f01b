-- ls_out_check_port_sec / ls_out_apply_port_sec, per switch: skip the
-- egress port security check for multicast, drop what it rejects, output.
-- northd: build_lswitch_output_port_sec_od
-- ovn-northd(8): "Egress Table 8: Egress Port Security - check",
--   "Egress Table 9: Egress Port Security - Apply"
-- Owner: the logical switch.
SELECT ls.datapath, f.stage, f.priority, f.match, f.actions
FROM   ls_datapaths ls,
       (VALUES
    ('ls_out_check_port_sec', 100, 'eth.mcast', 'reg0[15] = 0; next;'),
    ('ls_out_check_port_sec',   0, '1', 'reg0[15] = check_out_port_sec(); next;'),
    ('ls_out_apply_port_sec',  50, 'reg0[15] == 1', drop_action()),
    ('ls_out_apply_port_sec',   0, '1', 'output;')
       ) AS f(stage, priority, match, actions)
