-- NB BFD status as northd leaves it: build_bfd_table(), the static routes
-- of build_static_route_flows_for_lrouter() (parsed_routes_add) and
-- bfd_cleanup_connections() in northd.c; ovn-nb(5) "BFD". From the status
-- build_bfd_table leaves (bfd_sessions): a session a route tracks (its
-- nexthop the dst_ip: lr_routes.bfd) goes from admin_down to down; one SB
-- had that no route tracks goes admin_down.

SELECT b._uuid,
       CASE WHEN b._uuid IN (SELECT bfd FROM lr_routes)
            THEN CASE WHEN b.status = 'admin_down' THEN 'down' ELSE b.status END
            WHEN b.known THEN 'admin_down'
            ELSE b.status END AS status
FROM   bfd_sessions b
