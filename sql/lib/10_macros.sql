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

-- smap_get_uint(): a decimal unsigned value, else the default.
CREATE OR REPLACE MACRO opt_uint(m, k, dflt) AS
    CASE WHEN regexp_full_match(coalesce(m[k], ''), '[0-9]{1,10}')
              AND CAST(m[k] AS BIGINT) <= 4294967295
         THEN CAST(m[k] AS BIGINT) ELSE dflt END;

-- json_key: a name JSON-quoted the way northd prints ports in matches/actions.
CREATE OR REPLACE MACRO json_str(s) AS CAST(to_json(s) AS VARCHAR);

-- stage-hint: the first 32 bits of the hinting row's UUID, as 8 hex digits.
CREATE OR REPLACE MACRO hint(uuid) AS left(uuid, 8);
