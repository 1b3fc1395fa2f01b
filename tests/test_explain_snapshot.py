"""Flow provenance (`analysis.explain`, `relnorthd explain`) and NB snapshot
diffs (`analysis.snapshot_diff`, `relnorthd snapshot-diff`) on small generated
NBs whose answers can be worked out by hand."""
import json

import polars as pl
import pytest
from typer.testing import CliRunner

from relnorthd import analysis
from relnorthd.cli import app
from relnorthd.generate import datapaths_nb
from relnorthd.pipeline import compute_from

runner = CliRunner()
ARP_RULE = "build_lswitch_arp_nd_responder_known_ips"
SWITCHES = ["sw0", "sw1", "sw2"]


@pytest.fixture(scope="module")
def nb_files(tmp_path_factory):
    """NB files by (switches, ports per switch); no routers."""
    d = tmp_path_factory.mktemp("nb")
    return {shape: datapaths_nb(d / f"{shape[0]}x{shape[1]}.db", shape[0], 0, shape[1])
            for shape in [(2, 0), (3, 0), (3, 1)]}


@pytest.fixture(scope="module")
def results(nb_files):
    return {shape: compute_from(path) for shape, path in nb_files.items()}


def _uuids(result, table):
    t = result.nb[table]
    return dict(zip(t["name"].to_pylist(), t["_uuid"].to_pylist(), strict=True))


def test_a_port_flow_names_its_rule_and_port(results):
    r = results[3, 1]
    port = _uuids(r, "Logical_Switch_Port")["sw1-p0"]
    flows = analysis.explain(r, match="10.0.0.2", stage="ls_in_arp_rsp")
    # sw1-p0 is 10.0.0.2: the priority-50 reply and the priority-100 skip of its own ARPs
    assert [(f["priority"], f["rows"], f["datapaths"]) for f in flows.to_dicts()] == [
        (100, 1, ["sw1"]), (50, 1, ["sw1"])]
    source = {"rule": ARP_RULE, "owner_table": "Logical_Switch_Port", "name": "sw1-p0",
              "owner": port}
    assert flows["sources"].to_list() == [[source], [source]]
    reply = analysis.explain(r, match="10.0.0.2", stage="ls_in_arp_rsp", priority=50)
    assert reply.height == 1 and "arp.spa = 10.0.0.2;" in reply["actions"][0]
    # the match is searched, not the actions (`outport = "sw1-p0"` in ls_in_l2_lkup)
    in_match = [m for m in r.grouped.flows["match"].to_pylist() if "sw1-p0" in m]
    assert analysis.explain(r, match="sw1-p0")["match"].to_list() == in_match
    assert len(in_match) == 1


def test_a_default_flow_lists_every_switch_and_owner(results):
    r = results[3, 0]
    flows = analysis.explain(r, stage="ls_in_lookup_fdb")
    assert flows.drop("sources").to_dicts() == [
        {"pipeline": "ingress", "table_id": 2, "stage": "ls_in_lookup_fdb", "priority": 0,
         "match": "1", "actions": "next;", "ctrl_meter": None, "rows": 3,
         "datapaths": SWITCHES}]
    switches = _uuids(r, "Logical_Switch")
    assert flows["sources"][0].to_list() == [
        {"rule": "build_lswitch_learn_fdb_od", "owner_table": "Logical_Switch", "name": name,
         "owner": switches[name]} for name in SWITCHES]
    assert analysis.explain(r, stage="ls_in_lookup_fdb", priority=1).height == 0


def test_explain_without_filters_is_every_grouped_flow(results):
    r = results[3, 1]
    names = {u: n for n, u in _uuids(r, "Logical_Switch").items()}
    flows = analysis.explain(r)
    # the default flows shared by the three switches and nine per-port flows
    assert flows.height == r.grouped.flows.num_rows == results[3, 0].grouped.flows.num_rows + 9
    explained = {(*f[:-1], tuple(f[-1]))
                 for f in flows.select(*analysis.SB_KEY, "datapaths").rows()}
    assert explained == {(*(f[k] for k in analysis.SB_KEY),
                          tuple(sorted(names[d] for d in f["datapaths"])))
                         for f in r.grouped.expanded().to_pylist()}
    assert flows["rows"].sum() == r.flow_rows.num_rows
    # priorities descend within a stage
    for stage in flows.partition_by("stage"):
        assert stage["priority"].to_list() == sorted(stage["priority"], reverse=True)


def test_a_new_switch_joins_every_flow_and_adds_none(results):
    two, three = results[2, 0], results[3, 0]
    n = three.grouped.flows.num_rows         # the default flows of one switch
    assert three.flows.num_rows == 3 * n and two.grouped.flows.num_rows == n
    d = analysis.snapshot_diff(two, three)
    assert list(d) == ["by_stage", "by_owner", "added", "removed", "changed"]
    assert d["added"].height == d["removed"].height == 0
    assert d["changed"].height == n
    assert d["changed"]["datapaths_added"].to_list() == [["sw2"]] * n
    assert d["changed"]["datapaths_removed"].to_list() == [[]] * n
    assert d["by_stage"].height == 37
    assert d["by_stage"].select("added", "removed", "changed").sum().row(0) == (0, 0, n)
    sw2 = _uuids(three, "Logical_Switch")["sw2"]
    assert d["by_owner"].to_dicts() == [{"owner_table": "Logical_Switch", "owner": sw2,
                                         "name": "sw2", "rows_added": n, "rows_removed": 0}]
    back = analysis.snapshot_diff(three, two)
    assert back["changed"]["datapaths_removed"].to_list() == [["sw2"]] * n
    assert back["changed"]["datapaths_added"].to_list() == [[]] * n
    assert back["by_owner"].select("name", "rows_added", "rows_removed").row(0) == ("sw2", 0, n)


def test_a_port_per_switch_adds_its_own_flows(results):
    before, after = results[3, 0], results[3, 1]
    d = analysis.snapshot_diff(before, after)
    assert d["removed"].height == d["changed"].height == 0
    # per port: L2 lookup on its MAC, ARP reply and ARP skip for its IP, each on its switch
    added = d["added"]
    assert added.height == 9
    assert sorted(added["datapaths"].to_list()) == [[s] for s in SWITCHES for _ in range(3)]
    assert d["by_stage"].select("stage", "added", "removed", "changed").rows() == [
        ("ls_in_arp_rsp", 6, 0, 0), ("ls_in_l2_lkup", 3, 0, 0)]
    ports = _uuids(after, "Logical_Switch_Port")
    assert d["by_owner"].sort("name").to_dicts() == [
        {"owner_table": "Logical_Switch_Port", "owner": ports[f"{s}-p0"], "name": f"{s}-p0",
         "rows_added": 3, "rows_removed": 0} for s in SWITCHES]
    # the added flows are exactly the port-owned ones explain finds on the new NB
    port_flows = analysis.explain(after).filter(pl.col("sources").list.eval(
        pl.element().struct.field("owner_table") == "Logical_Switch_Port").list.all())
    assert sorted(added.rows()) == sorted(port_flows.select(*added.columns).rows())
    back = analysis.snapshot_diff(after, before)
    assert sorted(back["removed"].rows()) == sorted(added.rows())
    assert back["by_owner"]["rows_removed"].to_list() == [3, 3, 3]


def test_identical_snapshots_have_an_empty_diff(results, nb_files):
    d = analysis.snapshot_diff(results[3, 1], compute_from(nb_files[3, 1]))
    assert {name: df.height for name, df in d.items()} == dict.fromkeys(d, 0)
    assert analysis.to_json(d) == dict.fromkeys(d, [])


def test_explain_on_the_command_line(nb_files):
    nb = str(nb_files[3, 1])
    res = runner.invoke(app, ["explain", "--nb", nb, "--match", "10.0.0.2", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["total"] == 2 and [f["priority"] for f in out["flows"]] == [100, 50]
    assert {(s["rule"], s["name"]) for f in out["flows"] for s in f["sources"]} == {
        (ARP_RULE, "sw1-p0")}
    res = runner.invoke(app, ["explain", "--nb", nb, "--stage", "ls_in_arp_rsp", "--json",
                              "--limit", "4"])
    out = json.loads(res.stdout)
    assert (out["total"], len(out["flows"])) == (7, 4)     # six per port, one default
    res = runner.invoke(app, ["explain", "--nb", nb, "--stage", "ls_in_lookup_fdb"])
    assert res.exit_code == 0, res.output
    for text in ("ls_in_lookup_fdb", "build_lswitch_learn_fdb_od", "sw0, sw1, sw2"):
        assert text in res.stdout, text
    res = runner.invoke(app, ["explain", "--nb", nb])
    assert res.exit_code == 2 and "--match and/or --stage" in res.output


def test_snapshot_diff_on_the_command_line(nb_files):
    nb, nb2 = str(nb_files[3, 0]), str(nb_files[3, 1])
    res = runner.invoke(app, ["snapshot-diff", "--nb", nb, "--nb2", nb2, "--json"])
    assert res.exit_code == 1, res.output
    out = json.loads(res.stdout)
    assert (len(out["added"]), len(out["removed"]), len(out["changed"])) == (9, 0, 0)
    assert sorted(o["name"] for o in out["by_owner"]) == ["sw0-p0", "sw1-p0", "sw2-p0"]
    res = runner.invoke(app, ["snapshot-diff", "--nb", nb, "--nb2", nb2, "--examples", "2"])
    assert res.exit_code == 1, res.output
    assert "added: … 7 more" in res.stdout and "different" in res.stdout
    res = runner.invoke(app, ["snapshot-diff", "--nb", nb, "--nb2", nb, "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == dict.fromkeys(
        ["by_stage", "by_owner", "added", "removed", "changed"], [])
    res = runner.invoke(app, ["snapshot-diff", "--nb", nb, "--nb2", nb + ".missing"])
    assert res.exit_code == 2 and "missing" in res.output
