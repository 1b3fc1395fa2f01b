-- ls_in_check_port_sec / ls_in_apply_port_sec, per switch: drop VLAN-tagged
-- frames (unless other_config:vlan-passthru) and multicast source MACs, run
-- the port security check, drop what it rejects.
-- northd: build_lswitch_lflows_admission_control
-- ovn-northd(8): "Ingress Table 0: Admission Control and Ingress Port Security
--   check", "Ingress Table 1: Ingress Port Security - Apply"
-- Owner: the logical switch.
SELECT c.datapath, f.stage, f.priority, f.match, f.actions
FROM   ls_conditions c
JOIN   (VALUES
    ('vlans_blocked', 'ls_in_check_port_sec', 100, 'vlan.present', drop_action()),
    ('always',        'ls_in_check_port_sec', 100, 'eth.src[40]', drop_action()),
    ('always',        'ls_in_check_port_sec',  50, '1', 'reg0[15] = check_in_port_sec(); next;'),
    ('always',        'ls_in_apply_port_sec',  50, 'reg0[15] == 1', drop_action()),
    ('always',        'ls_in_apply_port_sec',   0, '1', 'next;')
) AS f(cond, stage, priority, match, actions) ON f.cond = c.cond
