-- SB DHCPv6_Options rows as northd keeps them:
-- check_and_add_supported_dhcpv6_opts_to_sb_db() in ovn-northd.c; ovn-sb(5)
-- "DHCPv6_Options". The DHCPv6 options OVN supports, each with its option
-- code and value type. Constant data.

SELECT name, code, type FROM (VALUES
    ('server_id',      2, 'mac'),
    ('ia_addr',        5, 'ipv6'),
    ('dns_server',    23, 'ipv6'),
    ('domain_search', 24, 'str')
) AS supported(name, code, type)
