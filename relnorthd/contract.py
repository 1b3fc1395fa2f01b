"""The flow contract: the one relation every rule produces.

A rule file yields rows of RULE_COLUMNS (at least the required ones); the
runner adds `rule` (the file's stem) and, from the `stages` relation,
`pipeline` and `table_id`, giving FLOWS.

A row is for one datapath (`datapath`), or for every datapath of a named set
(`dp_set`, with `datapath` null): sets are rows of the `dp_sets(dp_set,
datapath)` relation (sql/lib/90_dp_sets.sql). A flow that northd adds for an
LB's whole switch set is then one row, not one per switch.
"""
from __future__ import annotations

import pyarrow as pa

# What a rule's SELECT returns. The first five are required; the others
# default to null, and owner_table/owner to the flow's own datapath (a
# dp_set row must name its owner).
RULE_COLUMNS = ("datapath", "stage", "priority", "match", "actions",
                "io_port", "ctrl_meter", "stage_hint", "owner_table", "owner", "dp_set")
REQUIRED_COLUMNS = RULE_COLUMNS[:5]

FLOWS = pa.schema([
    ("datapath", pa.string()),      # NB uuid of the Logical_Switch / Logical_Router
    ("pipeline", pa.string()),      # ingress | egress
    ("table_id", pa.int64()),
    ("stage", pa.string()),         # e.g. ls_in_l2_lkup
    ("priority", pa.int64()),
    ("match", pa.string()),
    ("actions", pa.string()),
    ("io_port", pa.string()),       # tags:in_out_port, or null
    ("ctrl_meter", pa.string()),    # controller_meter, or null
    ("stage_hint", pa.string()),    # 8 hex digits of the hinting NB row, or null
    ("rule", pa.string()),          # the sql/ file that produced the row
    ("owner_table", pa.string()),   # NB table of the object the row was made for
    ("owner", pa.string()),         # ... and its uuid (northd's lflow_ref)
    ("dp_set", pa.string()),        # set of datapaths the row stands for, or null
])

DP_SETS = pa.schema([("dp_set", pa.string()), ("datapath", pa.string())])

# The SB flow key northd deduplicates on (the datapath is not part of it).
FLOW_KEY = ("stage", "priority", "match", "actions", "ctrl_meter")
