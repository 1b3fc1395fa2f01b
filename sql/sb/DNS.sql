-- SB DNS rows as northd writes them: sync_dns_entries() in northd.c;
-- ovn-sb(5) "DNS". One row per NB DNS row that some switch names in
-- dns_records (empty records too), on the datapaths of those switches, its
-- records' values lower-cased (str_tolower(): ASCII letters only, names
-- kept as written); external_ids:dns_id names the NB row (set at insert).

WITH users AS (
    SELECT dns, list(DISTINCT datapath ORDER BY datapath) AS datapaths
    FROM  (SELECT _uuid AS datapath, unnest(dns_records) AS dns FROM Logical_Switch) u
    GROUP  BY dns
)
SELECT MAP {'dns_id': d._uuid} AS external_ids, smap_lower_values(d.records) AS records,
       u.datapaths
FROM   DNS d
JOIN   users u ON u.dns = d._uuid
