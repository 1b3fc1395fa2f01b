-- Which NB port rows become northd ports (join_logical_ports; ovn-northd(8)
-- has no section: northd logs "duplicate logical port" and skips the rest).
-- Port names are one namespace across switches and routers. northd walks its
-- datapath hmap (buckets by uuid_hash in ascending order) and each datapath's
-- ports in uuid order; the first row to claim a name wins. Within one hash
-- bucket northd's order follows insertion history: ties there are broken by
-- datapath uuid, which may differ from the reference (README).

-- northd's datapaths (switches and enabled routers) with their hmap bucket.
CREATE OR REPLACE TEMP TABLE dp_hmap_order AS
WITH dps AS (
    SELECT _uuid AS datapath FROM Logical_Switch
    UNION ALL
    SELECT _uuid AS datapath FROM Logical_Router WHERE coalesce(enabled, true)
)
SELECT datapath, hmap_bucket(uuid_hash(datapath), count(*) OVER ()) AS bucket
FROM   dps;

-- The ports each enabled router lists (northd has no datapath for a
-- disabled router).
CREATE OR REPLACE TEMP VIEW lr_port_rows AS
SELECT _uuid AS datapath, unnest(ports) AS lrp
FROM   Logical_Router WHERE coalesce(enabled, true);

-- Every port row a datapath lists, router ports only with a valid MAC (a
-- router port with a bad MAC is skipped before it can claim its name).
CREATE OR REPLACE TEMP TABLE nb_port_claims AS
SELECT s.lsp AS port, s.datapath, p.name, 'Logical_Switch_Port' AS port_table
FROM   (SELECT _uuid AS datapath, unnest(ports) AS lsp FROM Logical_Switch) s
JOIN   Logical_Switch_Port p ON p._uuid = s.lsp
UNION ALL
SELECT r.lrp, r.datapath, p.name, 'Logical_Router_Port'
FROM   lr_port_rows r
JOIN   Logical_Router_Port p ON p._uuid = r.lrp
WHERE  r.lrp IN (SELECT lrp FROM lrp_networks);

-- The claim that wins each name.
CREATE OR REPLACE TEMP TABLE nb_ports AS
SELECT port, datapath, name, port_table
FROM  (SELECT c.*, row_number() OVER (PARTITION BY c.name
                                      ORDER BY o.bucket, c.datapath, c.port) AS claim
       FROM nb_port_claims c JOIN dp_hmap_order o ON o.datapath = c.datapath) ranked
WHERE  claim = 1;
