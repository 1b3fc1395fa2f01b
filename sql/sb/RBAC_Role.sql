-- SB RBAC_Role and RBAC_Permission rows as northd keeps them:
-- check_and_update_rbac() in ovn-northd.c; ovn-sb(5) "RBAC_Role",
-- "RBAC_Permission". One role, ovn-controller, with one permission per
-- table a chassis writes: the column naming the chassis allowed to write a
-- row ('' for any), whether it may insert and delete rows, and the columns
-- it may update. Constant data; each permission row appears inline (its
-- canonical form, relnorthd/sbtables.py).

WITH permission(tbl, auth, insert_delete, updates) AS (VALUES
    ('Chassis',          ['name'],         true,
     ['nb_cfg', 'external_ids', 'encaps', 'vtep_logical_switches', 'other_config',
      'transport_zones']),
    ('Chassis_Private',  ['name'],         true,
     ['nb_cfg', 'nb_cfg_timestamp', 'chassis', 'external_ids']),
    ('Controller_Event', [''],             true,
     ['chassis', 'event_info', 'event_type', 'seq_num']),
    ('Encap',            ['chassis_name'], true, ['type', 'options', 'ip']),
    ('FDB',              [''],             true, ['dp_key', 'mac', 'port_key']),
    ('Port_Binding',     [''],             false,
     ['chassis', 'additional_chassis', 'encap', 'additional_encap', 'up', 'virtual_parent',
      'options']),
    ('MAC_Binding',      [''],             true,
     ['logical_port', 'ip', 'mac', 'datapath', 'timestamp']),
    ('Service_Monitor',  [''],             false, ['status']),
    ('IGMP_Group',       [''],             true, ['address', 'chassis', 'datapath', 'ports']),
    ('BFD',              [''],             false, ['status'])
)
SELECT 'ovn-controller' AS name,
       map_from_entries(list({'key': tbl,
                              'value': {'table': tbl,
                                        'authorization': list_sort(auth),
                                        'insert_delete': insert_delete,
                                        'update': list_sort(updates)}})) AS permissions
FROM   permission
