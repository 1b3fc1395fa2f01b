-- Macros over the global inputs: the strings many rules share. The global
-- values are computed once per run into variables (getvariable is DuckDB's;
-- another engine replaces this file), so rules pay no subquery per use.

SET VARIABLE drop_action = (SELECT drop_action FROM northd_config);
SET VARIABLE ct_no_masked_label = (SELECT ct_no_masked_label FROM northd_config);
SET VARIABLE ct_lb_related = (SELECT ct_lb_related FROM northd_config);
SET VARIABLE use_ct_inv_match = (SELECT use_ct_inv_match FROM northd_config);
SET VARIABLE default_acl_drop = (SELECT default_acl_drop FROM northd_config);
SET VARIABLE copp_meters = (SELECT map_from_entries(list((datapath || ' ' || proto, meter)))
                            FROM copp_meters);

-- debug_drop_action(): "drop;" unless NB_Global debug_drop_collector_set.
CREATE OR REPLACE MACRO drop_action() AS getvariable('drop_action');

-- copp_meter_get(): the Meter named by the datapath's Copp row for `proto`,
-- only when an NB Meter of that name exists.
CREATE OR REPLACE MACRO copp_meter(m_dp, m_proto) AS
    getvariable('copp_meters')[m_dp || ' ' || m_proto];

-- Chassis-feature spellings (build_chassis_features): without
-- ct-no-masked-label the blocked bit lives in ct_label and LB uses ct_lb.
CREATE OR REPLACE MACRO ct_no_masked_label() AS getvariable('ct_no_masked_label');
CREATE OR REPLACE MACRO ct_blocked() AS
    CASE WHEN getvariable('ct_no_masked_label') THEN 'ct_mark.blocked' ELSE 'ct_label.blocked' END;
CREATE OR REPLACE MACRO ct_lb_action() AS
    CASE WHEN getvariable('ct_no_masked_label') THEN 'ct_lb_mark;' ELSE 'ct_lb;' END;
-- Without ovn-ct-lb-related, related traffic is not NATed by ct_commit_nat.
CREATE OR REPLACE MACRO ct_lb_related() AS getvariable('ct_lb_related');
CREATE OR REPLACE MACRO ct_commit_nat_or_next() AS
    CASE WHEN getvariable('ct_lb_related') THEN 'ct_commit_nat;' ELSE 'next;' END;
-- use_ct_inv_match: whether ACL flows test ct.inv.
CREATE OR REPLACE MACRO use_ct_inv() AS getvariable('use_ct_inv_match');
-- The default ACL verdict: NB_Global default_acl_drop drops, else `otherwise`.
CREATE OR REPLACE MACRO default_acl_action(otherwise) AS
    CASE WHEN getvariable('default_acl_drop') THEN drop_action() ELSE otherwise END;
-- NB_Global ignore_lsp_down=false: ports that are down get no ARP/ND replies.
SET VARIABLE check_lsp_is_up = (SELECT check_lsp_is_up FROM northd_config);
CREATE OR REPLACE MACRO check_lsp_is_up() AS getvariable('check_lsp_is_up');

-- ovn_stage_get_table(): a stage's table number, for actions that jump
-- (next(pipeline=ingress, table=N)).
SET VARIABLE stage_tables = (SELECT map_from_entries(list((stage, table_id))) FROM stages);
CREATE OR REPLACE MACRO stage_table(m_stage) AS getvariable('stage_tables')[m_stage];
-- debug_implicit_drop_action(): "/* drop */" unless debug drop sampling is on.
CREATE OR REPLACE MACRO implicit_drop_action() AS
    CASE WHEN getvariable('drop_action') = 'drop;' THEN '/* drop */'
         ELSE getvariable('drop_action') END;
-- An LB VIP without live backends that rejects (build_lb_vip_actions),
-- resuming at egress table `m_stage`.
CREATE OR REPLACE MACRO lb_reject_action(m_stage) AS
    'reg0 = 0; reject { outport <-> inport; next(pipeline=egress,table='
    || stage_table(m_stage) || ');};';
-- build_lrouter_arp_flow() / build_lrouter_nd_flow(): a router's ARP reply
-- and ND advertisement (`m_na`: nd_na or nd_na_router) from MAC `m_mac`.
CREATE OR REPLACE MACRO lr_arp_reply_action(m_mac) AS
    'eth.dst = eth.src; eth.src = ' || m_mac || '; arp.op = 2; /* ARP reply */ '
    || 'arp.tha = arp.sha; arp.sha = ' || m_mac || '; arp.tpa <-> arp.spa; '
    || 'outport = inport; flags.loopback = 1; output;';
CREATE OR REPLACE MACRO lr_nd_reply_action(m_na, m_mac) AS
    m_na || ' { eth.src = ' || m_mac || '; ip6.src = nd.target; nd.tll = ' || m_mac || '; '
    || 'outport = inport; flags.loopback = 1; output; };';

-- The arguments of a NAT's ct_snat / ct_dnat (ct_snat_in_czone, ...): the
-- address, and the external_port_range when there is one.
CREATE OR REPLACE MACRO nat_ct_args(m_ip, m_range) AS
    m_ip || CASE WHEN m_range <> '' THEN ',' || m_range ELSE '' END;
