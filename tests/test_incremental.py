"""Rule-level incremental computation (relnorthd.incremental): which rules a
change feeds, and that rerunning only those gives what a full compute
gives, on NB files (no servers)."""
import random

import pyarrow as pa
import pytest

from relnorthd import mirror, profiles
from relnorthd.compare import compare
from relnorthd.generate import row_uuid, uuid_set, write_nb
from relnorthd.incremental import affected, recompute, rule_inputs
from relnorthd.pipeline import compute


def stems(changed):
    return {p.stem for p in affected(changed)}


def test_every_rule_reads_something_and_dependencies_follow_lib_relations():
    inputs = rule_inputs()
    assert inputs and all(inputs.values())
    # through 75_static_routes.sql's relations down to the NB tables
    routes = stems({"Logical_Router_Static_Route": {"*"}})
    assert {"build_static_route_flows", "build_route_table_lflow",
            "add_ecmp_symmetric_reply_flows"} <= routes
    assert "build_lswitch_port_sec_op" not in routes
    # a router's static_routes column feeds the route rules, not the rest
    column = stems({"Logical_Router": {"static_routes"}})
    assert "build_static_route_flows" in column
    assert "build_lrouter_ipv4_ip_input" not in column
    # SB inputs: Service_Monitor status feeds the LB rules
    assert "build_lb_rules" in stems({"sb_Service_Monitor": {"status"}})
    # NB_Global options reach every rule (northd_config feeds the macros)
    assert len(stems({"NB_Global": {"options"}})) == len(inputs)
    assert stems({"NB_Global": {"external_ids"}}) == set()


def _cluster(tmp_path, extra_acl: bool):
    """The ovn-k8s-cluster profile's rows, with or without one more ACL on
    node0 (a change to the ACL table and to the switch's acls column)."""
    tables = profiles.PROFILES["ovn-k8s-cluster"](3, random.Random(0))
    if extra_acl:
        acl = row_uuid("test-acl", 0)
        tables["ACL"][acl] = {"direction": "to-lport", "priority": 1002,
                              "match": "ip4.src == 10.128.0.9", "action": "drop"}
        node0 = next(r for r in tables["Logical_Switch"].values() if r["name"] == "node0")
        node0["acls"] = uuid_set([acl])
    path = tmp_path / f"nb-{extra_acl}.db"
    write_nb(path, tables)
    return mirror.load(str(path), mirror.NB)


@pytest.mark.parametrize("direction", ["add", "remove"])
def test_incremental_equals_full_compute(tmp_path, direction):
    before, after = _cluster(tmp_path, False), _cluster(tmp_path, True)
    if direction == "remove":
        before, after = after, before
    changed = {"ACL": {"*"}, "Logical_Switch": {"acls"}}
    result, mode = recompute(after, None, compute(before), changed)
    assert mode == "incremental"
    full = compute(after)
    assert compare(result.grouped.flows, full.grouped.flows).equal
    assert result.flows.num_rows == full.flows.num_rows
    assert pa.compute.sum(pa.compute.equal(result.flows["rule"], "consider_acl")).as_py() > 0


def test_a_change_no_rule_reads_keeps_the_previous_result(tmp_path):
    nb = _cluster(tmp_path, False)
    previous = compute(nb)
    result, mode = recompute(nb, None, previous, {"NB_Global": {"external_ids"}})
    assert (mode, result.grouped) == ("incremental", previous.grouped)
    assert recompute(nb, None, previous, None)[1] == "recompute"


def _with_port_ids(tmp_path, ids: dict):
    """The ovn-k8s-cluster profile's rows, with `ids` as external_ids of
    node0's first pod port."""
    tables = profiles.PROFILES["ovn-k8s-cluster"](3, random.Random(0))
    port = min(u for u, r in tables["Logical_Switch_Port"].items()
               if r["name"].startswith("ns0_node0"))
    tables["Logical_Switch_Port"][port]["external_ids"] = ["map", sorted(ids.items())]
    path = tmp_path / f"nb-{len(ids)}.db"
    write_nb(path, tables)
    return mirror.load(str(path), mirror.NB)


def test_relations_computed_again_with_the_same_content_rerun_nothing(tmp_path):
    """A port's external_ids are named by lib statements that read ports
    (so the column analysis reaches many rules), but no lib relation's
    content changes: no rule runs again (early cutoff), and the result is
    the full compute's."""
    before, after = _with_port_ids(tmp_path, {}), _with_port_ids(tmp_path, {"foo": "bar"})
    changed = {"Logical_Switch_Port": {"external_ids"}}
    assert len(stems(changed)) > 10
    result, mode = recompute(after, None, compute(before), changed)
    assert (mode, result.rules_run) == ("incremental", ())
    full = compute(after)
    assert compare(result.grouped.flows, full.grouped.flows).equal
    ids = {r["logical_port"]: r["external_ids"] for r in result.sb_rows["Port_Binding"].to_pylist()}
    assert ("foo", "bar") in sum(ids.values(), [])
    # an ACL reruns the rules that read ACLs or the relations ACLs feed
    acl_before, acl_after = _cluster(tmp_path, False), _cluster(tmp_path, True)
    result, _ = recompute(acl_after, None, compute(acl_before),
                          {"ACL": {"*"}, "Logical_Switch": {"acls"}})
    assert 0 < len(result.rules_run) < len(stems({"ACL": {"*"}, "Logical_Switch": {"acls"}}))
