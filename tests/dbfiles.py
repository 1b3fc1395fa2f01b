"""Test data for the mirror: a schema with every column shape."""
from relnorthd.mirror.dbwriter import record, write_db_file as write_db  # noqa: F401


# A schema with one column of every shape the mirror distinguishes.
SHAPES_SCHEMA = {
    "name": "OVN_Northbound", "version": "1.0.0",
    "tables": {
        "Thing": {"columns": {
            "name": {"type": "string"},
            "count": {"type": "integer"},
            "ratio": {"type": "real"},
            "flag": {"type": "boolean"},
            "maybe": {"type": {"key": "boolean", "min": 0, "max": 1}},
            "ref": {"type": {"key": {"type": "uuid", "refTable": "Other"}, "min": 0, "max": 1}},
            "refs": {"type": {"key": {"type": "uuid", "refTable": "Other"},
                              "min": 0, "max": "unlimited"}},
            "tags": {"type": {"key": "string", "min": 0, "max": "unlimited"}},
            "options": {"type": {"key": "string", "value": "string",
                                 "min": 0, "max": "unlimited"}},
            "weights": {"type": {"key": "string", "value": "integer",
                                 "min": 0, "max": "unlimited"}},
        }},
        "Other": {"columns": {"name": {"type": "string"}}},
    },
}

U1 = "11111111-1111-1111-1111-111111111111"
U2 = "22222222-2222-2222-2222-222222222222"
U3 = "33333333-3333-3333-3333-333333333333"
