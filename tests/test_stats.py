"""Flow-explosion analysis (`relnorthd.analysis`, `relnorthd stats`) on small
generated NBs whose counts can be worked out by hand."""
import json

import polars as pl
import pytest
from typer.testing import CliRunner

from relnorthd import analysis
from relnorthd.cli import app
from relnorthd.generate import datapaths_nb, lb_group_nb
from relnorthd.pipeline import compute_from

runner = CliRunner()


@pytest.fixture(scope="module")
def nb_files(tmp_path_factory):
    """NB files by (switches, routers, ports per switch)."""
    d = tmp_path_factory.mktemp("nb")
    return {shape: datapaths_nb(d / ("x".join(map(str, shape)) + ".db"), *shape)
            for shape in [(3, 0, 0), (2, 1, 0), (3, 0, 1), (0, 0, 0)]}


def _uuids(result, table):
    t = result.nb[table]
    return dict(zip(t["name"].to_pylist(), t["_uuid"].to_pylist(), strict=True))


def test_three_portless_switches_share_every_flow_through_one_group(nb_files):
    r = compute_from(nb_files[3, 0, 0])
    n = r.grouped.flows.num_rows              # the default flows of one switch
    stages = analysis.by_stage(r)
    # every one of the 37 ls_* stages (27 ingress, 10 egress) has a default flow
    assert [(p, t) for p, t, *_ in stages.iter_rows()] == (
        [("ingress", t) for t in range(27)] + [("egress", t) for t in range(10)])
    assert stages["rows"].sum() == r.flow_rows.num_rows == 3 * n
    assert stages["sb_flows"].sum() == n
    assert (stages["rows"] == 3 * stages["sb_flows"]).all()
    # FDB lookup and learning have only their priority-0 `next;` per switch
    fdb = stages.filter(stages["stage"].is_in(["ls_in_lookup_fdb", "ls_in_put_fdb"]))
    assert fdb.to_dicts() == [
        {"pipeline": "ingress", "table_id": 2, "stage": "ls_in_lookup_fdb",
         "rows": 3, "sb_flows": 1},
        {"pipeline": "ingress", "table_id": 3, "stage": "ls_in_put_fdb",
         "rows": 3, "sb_flows": 1}]
    assert analysis.grouping(r).row(0, named=True) == {
        "rows": 3 * n, "sb_flows": n, "logical_datapath_flows": 0, "dp_group_flows": n,
        "dp_groups": 1, "compression": 3.0}
    assert analysis.group_sizes(r).to_dicts() == [
        {"group_size": 3, "dp_groups": 1, "sb_flows": n}]
    assert analysis.by_owner_type(r).to_dicts() == [
        {"owner_table": "Logical_Switch", "owners": 3, "rows": 3 * n}]
    by_rule = analysis.by_rule(r)
    assert by_rule["rows"].sum() == 3 * n and by_rule["sb_flows"].sum() == n


def test_router_flows_stay_on_their_datapath_and_switch_flows_group(nb_files):
    r = compute_from(nb_files[2, 1, 0])
    dps = analysis.by_datapath(r)
    rows = dict(zip(dps["name"], dps["rows"], strict=True))
    n_ls, n_lr = rows["sw0"], rows["lr0"]
    assert rows == {"sw0": n_ls, "sw1": n_ls, "lr0": n_lr}
    ids = _uuids(r, "Logical_Switch") | _uuids(r, "Logical_Router")
    assert sorted((name, dp, kind) for dp, name, kind, _ in dps.iter_rows()) == [
        ("lr0", ids["lr0"], "router"), ("sw0", ids["sw0"], "switch"),
        ("sw1", ids["sw1"], "switch")]
    # the stage is part of the flow key: no flow is shared by a switch and a router
    assert analysis.grouping(r).row(0, named=True) == {
        "rows": 2 * n_ls + n_lr, "sb_flows": n_ls + n_lr, "logical_datapath_flows": n_lr,
        "dp_group_flows": n_ls, "dp_groups": 1,
        "compression": (2 * n_ls + n_lr) / (n_ls + n_lr)}
    assert analysis.group_sizes(r).to_dicts() == [
        {"group_size": 2, "dp_groups": 1, "sb_flows": n_ls}]
    keys = [(stage.startswith("lr_"), p == "egress", t)
            for p, t, stage, *_ in analysis.by_stage(r).iter_rows()]
    assert keys == sorted(keys) and keys[0] == (False, False, 0) and keys[-1][:2] == (True, True)


def test_port_flows_are_owned_by_named_ports(nb_files):
    r = compute_from(nb_files[3, 0, 1])
    owners = {o["owner_table"]: o for o in analysis.by_owner_type(r).to_dicts()}
    n = owners["Logical_Switch"]["rows"] // 3
    # per VIF port: L2 lookup on its MAC, ARP reply for its IP (priority 50)
    # and the priority-100 skip of ARPs the port sends itself
    assert owners["Logical_Switch_Port"] == {
        "owner_table": "Logical_Switch_Port", "owners": 3, "rows": 9}
    top = analysis.top_owners(r, top=4)
    ports = _uuids(r, "Logical_Switch_Port")
    assert top.to_dicts()[3] == {"owner_table": "Logical_Switch_Port",
                                 "owner": ports["sw0-p0"], "name": "sw0-p0", "rows": 3}
    assert [(t, name, rows) for t, _, name, rows in top.head(3).iter_rows()] == [
        ("Logical_Switch", f"sw{i}", n) for i in range(3)]
    rules = {x["rule"]: x for x in analysis.by_rule(r).to_dicts()}
    # two ARP flows per port, distinct IPs: nothing to share
    assert rules["build_lswitch_arp_nd_responder_known_ips"]["rows"] == 6
    assert rules["build_lswitch_arp_nd_responder_known_ips"]["sb_flows"] == 6
    # the two FDB defaults on each of three switches: two SB flows
    assert rules["build_lswitch_learn_fdb_od"]["rows"] == 6
    assert rules["build_lswitch_learn_fdb_od"]["sb_flows"] == 2
    g = analysis.grouping(r).row(0, named=True)
    assert (g["rows"], g["logical_datapath_flows"], g["dp_group_flows"]) == (3 * n + 9, 9, n)
    assert analysis.group_sizes(r).to_dicts() == [
        {"group_size": 3, "dp_groups": 1, "sb_flows": n}]


def test_counts_weigh_dp_set_rows_as_their_datapaths(tmp_path):
    """An LB group's flows are dp_set rows; the counts equal those of the
    expanded flow rows."""
    r = compute_from(lb_group_nb(tmp_path / "lbs.db", switches=3, services=2, ports=1))
    assert r.dp_sets.num_rows
    rows = pl.from_arrow(r.flow_rows)
    for frame, key in ((analysis.by_stage(r), "stage"), (analysis.by_rule(r), "rule"),
                       (analysis.by_owner_type(r), "owner_table")):
        expected = rows.group_by(key).agg(rows=pl.len())
        assert dict(frame.select(key, "rows").iter_rows()) == dict(expected.iter_rows())
    owners = rows.group_by("owner_table", "owner").agg(rows=pl.len())
    assert sorted(analysis.top_owners(r, top=1000).select("owner_table", "owner", "rows")
                  .iter_rows()) == sorted(owners.iter_rows())


def test_empty_nb_has_empty_tables_and_no_ratio(nb_files):
    s = analysis.to_json(analysis.stats(compute_from(nb_files[0, 0, 0])))
    assert s["grouping"] == {"rows": 0, "sb_flows": 0, "logical_datapath_flows": 0,
                             "dp_group_flows": 0, "dp_groups": 0, "compression": None}
    assert all(rows == [] for name, rows in s.items() if name != "grouping")


def test_stats_json_on_the_command_line(nb_files):
    nb = str(nb_files[3, 0, 1])
    res = runner.invoke(app, ["stats", "--nb", nb, "--json", "--top", "2"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert list(s) == ["by_stage", "by_rule", "by_owner_type", "top_owners", "top_datapaths",
                       "grouping", "group_sizes"]
    r = compute_from(nb)
    assert s["grouping"] == analysis.grouping(r).row(0, named=True)
    assert s["grouping"]["rows"] == r.flow_rows.num_rows
    assert [o["name"] for o in s["top_owners"]] == ["sw0", "sw1"]
    assert len(s["top_datapaths"]) == 2
    assert sum(x["sb_flows"] for x in s["by_stage"]) == r.grouped.flows.num_rows


def test_stats_prints_tables(nb_files):
    res = runner.invoke(app, ["stats", "--nb", str(nb_files[2, 1, 0])])
    assert res.exit_code == 0, res.output
    for text in ("by stage", "top owners", "top datapaths", "grouping", "group sizes",
                 "ls_in_lookup_fdb", "lr0", "router"):
        assert text in res.stdout, text
