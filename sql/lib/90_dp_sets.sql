-- Named sets of datapaths that rule rows may stand for (contract.py,
-- `dp_set`): the grouping step takes such a row as one row per member
-- without the rules materialising them. One block per kind of set.

-- The switches a load balancer applies to (northd's lb->nb_ls_map).
CREATE OR REPLACE TEMP TABLE dp_sets AS
SELECT 'Load_Balancer ' || lb AS dp_set, datapath FROM lb_switches;

-- The dp_set of an LB's switches, for rules.
CREATE OR REPLACE MACRO lb_switch_set(lb) AS 'Load_Balancer ' || lb;
