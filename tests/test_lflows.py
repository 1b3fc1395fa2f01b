"""Datapath grouping: one SB flow per key, shared groups per datapath set."""
import pyarrow as pa

from relnorthd.contract import FLOWS
from relnorthd.lflows import group


def _flows(rows):
    cols = {f.name: [] for f in FLOWS}
    for r in rows:
        base = dict(pipeline="ingress", table_id=2, stage="ls_in_lookup_fdb", priority=0,
                    match="1", actions="next;", io_port=None, ctrl_meter=None, stage_hint=None,
                    rule="t", owner_table="Logical_Switch", datapath=None, dp_set=None)
        base.update(r)
        base.setdefault("owner", base["datapath"] or "lb")
        for k in cols:
            cols[k].append(base[k])
    return pa.table(cols, schema=FLOWS)


def test_single_datapath_flow_gets_logical_datapath():
    g = group(_flows([{"datapath": "a"}]))
    (f,) = g.flows.to_pylist()
    assert f["logical_datapath"] == "a" and f["dp_group"] is None and f["datapaths"] == ["a"]
    assert g.dp_groups.num_rows == 0


def test_same_key_on_several_datapaths_is_one_flow_with_a_group():
    g = group(_flows([{"datapath": d} for d in "cab"]))
    (f,) = g.flows.to_pylist()
    assert f["datapaths"] is None and f["logical_datapath"] is None
    assert g.expanded()["datapaths"].to_pylist() == [["a", "b", "c"]]
    assert g.dp_groups.to_pylist() == [{"dp_group": f["dp_group"], "datapaths": ["a", "b", "c"]}]


def test_groups_are_shared_by_equal_sets_and_distinct_otherwise():
    rows = [{"datapath": d, "match": m} for m in ("m1", "m2") for d in "ab"]
    rows += [{"datapath": d, "match": "m3"} for d in "abc"]
    g = group(_flows(rows))
    by_match = {f["match"]: f for f in g.flows.to_pylist()}
    assert by_match["m1"]["dp_group"] == by_match["m2"]["dp_group"]
    assert by_match["m3"]["dp_group"] != by_match["m1"]["dp_group"]
    assert g.dp_groups.num_rows == 2


def test_key_includes_meter_and_stage_but_not_hint_or_duplicates():
    rows = [{"datapath": "a", "ctrl_meter": "m"}, {"datapath": "a"},
            {"datapath": "a", "stage": "ls_in_put_fdb", "table_id": 3},
            {"datapath": "b", "stage_hint": "12345678"}, {"datapath": "b"}]
    g = group(_flows(rows))
    keys = sorted((f["stage"], f["ctrl_meter"] or "", tuple(f["datapaths"]))
                  for f in g.expanded().to_pylist())
    assert keys == [("ls_in_lookup_fdb", "", ("a", "b")), ("ls_in_lookup_fdb", "m", ("a",)),
                    ("ls_in_put_fdb", "", ("a",))]


def _sets(**members):
    rows = [(name, dp) for name, dps in members.items() for dp in dps]
    return pa.table({"dp_set": [r[0] for r in rows], "datapath": [r[1] for r in rows]})


def test_a_set_row_stands_for_its_members_and_shares_their_group():
    g = group(_flows([{"dp_set": "lb1"}, {"match": "x", "datapath": "b"},
                      {"match": "x", "datapath": "a"}, {"match": "x", "datapath": "c"}]),
              _sets(lb1=["c", "a", "b"]))
    flows = {f["match"]: f for f in g.expanded().to_pylist()}
    assert flows["1"]["datapaths"] == ["a", "b", "c"] == flows["x"]["datapaths"]
    assert flows["1"]["dp_group"] == flows["x"]["dp_group"] is not None
    assert g.dp_groups.num_rows == 1


def test_sets_and_single_rows_of_one_key_are_united():
    g = group(_flows([{"dp_set": "lb1"}, {"dp_set": "lb2"}, {"datapath": "e"},
                      {"match": "y", "dp_set": "lb2"}, {"match": "y", "datapath": "d"}]),
              _sets(lb1=["a", "b"], lb2=["b", "d"]))
    flows = {f["match"]: f["datapaths"] for f in g.expanded().to_pylist()}
    assert flows == {"1": ["a", "b", "d", "e"], "y": ["b", "d"]}


def test_a_one_member_set_gives_a_logical_datapath():
    (f,) = group(_flows([{"dp_set": "lb1"}]), _sets(lb1=["a"])).flows.to_pylist()
    assert f["logical_datapath"] == "a" and f["dp_group"] is None
