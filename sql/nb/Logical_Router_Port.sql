-- NB Logical_Router_Port ipv6_prefix as northd writes it back:
-- ovn_update_ipv6_prefix() in northd.c; ovn-nb(5) "ipv6_prefix". A router
-- port with options:prefix=true takes the prefix ovn-controller delegated
-- to it, from its SB binding's options:ipv6_ra_pd_list ("<aid>:<prefix>");
-- northd never clears it.

SELECT p._uuid, [scan_uint_word(opt(b.options, 'ipv6_ra_pd_list'))] AS ipv6_prefix
FROM   northd_ports n
JOIN   Logical_Router_Port p ON p._uuid = n.port AND p.name = n.name
JOIN   sb_Port_Binding b ON b._uuid = n.sb_uuid
WHERE  opt_bool(p.options, 'prefix', false)
  AND  scan_uint_word(opt(b.options, 'ipv6_ra_pd_list')) IS NOT NULL
