-- SB Mirror rows as northd writes them: sync_mirrors() in northd.c;
-- ovn-sb(5) "Mirror". One row per NB Mirror, by name, with its filter,
-- sink, type and index (external_ids: northd leaves them alone).

SELECT name, filter, sink, type, index
FROM   Mirror
