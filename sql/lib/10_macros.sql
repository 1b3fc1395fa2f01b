-- Shared scalar helpers. This file is the engine-specific layer: rule bodies
-- call these names only, so another engine (Spark SQL) needs just this file
-- rewritten.

-- smap_get(): a map value or NULL.
CREATE OR REPLACE MACRO opt(m, k) AS m[k];

-- smap_get_bool(): with default true anything but "false" is true, with
-- default false only "true" is (both case-insensitive).
CREATE OR REPLACE MACRO opt_bool(m, k, dflt) AS
    CASE WHEN dflt THEN lower(coalesce(m[k], '')) <> 'false'
         ELSE lower(coalesce(m[k], '')) = 'true' END;

-- smap_get_uint(): str_to_uint() of the value, else the default. Like
-- strtoll() it takes leading white space, a sign and leading zeros ("+5",
-- " 007", "-0"), but nothing after the digits and nothing above UINT_MAX.
CREATE OR REPLACE MACRO opt_uint(m, k, dflt) AS
    CASE WHEN regexp_matches(coalesce(m[k], ''), '^[[:space:]]*([+]?[0-9]+|-0+)$')
              AND length(regexp_extract(m[k], '0*([0-9]+)$', 1)) <= 10
              AND TRY_CAST(regexp_extract(m[k], '0*([0-9]+)$', 1) AS BIGINT) <= 4294967295
         THEN CAST(regexp_extract(m[k], '0*([0-9]+)$', 1) AS BIGINT) ELSE dflt END;

-- smap_get_ullong(): str_to_ullong() of the value, else the default. Like
-- strtoull() it takes leading white space and a sign; a negative value
-- wraps around. Values beyond BIGINT are null here (no limit).
CREATE OR REPLACE MACRO opt_ullong(m, k, dflt) AS
    CASE WHEN NOT regexp_matches(coalesce(m[k], ''), '^[[:space:]]*[+-]?[0-9]+$') THEN dflt
         WHEN TRY_CAST(regexp_extract(m[k], '([0-9]+)$', 1) AS HUGEINT)
              > 18446744073709551615 THEN dflt
         WHEN regexp_matches(m[k], '^[[:space:]]*-0*$') THEN 0
         WHEN regexp_matches(m[k], '^[[:space:]]*-') THEN NULL
         ELSE TRY_CAST(regexp_extract(m[k], '([0-9]+)$', 1) AS BIGINT) END;

-- opt_ullong() kept in an int64_t: a negative value "-N" is -N again.
CREATE OR REPLACE MACRO opt_ullong_int64(m, k, dflt) AS
    coalesce(opt_ullong(m, k, dflt), -TRY_CAST(regexp_extract(m[k], '([0-9]+)$', 1) AS BIGINT));

-- printf("%d") of a uint32_t: values above INT_MAX print negative.
CREATE OR REPLACE MACRO c_int_str(u) AS
    CAST(CASE WHEN u > 2147483647 THEN u - 4294967296 ELSE u END AS VARCHAR);

-- json_key: a name JSON-quoted the way northd prints ports in matches/actions.
CREATE OR REPLACE MACRO json_str(s) AS CAST(to_json(s) AS VARCHAR);

-- stage-hint: the first 32 bits of the hinting row's UUID, as 8 hex digits.
CREATE OR REPLACE MACRO hint(uuid) AS left(uuid, 8);

-- is_dynamic_lsp_address(): "dynamic", "dynamic IP..." or "MAC dynamic".
CREATE OR REPLACE MACRO is_dynamic_address(a) AS
    a = 'dynamic' OR starts_with(a, 'dynamic ')
    OR regexp_full_match(a, '[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5} dynamic');

-- uuid_hash(): the first 32 bits of a UUID, as northd's hmaps hash rows.
CREATE OR REPLACE MACRO uuid_hash(uuid) AS CAST('0x' || left(uuid, 8) AS UBIGINT);

-- The bucket a hash lands in once an OVS hmap holds n nodes inserted one by
-- one (it grows to 4 buckets at 2 nodes, then doubles whenever n/2 > mask).
CREATE OR REPLACE MACRO hmap_bucket(hash, n) AS
    hash & CASE WHEN n < 2 THEN 0
                ELSE greatest(3, (CAST(1 AS UBIGINT) << CAST(floor(log2(n)) AS INTEGER)) - 1)
           END;

-- Whether an OVS hmap grows when its n-th node is inserted (at 2, then
-- whenever n/2 exceeds the mask: 8, 16, 32...); growing rehashes it, which
-- reverses the order of the nodes sharing a bucket.
CREATE OR REPLACE MACRO hmap_grows_at(n) AS n = 2 OR (n >= 8 AND (n & (n - 1)) = 0);

-- Aggregate: the group's strings joined by `sep` in `k` order (a set printed
-- the way northd builds it, entry by entry).
CREATE OR REPLACE MACRO ordered_join(x, sep, k) AS string_agg(x, sep ORDER BY k);

-- Whether an addresses list holds a dynamic entry.
CREATE OR REPLACE MACRO any_dynamic_address(l) AS
    array_length(list_filter(l, lambda m_a: is_dynamic_address(m_a))) > 0;

-- Whether an address lies in a network, both given as bit strings
-- (addresses.ip_bits): the first plen bits agree.
CREATE OR REPLACE MACRO in_network(addr_bits, net_bits, plen) AS
    left(addr_bits, plen) = left(net_bits, plen);

-- smap_get_int(): str_to_int() of the value (optional white space and sign,
-- decimal digits, int range), else the default.
CREATE OR REPLACE MACRO opt_int(m, k, dflt) AS
    CASE WHEN regexp_full_match(coalesce(m[k], ''), '[[:space:]]*[+-]?[0-9]{1,10}')
              AND TRY_CAST(trim(m[k]) AS BIGINT) BETWEEN -2147483648 AND 2147483647
         THEN CAST(trim(m[k]) AS BIGINT) ELSE dflt END;

-- An smap built from {key, value} entries, leaving out null values.
CREATE OR REPLACE MACRO smap_of(entries) AS
    map_from_entries(list_filter(entries, lambda e: e.value IS NOT NULL));

-- An smap with its values' ASCII letters lower-cased (OVS str_tolower()).
CREATE OR REPLACE MACRO smap_lower_values(m) AS
    map_from_entries(list_transform(map_entries(m), lambda e: {
        'key': e.key,
        'value': translate(e.value, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')}));

-- The entries of smap b added to a (b's value wins on a shared key).
CREATE OR REPLACE MACRO smap_merge(a, b) AS map_concat(coalesce(a, MAP {}), coalesce(b, MAP {}));

-- The NB datapath (uuid) an SB Datapath_Binding stands for, from its
-- external_ids.
CREATE OR REPLACE MACRO sb_datapath_of(ids) AS
    coalesce(ids['logical-switch'], ids['logical-router']);

-- A distributed gateway port: a router port with ha_chassis_group or
-- gateway_chassis (northd makes it a `cr-` port unless its router is a
-- gateway router).
CREATE OR REPLACE MACRO is_gateway_port(ha_chassis_group, gateway_chassis) AS
    ha_chassis_group IS NOT NULL OR array_length(gateway_chassis) > 0;

-- lsp_is_type_changed(): an SB binding of a switch port that changes
-- between VIF and container (parent set or not), or to or from virtual, is
-- replaced rather than kept.
CREATE OR REPLACE MACRO binding_kind_changed(sb_type, sb_parent, type, parent) AS
    (sb_type = '' AND type = '' AND (sb_parent IS NULL) <> (parent IS NULL))
    OR ((sb_type = 'virtual' OR type = 'virtual') AND sb_type <> type);

-- allocate_chassis_queueid(): the smallest queue id from 1 that `used` (a
-- chassis's ids in use) does not hold.
CREATE OR REPLACE MACRO first_free_id(used) AS
    list_min(list_filter(range(1, array_length(used) + 2), lambda q_i: NOT list_contains(used, q_i)));

-- free_chassis_queueid(): `used` with one occurrence of `id` taken out.
CREATE OR REPLACE MACRO list_remove_one(used, id) AS
    list_concat(list_filter(used, lambda q_i: q_i <> id),
                list_filter(used, lambda q_i: q_i = id)[2:]);

-- An smap without the entries of the keys listed.
CREATE OR REPLACE MACRO smap_without(m, keys) AS
    map_from_entries(list_filter(map_entries(coalesce(m, MAP {})),
                                 lambda e: NOT list_contains(keys, e.key)));

-- set_mac_prefix(): "%hhx:%hhx:%hhx" of an NB mac_prefix printed "xx:xx:xx"
-- (each number taken modulo 256, anything after the third ignored); null
-- when it does not scan or is all zeros (northd then picks a random one).
-- Like relnorthd/ipam.py's nb_mac_prefix.
CREATE OR REPLACE MACRO mac_prefix_octet(s, i) AS
    lower(right('0' || regexp_extract(s, '^' || repeat('\s*[+-]?(?:0[xX])?[0-9a-fA-F]+:', i - 1)
                                      || '\s*[+-]?(?:0[xX])?([0-9a-fA-F]+)', 1), 2));
CREATE OR REPLACE MACRO mac_prefix_of(s) AS
    CASE WHEN regexp_matches(s, '^(\s*[+-]?(?:0[xX])?[0-9a-fA-F]+:){2}\s*[+-]?(?:0[xX])?[0-9a-fA-F]')
         THEN nullif(mac_prefix_octet(s, 1) || ':' || mac_prefix_octet(s, 2) || ':'
                     || mac_prefix_octet(s, 3), '00:00:00') END;

-- ovs_scan(s, "%u:%s"): the word after a leading number and a colon, else NULL.
CREATE OR REPLACE MACRO scan_uint_word(s) AS
    nullif(regexp_extract(s, '^\s*[+-]?[0-9]+:\s*(\S+)', 1), '');
