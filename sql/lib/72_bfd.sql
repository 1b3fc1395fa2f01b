-- BFD as build_bfd_table leaves it for flow generation: the router ports an
-- NB BFD row names (op->has_bfd). Whether a BFD-tracked static route counts
-- is decided in 75_static_routes.sql from the row's status.
CREATE OR REPLACE TEMP TABLE lrp_bfd AS
SELECT DISTINCT p.lrp
FROM   lr_ports p
JOIN   BFD b ON b.logical_port = p.name;
