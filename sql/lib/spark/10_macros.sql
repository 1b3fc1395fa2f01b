-- Spark SQL bodies of the sql/lib macros whose DuckDB bodies do not carry
-- over (portable.py puts these in their place when printing for Spark).
-- Each keeps the meaning of the macro it replaces; see its comment there.

-- uuid_hash(): Spark has no unsigned 64-bit type to parse hex into; the 32
-- bits fit a BIGINT.
CREATE OR REPLACE MACRO uuid_hash(uuid) AS CAST(conv(left(uuid, 8), 16, 10) AS BIGINT);

-- hmap_bucket(): the same mask, in BIGINT (the hash has 32 bits).
CREATE OR REPLACE MACRO hmap_bucket(hash, n) AS
    hash & CASE WHEN n < 2 THEN 0
                ELSE greatest(3, shiftleft(CAST(1 AS BIGINT), CAST(floor(log2(n)) AS INT)) - 1)
           END;

-- json_str(): Spark's to_json takes structs only; the value is what
-- follows `{"v":` (5 characters) up to the closing brace.
CREATE OR REPLACE MACRO json_str(s) AS
    CASE WHEN s IS NOT NULL
         THEN substring(to_json(named_struct('v', s)), 6,
                        length(to_json(named_struct('v', s))) - 6) END;
