"""Flow-for-flow comparison: multiset semantics, per-stage counts."""
import pyarrow as pa

from relnorthd.compare import compare
from relnorthd.lflows import SB_FLOWS


def _sb(rows):
    full = []
    for r in rows:
        base = dict(pipeline="ingress", table_id=2, stage="ls_in_lookup_fdb", priority=0,
                    match="1", actions="next;", ctrl_meter=None, io_port=None, stage_hint=None,
                    datapaths=["a"], logical_datapath="a", dp_group=None)
        base.update(r)
        full.append(base)
    return pa.Table.from_pylist(full, schema=SB_FLOWS)


def test_equal_sets_compare_equal_whatever_the_hint():
    c = compare(_sb([{}, {"match": "m"}]), _sb([{"match": "m", "stage_hint": "abcd0123"}, {}]))
    assert c.equal and c.totals.matched == 2


def test_differences_are_counted_per_stage_with_examples():
    ours = _sb([{}, {"stage": "ls_in_put_fdb", "table_id": 3, "actions": "drop;"}])
    ref = _sb([{}, {"stage": "ls_in_put_fdb", "table_id": 3},
               {"datapaths": ["a", "b"], "logical_datapath": None}])
    c = compare(ours, ref)
    assert not c.equal
    put, lookup = c.stages["ls_in_put_fdb"], c.stages["ls_in_lookup_fdb"]
    assert (put.matched, put.only_reference, put.only_ours) == (0, 1, 1)
    assert (lookup.matched, lookup.only_reference, lookup.only_ours) == (1, 1, 0)
    assert c.only_ours[0]["actions"] == "drop;"


def test_duplicates_count_as_multisets():
    c = compare(_sb([{}, {}]), _sb([{}]))
    assert not c.equal and c.totals.only_ours == 1
