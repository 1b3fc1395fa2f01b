-- BFD as build_bfd_table leaves it for flow generation: the router ports an
-- NB BFD row names (op->has_bfd). Whether a BFD-tracked static route counts
-- is decided in 75_static_routes.sql from the row's status.
CREATE OR REPLACE TEMP TABLE lrp_bfd AS
SELECT DISTINCT p.lrp
FROM   lr_ports p
JOIN   BFD b ON b.logical_port = p.name;

-- Each NB BFD row with the status build_bfd_table leaves in it (admin_down
-- when unset; SB's, set by ovn-controller, when neither says admin_down)
-- and whether SB had its session (`known`: only those count as unused when
-- no route tracks them, bfd_cleanup_connections).
CREATE OR REPLACE TEMP TABLE bfd_sessions AS
SELECT b._uuid, b.logical_port, b.dst_ip, s.status IS NOT NULL AS known,
       CASE WHEN s.status IS NOT NULL AND s.status <> coalesce(b.status, 'admin_down')
             AND 'admin_down' NOT IN (s.status, coalesce(b.status, 'admin_down'))
            THEN s.status ELSE coalesce(b.status, 'admin_down') END AS status
FROM   BFD b
LEFT JOIN (SELECT logical_port, dst_ip, min(status) AS status
           FROM sb_BFD GROUP BY logical_port, dst_ip) s
       ON s.logical_port = b.logical_port AND s.dst_ip = b.dst_ip;
