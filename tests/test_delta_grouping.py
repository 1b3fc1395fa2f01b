"""Grouping and SB sync by delta: lflows.regroup over the touched flow keys
equals lflows.group over all flows, and sbsync.plan restricted to those keys
gives the operations of the full plan (checked against the full versions,
on random changes of a generated NB's flows and on NB changes in a sandbox)."""
import io
import json
import random
from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from conftest import lb_group, nb
from relnorthd import mirror
from relnorthd.engine import connect
from relnorthd.lflows import group, regroup, touched_keys
from relnorthd.mirror.session import Session
from relnorthd.output import jsonl_table, write_lflow_list
from relnorthd.pipeline import compute
from relnorthd.profiles import generate
from relnorthd.reference import Sandbox
from relnorthd.sbsync import plan


def row_delta(old: pa.Table, new: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(rows of `old` not in `new`, rows of `new` not in `old`), as multisets."""
    con = connect()
    try:
        con.register("old", old)
        con.register("new", new)
        return (con.sql("SELECT * FROM old EXCEPT ALL SELECT * FROM new").to_arrow_table(),
                con.sql("SELECT * FROM new EXCEPT ALL SELECT * FROM old").to_arrow_table())
    finally:
        con.close()


def by_key(grouped) -> dict:
    """flow key -> (the SB flow's other columns, its group's datapaths);
    asserting that the groups are exactly those the flows use."""
    groups = {g["dp_group"]: g["datapaths"] for g in grouped.dp_groups.to_pylist()}
    assert len(groups) == grouped.dp_groups.num_rows
    assert set(groups) == {f["dp_group"] for f in grouped.flows.to_pylist()} - {None}
    out = {}
    for f in grouped.flows.to_pylist():
        key = (f.pop("stage"), f.pop("priority"), f.pop("match"), f.pop("actions"),
               f.pop("ctrl_meter"))
        assert key not in out
        group_id = f.pop("dp_group")
        out[key] = (f, groups[group_id] if group_id is not None else None)
    return out


def assert_regroups(previous, flows, dp_sets, old_flows, old_dp_sets):
    """regroup of `previous` (the grouping of old_flows / old_dp_sets) gives
    what group gives, keeping the ids of the groups it keeps."""
    removed, added = row_delta(old_flows, flows)
    touched = touched_keys(flows, removed, added, old_dp_sets, dp_sets)
    got = regroup(previous, flows, dp_sets, touched)
    assert by_key(got) == by_key(group(flows, dp_sets))
    before = {g["dp_group"]: g["datapaths"] for g in previous.dp_groups.to_pylist()}
    for g in got.dp_groups.to_pylist():
        assert before.get(g["dp_group"], g["datapaths"]) == g["datapaths"]
    return got, touched


@pytest.fixture(scope="module")
def k8s(tmp_path_factory):
    path = tmp_path_factory.mktemp("nb") / "nb.db"
    generate("ovn-k8s", 3, path)
    return compute(mirror.load(str(path), mirror.NB))


def _change(rng: random.Random, flows: pa.Table, dp_sets: pa.Table):
    """Random flow rows deleted, copied to other datapaths of their kind or
    given another io_port / stage_hint, and a random set losing a member and
    gaining another."""
    rows = sorted(flows.to_pylist(), key=lambda r: [str(v) for v in r.values()])
    datapaths = sorted({r["datapath"] for r in rows if r["datapath"]})
    of_stage = {}       # the datapaths of each stage (a switch's or a router's)
    for r in rows:
        if r["datapath"]:
            of_stage.setdefault(r["stage"], set()).add(r["datapath"])
    out = [r for r in rows if rng.random() > 0.02]
    for r in rng.sample(rows, 40):
        if r["datapath"]:
            out.append({**r, "datapath": rng.choice(sorted(of_stage[r["stage"]]))})
    for r in rng.sample(out, 20):
        r["io_port" if rng.random() < 0.5 else "stage_hint"] = f"x{rng.randrange(3)}"
    sets = sorted(dp_sets.to_pylist(), key=lambda s: (s["dp_set"], s["datapath"]))
    name = rng.choice(sorted({s["dp_set"] for s in sets}))
    members = [s for s in sets if s["dp_set"] == name]
    sets.remove(rng.choice(members))
    kind = next((sorted(of_stage.get(r["stage"], datapaths)) for r in rows if r["dp_set"] == name),
                datapaths)
    sets.append({"dp_set": name, "datapath": rng.choice(kind)})
    return (pa.Table.from_pylist(out, flows.schema),
            pa.Table.from_pylist(sets, dp_sets.schema).group_by(["dp_set", "datapath"])
            .aggregate([]))


def test_regroup_random_changes(k8s):
    """Chained random changes of a generated NB's flows and dp sets."""
    rng = random.Random(16)
    flows, dp_sets, grouped = k8s.flows, k8s.dp_sets, k8s.grouped
    assert dp_sets.num_rows and pc.sum(pc.is_valid(flows["dp_set"])).as_py()
    for _ in range(4):
        new_flows, new_sets = _change(rng, flows, dp_sets)
        grouped, touched = assert_regroups(grouped, new_flows, new_sets, flows, dp_sets)
        assert 0 < touched.num_rows < grouped.flows.num_rows
        flows, dp_sets = new_flows, new_sets
    # lflow-list and JSONL text do not depend on group ids or flow order
    full = replace(k8s, grouped=group(flows, dp_sets))
    spliced = replace(k8s, grouped=grouped)
    assert jsonl_table(spliced) == jsonl_table(full)
    texts = [io.StringIO(), io.StringIO()]
    write_lflow_list(spliced, texts[0])
    write_lflow_list(full, texts[1])
    assert texts[0].getvalue() == texts[1].getvalue()
    # nothing changed: nothing to redo, the same grouping
    touched = touched_keys(flows, flows.slice(0, 0), flows.slice(0, 0), dp_sets, dp_sets)
    assert touched.num_rows == 0
    assert by_key(regroup(grouped, flows, dp_sets, touched)) == by_key(grouped)


def canonical(ops: list[dict]) -> list[str]:
    """Operations as sorted JSON texts, named-uuid names replaced by what
    the inserted row holds."""
    names = {op["uuid-name"]: json.dumps(op["row"], sort_keys=True)
             for op in ops if "uuid-name" in op}

    def rename(value):
        if isinstance(value, list):
            if len(value) == 2 and value[0] == "named-uuid":
                return ["named-uuid", names[value[1]]]
            return [rename(v) for v in value]
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items() if k != "uuid-name"}
        return value
    return sorted(json.dumps(rename(op), sort_keys=True) for op in ops)


def sb_groups(sb) -> dict[str, int]:
    """SB Logical_DP_Group uuid -> the number of flows using it."""
    used = pc.value_counts(sb["Logical_Flow"]["logical_dp_group"].drop_null()).to_pylist()
    return {u["values"]: u["counts"] for u in used}


def shared_groups(sb, touched: pa.Table) -> set[str]:
    """The SB Logical_DP_Groups that flows of touched keys and other flows use."""
    keys = {tuple(k.values()) for k in touched.to_pylist()}
    users: dict[str, set[bool]] = {}
    for f in sb["Logical_Flow"].to_pylist():
        key = (dict(f["external_ids"])["stage-name"], f["priority"], f["match"], f["actions"],
               f["controller_meter"])
        if f["logical_dp_group"]:
            users.setdefault(f["logical_dp_group"], set()).add(key in keys)
    return {g for g, kinds in users.items() if len(kinds) == 2}


SWITCHES = [nb("ls-add", f"sw{i}") for i in range(4)]
PORTS = [nb("lsp-add", f"sw{i}", f"p{i}", "--", "lsp-set-addresses", f"p{i}",
            f"00:00:00:00:00:0{i} 10.0.0.{i + 2}") for i in range(4)]
LBS = [nb("lb-add", f"lb{i}", f"10.0.1.{i}:80", "10.0.0.2:80", "tcp") for i in range(1, 6)]
SETUP = SWITCHES + PORTS + LBS + [
    nb("ls-lb-add", "sw0", "lb1"), nb("ls-lb-add", "sw1", "lb1"),
    nb("ls-lb-add", "sw0", "lb2"), nb("ls-lb-add", "sw1", "lb2"),
    nb("ls-lb-add", "sw0", "lb3"), nb("ls-lb-add", "sw3", "lb3"),
    lb_group("g", ["lb4"], switches=["sw0"]),
]
# (name, commands ({g}: the LB group's uuid), what the full plan must do
# to Logical_DP_Group)
STEPS = [
    # lb2's flows leave the group they share with lb1's: a new group; lb3's
    # flows (the only users of theirs) move: it is modified in place
    ("shared group", [nb("ls-lb-add", "sw2", "lb2"), nb("ls-lb-add", "sw2", "lb3")],
     {"insert", "update"}),
    ("switch joins an LB group, port added",
     [nb("add", "Logical_Switch", "sw3", "load_balancer_group", "{g}"),
      nb("lsp-add", "sw2", "q2", "--", "lsp-set-addresses", "q2", "00:00:00:00:01:02 10.0.0.20")],
     None),
    ("LB deleted, switch leaves an LB group",
     [nb("lb-del", "lb1"), nb("clear", "Logical_Switch", "sw0", "load_balancer_group")], None),
    ("switch and port deleted", [nb("ls-del", "sw3"), nb("lsp-del", "p1")], None),
]


def where(uuid: str) -> list:
    return [["_uuid", "==", ["uuid", uuid]]]


def load(box: Sandbox):
    return (mirror.load(box.nb_remote, mirror.NB),
            mirror.load(box.sb_remote, mirror.SB))


@pytest.mark.usefixtures("reference_available")
def test_plan_touched_equals_full():
    """Each step: regroup the flows it touched and plan only their keys;
    the same SB operations as grouping and planning everything."""
    with Sandbox(northd=False) as box:
        box.run_script(SETUP)
        session = Session(box.sb_remote, "OVN_Southbound")
        try:
            nb_db, sb_db = load(box)
            result = compute(nb_db, sb_db)
            first = plan(result.grouped, result.sb_rows, nb_db, sb_db)
            session.transact(first.ops, first.inserts)
            previous = result.grouped
            lb_group_uuid = box.nbctl("--bare", "--columns=_uuid", "find", "Load_Balancer_Group",
                                      "name=g").strip()
            for name, commands, group_steps in STEPS:
                box.run_script([[arg.format(g=lb_group_uuid) for arg in command]
                                for command in commands])
                nb_db, sb_db = load(box)
                old = result
                result = compute(nb_db, sb_db)
                grouped, touched = assert_regroups(previous, result.flows, result.dp_sets,
                                                   old.flows, old.dp_sets)
                full = plan(result.grouped, result.sb_rows, nb_db, sb_db)
                delta = plan(grouped, result.sb_rows, nb_db, sb_db, touched=touched)
                assert canonical(delta.all_ops()) == canonical(full.all_ops()), name
                assert delta.counts == full.counts, name
                assert full.all_ops(), name
                if group_steps is not None:
                    assert set(full.counts.get("Logical_DP_Group", {})) == group_steps, name
                    assert bool(shared_groups(sb_db, touched)) == (name == "shared group")
                session.transact(delta.ops, delta.inserts)
                previous = grouped
            # a flow moved to a copy of its group (by another writer): the
            # touched plan moves flows to one of the two as the full one does
            sb_db = load(box)[1]
            shared = max(sb_groups(sb_db).items(), key=lambda kv: kv[1])[0]
            flow = next(f["_uuid"] for f in sb_db["Logical_Flow"].to_pylist()
                        if f["logical_dp_group"] == shared)
            members = next(g["datapaths"] for g in sb_db["Logical_DP_Group"].to_pylist()
                           if g["_uuid"] == shared)
            session.transact([
                {"op": "insert", "table": "Logical_DP_Group", "uuid-name": "copy",
                 "row": {"datapaths": ["set", [["uuid", d] for d in members]]}},
                {"op": "update", "table": "Logical_Flow", "where": where(flow),
                 "row": {"logical_dp_group": ["named-uuid", "copy"]}}])
            nb_db, sb_db = load(box)
            assert len(sb_groups(sb_db)) == len(previous.dp_groups) + 1
            full = plan(result.grouped, result.sb_rows, nb_db, sb_db)
            delta = plan(previous, result.sb_rows, nb_db, sb_db, touched=touched.slice(0, 0))
            assert canonical(delta.all_ops()) == canonical(full.all_ops())
            assert set(full.counts) == {"Logical_Flow"}
        finally:
            session.close()
