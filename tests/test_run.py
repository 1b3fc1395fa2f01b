"""`relnorthd run` against real ovsdb-servers: the SB it writes equals the
one ovn-northd 23.03.1 writes for the same NB changes (flows, datapath
groups, datapath tunnel keys), flows keep their SB uuids while their
datapath sets change, NB changes that alter no flow write nothing, SB edits
are repaired, and a second instance stands by."""
import json
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pyarrow as pa
import pytest

from relnorthd import daemon, mirror
from relnorthd.compare import compare
from relnorthd.daemon import Northd
from relnorthd.pipeline import compute
from relnorthd.reference import Sandbox
from relnorthd.sbsync import plan
from relnorthd.sbtables import Canonical
from relnorthd.sbflows import read_sb_flows
from relnorthd.sbtables import TABLES
from relnorthd.syncsql import is_child
from test_diff_lbs import SEED_STEPS

pytestmark = pytest.mark.usefixtures("reference_available")

VIP_MATCH = "ct.new && ip4.dst == 10.0.0.10 && tcp.dst == 80"


@contextmanager
def running(box: Sandbox, name: str = "relnorthd"):
    """A relnorthd daemon on the sandbox's servers, in a thread."""
    northd = Northd(box.nb_remote, box.sb_remote)
    stop = threading.Event()
    thread = threading.Thread(target=northd.run, args=(stop.is_set,), name=name, daemon=True)
    thread.start()
    try:
        yield northd
    finally:
        stop.set()
        thread.join(10)
        assert not thread.is_alive()


CONVERGED_WITHIN = 30.0     # seconds: a bound for a hung repair, not a timing claim


def from_scratch_ops(box) -> list:
    """What a fresh compute of NB and SB as they are would still write."""
    nb_db = mirror.load(box.nb_remote, mirror.NB)
    sb_db = mirror.load(box.sb_remote, mirror.SB)
    result = compute(nb_db, sb_db)
    return plan(result.grouped, result.sb_rows, nb_db, sb_db).all_ops()


def converged(box, pause: float = 0.2) -> list:
    """Wait (at most CONVERGED_WITHIN) until a from-scratch compute would
    write nothing; what it would still write (empty: converged)."""
    deadline = time.monotonic() + CONVERGED_WITHIN
    while (left := from_scratch_ops(box)) and time.monotonic() < deadline:
        time.sleep(pause)
    return left


def run_process(box, *args: str, **popen) -> subprocess.Popen:
    """`relnorthd run` on the sandbox's servers as a process of its own
    (`args`: more options; `popen`: Popen's, e.g. where stderr goes)."""
    return subprocess.Popen([sys.executable, "-c", "from relnorthd.cli import app; app()", "run",
                             f"--ovnnb-db={box.nb_remote}", f"--ovnsb-db={box.sb_remote}", *args],
                            **popen)


def reference_and_ours(observe):
    """`observe(box)` on a sandbox run by the reference northd, then on one
    run by relnorthd -> (the reference's observation, relnorthd's)."""
    with Sandbox() as box:
        expected = observe(box)
    with Sandbox(northd=False) as box, running(box):
        got = observe(box)
    return expected, got


def apply(box: Sandbox, commands) -> None:
    """Each command, then wait until SB has caught up (--wait=sb)."""
    for command in commands:
        box.run_script([command])
        box.sync()


# a new transaction at each datapath or port added: northd numbers those
# new in one run in its hash order
_NEW = ("ls-add", "lr-add", "lsp-add", "lrp-add")


def transactions(commands) -> list[list[list[str]]]:
    """Consecutive ovn-nbctl commands as one transaction each up to the next
    datapath or port added (tunnel keys then do not depend on how a northd
    batches changes); commands with options of their own (`--wait=sb`,
    `-- --id=@x`) and other tools' commands on their own."""
    def joins(command):
        return command[0] == "ovn-nbctl" and not command[1].startswith("-")
    out = []
    for command in commands:
        if joins(command) and out and joins(out[-1][0]) and command[1] not in _NEW:
            out[-1].append(command)
        else:
            out.append([command])
    return out


def apply_transactions(box: Sandbox, commands) -> None:
    """`commands` as `transactions`, waiting for SB after each."""
    for group in transactions(commands):
        if group[0][0] == "ovn-nbctl":
            box.nbctl(*[arg for command in group for arg in ("--", *command[1:])][1:])
        else:
            box.run_script(group)
        box.sync()


def sb_state(box: Sandbox):
    """(flows with datapaths named by datapath name, {name: tunnel key})."""
    sb = mirror.load(box.sb_remote, mirror.SB)
    ids = [dict(r["external_ids"]) for r in sb["Datapath_Binding"].to_pylist()]
    names = {i.get("logical-switch", i.get("logical-router")): i["name"] for i in ids}
    flows = read_sb_flows(sb)
    rename = [sorted(names[u] for u in dps) for dps in flows.column("datapaths").to_pylist()]
    flows = flows.set_column(flows.schema.get_field_index("datapaths"), "datapaths",
                             pa.array(rename, pa.list_(pa.string())))
    keys = {dict(r["external_ids"])["name"]: r["tunnel_key"]
            for r in sb["Datapath_Binding"].to_pylist()}
    return flows, keys, sb


def sb_tables(box: Sandbox) -> dict[str, list]:
    """Every SB table relnorthd run writes but flows, table by table without
    uuids (sbtables.Canonical), named as `named` names them; the datapath
    groups (of flows and load balancers) as their members, so that how many
    rows share one counts."""
    canon = Canonical(mirror.load(box.sb_remote, mirror.SB))
    tables = [t for t, spec in TABLES.items()
              if spec.sync and (not is_child(t) or t == "Logical_DP_Group")]
    return named(box, {t: canon.rows(t) for t in tables})


def named(box: Sandbox, value):
    """`value` (JSON) with NB uuids (of datapaths, load balancers, ACLs...)
    as their rows' table and name, the MACs northd picks at random
    (mac_prefix, svc_monitor_mac) named, and every list sorted: what two
    sandboxes given the same commands have alike."""
    text = json.dumps(value, sort_keys=True)
    nb = mirror.load(box.nb_remote, mirror.NB)
    for name, table in nb.tables.items():
        has_name = "name" in table.column_names
        for row in table.select(["_uuid", "name"] if has_name else ["_uuid"]).to_pylist():
            text = text.replace(row["_uuid"], f"<{name} {row['name'] if has_name else ''}>")
    options = dict(mirror.load(box.sb_remote, mirror.SB)["SB_Global"]
                   .column("options").to_pylist()[0] or ())
    for key in ("mac_prefix", "svc_monitor_mac"):
        if options.get(key):
            text = text.replace(options[key], f"<{key}>")
    return _sorted(json.loads(text))


def _sorted(value):
    """`value` with every list (sets, maps as pairs, rows) sorted, as
    renaming uuids changed their order."""
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=json.dumps)
    return value


def dp_names(sb) -> dict[str, str]:
    """SB Datapath_Binding uuid -> datapath name."""
    return {r["_uuid"]: dict(r["external_ids"])["name"] for r in sb["Datapath_Binding"].to_pylist()}


def reference_state(commands):
    with Sandbox() as box:
        apply(box, commands)
        return sb_state(box)


SCENARIOS = {
    "switches_routers_acls": [
        ["ovn-nbctl", "ls-add", "sw0"], ["ovn-nbctl", "ls-add", "sw1"],
        ["ovn-nbctl", "lr-add", "lr0"],
        ["ovn-nbctl", "lrp-add", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"],
        ["ovn-nbctl", "lsp-add", "sw0", "sw0-lrp0", "--", "lsp-set-type", "sw0-lrp0", "router",
         "--", "lsp-set-addresses", "sw0-lrp0", "router",
         "--", "lsp-set-options", "sw0-lrp0", "router-port=lrp0"],
        ["ovn-nbctl", "lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1",
         "00:00:00:00:00:01 10.0.0.2"],
        ["ovn-nbctl", "acl-add", "sw0", "to-lport", "1000", "ip4.src == 10.0.0.9", "drop"],
        ["ovn-nbctl", "ls-del", "sw1"],
        ["ovn-nbctl", "ls-add", "sw2"],
        ["ovn-nbctl", "set", "logical_switch", "sw2", "other_config:requested-tnl-key=7"],
    ],
}


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_sb_equals_the_reference_sb(commands):
    ref_flows, ref_keys, ref_sb, ref = _reference_sb(commands)
    with Sandbox(northd=False) as box, running(box):
        apply(box, commands)
        _assert_sb_is(box, ref_flows, ref_keys, ref_sb, ref)


def test_sb_equals_the_reference_sb_when_run_unwatches_what_it_writes(monkeypatch):
    """Every transaction committed with the tables run writes unwatched
    (as a first sync at scale is) and read back after: the same SB, and
    the changes after each still planned from what SB has."""
    monkeypatch.setattr(daemon, "UNWATCH_ROWS", 0)
    commands = SCENARIOS["switches_routers_acls"]
    ref_flows, ref_keys, ref_sb, ref = _reference_sb(commands)
    with Sandbox(northd=False) as box, running(box) as northd:
        apply(box, commands)
        _assert_sb_is(box, ref_flows, ref_keys, ref_sb, ref)
        assert any(it.mode == "incremental" for it in northd.iterations)
        assert not converged(box)


def _reference_sb(commands):
    """The reference's SB after `commands`: flows, datapath keys, the
    mirror and every other table (sb_tables)."""
    with Sandbox() as box:
        apply(box, commands)
        return (*sb_state(box), sb_tables(box))


def _assert_sb_is(box, ref_flows, ref_keys, ref_sb, ref) -> None:
    flows, keys, sb = sb_state(box)
    c = compare(flows, ref_flows)
    assert c.equal, (c.totals, c.only_reference[:3], c.only_ours[:3])
    assert keys == ref_keys
    # the flows' groups, and the load balancers' own (never shared)
    assert sb["Logical_DP_Group"].num_rows == ref_sb["Logical_DP_Group"].num_rows
    ours = sb_tables(box)
    for table in ref:
        assert ours[table] == ref[table], table


def vip_row(box):
    """The SB VIP flow (or None) and its datapaths by name; and what
    relnorthd computes for the NB as it is: the VIP flow's switch names."""
    sb = mirror.load(box.sb_remote, mirror.SB)
    nb = mirror.load(box.nb_remote, mirror.NB)
    names = dp_names(sb)
    groups = {r["_uuid"]: r["datapaths"] for r in sb["Logical_DP_Group"].to_pylist()}
    rows = [f for f in sb["Logical_Flow"].to_pylist() if f["match"] == VIP_MATCH]
    assert len(rows) <= 1
    row = rows[0] if rows else None
    dps = (None if row is None else [row["logical_datapath"]] if row["logical_datapath"]
           else groups[row["logical_dp_group"]])
    nb_names = {r["_uuid"]: r["name"] for r in nb["Logical_Switch"].to_pylist()}
    expected = [sorted(nb_names[d] for d in f["datapaths"])
                for f in compute(nb).grouped.expanded().to_pylist() if f["match"] == VIP_MATCH]
    return row, (None if dps is None else sorted(names[d] for d in dps)), \
        (expected[0] if expected else None)


def test_seed_scenario_keeps_the_vip_flow_uuid_while_its_switches_change():
    """... and ends with the reference's SB."""
    reference = _reference_sb([c for step in SEED_STEPS for c in step])
    with Sandbox(northd=False) as box, running(box):
        seen, previous = [], None
        for step in SEED_STEPS:
            apply(box, step)
            row, switches, expected = vip_row(box)
            assert switches == expected
            if row is None:
                previous = None
                continue
            # one switch: logical_datapath; several: a group of exactly them
            assert (row["logical_dp_group"] is None) == (len(switches) == 1)
            if previous is not None:
                assert row["_uuid"] == previous["_uuid"]
            seen.append(switches)
            previous = row
        assert len({tuple(s) for s in seen}) > 2       # its switch set did change
        _assert_sb_is(box, *reference)
        # SB edited behind our back: every flow loses its group; an LB
        # change later, SB is right again
        apply(box, [["ovsdb-client", "transact", json.dumps(
            ["OVN_Southbound", {"op": "update", "table": "Logical_Flow", "where": [],
                                "row": {"logical_dp_group": ["set", []]}}])],
                    ["ovn-nbctl", "lb-add", "lb1", "10.0.0.10:80", "10.0.0.3:80"],
                    ["ovn-nbctl", "ls-lb-add", "sw4", "lb1"],
                    ["ovn-nbctl", "ls-lb-add", "sw5", "lb1"]])
        ours, _, sb = sb_state(box)
        computed = compute(mirror.load(box.nb_remote, mirror.NB)).grouped.flows
        assert ours.num_rows == computed.num_rows
        assert all(f["logical_dp_group"] or f["logical_datapath"]
                   for f in sb["Logical_Flow"].to_pylist())
        row, switches, expected = vip_row(box)
        assert switches == expected and {"sw4", "sw5"} < set(switches)


def test_nb_change_that_alters_no_sb_row_writes_nothing():
    """A switch's external_ids feed no flow and no SB row (a port's would:
    northd copies them into its Port_Binding, and so does relnorthd)."""
    with Sandbox(northd=False) as box, running(box) as northd:
        apply(box, [["ovn-nbctl", "ls-add", "sw0"],
                    ["ovn-nbctl", "lsp-add", "sw0", "p1"]])
        before = len(northd.iterations)
        apply(box, [["ovn-nbctl", "set", "logical_switch", "sw0", "external_ids:foo=bar"]])
        after = northd.iterations[before:]
        assert after and all(it.sb_rows == {} for it in after)
        apply(box, [["ovn-nbctl", "set", "logical_switch_port", "p1", "external_ids:foo=bar"]])
        assert northd.iterations[-1].sb_rows == {"Port_Binding": {"update": 1}}


def test_run_makes_the_global_rows_when_the_databases_have_none():
    """NB_Global and SB_Global gone (the sandbox makes them up front):
    relnorthd inserts both, as northd does, and the nb_cfg handshake then
    works."""
    with Sandbox(northd=False) as box:
        for db, table in (("OVN_Northbound", "NB_Global"), ("OVN_Southbound", "SB_Global")):
            box.transact(json.dumps([db, {"op": "delete", "table": table, "where": []}]))
        with running(box):
            # both rows there before ovn-nbctl runs, which would make one too
            deadline = time.monotonic() + CONVERGED_WITHIN
            while not _global_rows(box) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _global_rows(box)
            apply(box, [["ovn-nbctl", "ls-add", "sw0"]])
            nb_global, sb_global = _global_rows(box)
        assert nb_global["sb_cfg"] == nb_global["nb_cfg"] == sb_global["nb_cfg"] > 0
        assert "northd_internal_version" in dict(sb_global["options"])


def _global_rows(box) -> tuple[dict, dict] | None:
    """(NB_Global, SB_Global) once both exist."""
    nb = mirror.load(box.nb_remote, mirror.NB)["NB_Global"].to_pylist()
    sb = mirror.load(box.sb_remote, mirror.SB)["SB_Global"].to_pylist()
    return (nb[0], sb[0]) if nb and sb else None


def test_second_instance_stands_by_until_the_first_goes():
    with Sandbox(northd=False) as box:
        first_run = running(box, "first")
        first = first_run.__enter__()
        apply(box, [["ovn-nbctl", "ls-add", "sw0"]])       # first holds the lock
        with running(box, "second") as second:
            apply(box, [["ovn-nbctl", "ls-add", "sw1"]])
            assert len(first.iterations) >= 2 and not second.iterations
            first_run.__exit__(None, None, None)           # lock released
            apply(box, [["ovn-nbctl", "ls-add", "sw2"]])
            assert second.iterations
        _, keys, _ = sb_state(box)
        assert keys == {"sw0": 1, "sw1": 2, "sw2": 3}


def test_adopts_an_sb_the_reference_wrote():
    """Start-up on a non-empty SB: flows that stay keep their rows and
    uuids, a stale datapath goes with the ports and multicast groups bound
    to it, and SB ends up as relnorthd computes it."""
    commands = SCENARIOS["switches_routers_acls"]
    with Sandbox() as box:
        apply(box, commands)
        _, ref_keys, ref_sb = sb_state(box)
        box.stop_daemon("northd")
        box.nbctl("ls-del", "sw0")            # its datapath, ports and groups go stale
        with running(box) as northd:
            box.sync()
            flows, keys, sb = sb_state(box)
            first = northd.iterations[0].sb_rows
            computed = _named(compute(mirror.load(box.nb_remote, mirror.NB))
                              .grouped.expanded(), box)
    assert keys == {k: v for k, v in ref_keys.items() if k != "sw0"}
    assert first["Datapath_Binding"] == {"delete": 1}
    # sw0's two ports go; lrp0 loses its peer option
    assert first["Port_Binding"] == {"delete": 2, "update": 1}
    assert first["Multicast_Group"]["delete"] > 0
    lrp0 = next(r for r in sb["Port_Binding"].to_pylist() if r["logical_port"] == "lrp0")
    assert dict(lrp0["options"]) == {}
    assert compare(flows, computed).equal
    before = {_flow_key(f): f["_uuid"] for f in ref_sb["Logical_Flow"].to_pylist()}
    after = {_flow_key(f): f["_uuid"] for f in sb["Logical_Flow"].to_pylist()}
    stayed = before.keys() & after.keys()
    assert len(stayed) > len(after) / 2
    assert all(before[k] == after[k] for k in stayed)


def _flow_key(f):
    return (dict(f["external_ids"])["stage-name"], f["priority"], f["match"], f["actions"],
            f["controller_meter"])


def test_sb_server_restart_converges():
    with Sandbox(northd=False) as box, running(box) as northd:
        apply(box, [["ovn-nbctl", "ls-add", "sw0"]])
        box.restart_server("sb")
        apply(box, [["ovn-nbctl", "ls-add", "sw1"],
                    ["ovn-nbctl", "lb-add", "lb1", "10.0.0.10:80", "10.0.0.3:80"],
                    ["ovn-nbctl", "ls-lb-add", "sw0", "lb1"]])
        flows, keys, _ = sb_state(box)
        computed = compute(mirror.load(box.nb_remote, mirror.NB)).grouped.expanded()
        assert keys == {"sw0": 1, "sw1": 2}
        assert compare(flows, _named(computed, box)).equal
        assert northd.iterations


def _named(flows, box):
    nb = mirror.load(box.nb_remote, mirror.NB)
    names = {r["_uuid"]: r["name"] for t in ("Logical_Switch", "Logical_Router")
             for r in nb[t].to_pylist()}
    rename = [sorted(names[u] for u in dps) for dps in flows.column("datapaths").to_pylist()]
    return flows.set_column(flows.schema.get_field_index("datapaths"), "datapaths",
                            pa.array(rename, pa.list_(pa.string())))


def test_changes_rerun_only_the_rules_they_feed():
    """A static route or an ACL reruns only the rules reading those tables
    (incremental); a forced full recompute afterwards writes nothing."""
    with Sandbox(northd=False) as box, running(box) as northd:
        apply(box, [["ovn-nbctl", "ls-add", "sw0"], ["ovn-nbctl", "lr-add", "lr0"],
                    ["ovn-nbctl", "lrp-add", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"]])
        for change in (["ovn-nbctl", "lr-route-add", "lr0", "192.168.0.0/16", "10.0.0.254"],
                       ["ovn-nbctl", "acl-add", "sw0", "to-lport", "1001", "ip4", "drop"]):
            apply(box, [change])
            assert northd.iterations[-1].mode == "incremental"
            assert northd.iterations[-1].sb_rows["Logical_Flow"]
            northd.force_recompute = True
            box.sync()
            assert (northd.iterations[-1].mode, northd.iterations[-1].sb_rows) == ("recompute", {})


def test_cli_run_serves_wait_sb_and_logs_its_iterations():
    import signal
    import subprocess
    import sys
    with Sandbox(northd=False) as box:
        proc = subprocess.Popen([sys.executable, "-c", "from relnorthd.cli import app; app()",
                                 "run",
                                 f"--ovnnb-db=unix:{box.dir}/gone.sock,unix:{box.nb_sock}",
                                 f"--ovnsb-db=unix:{box.sb_sock}"],
                                stderr=subprocess.PIPE, text=True)
        try:
            box.nbctl("--timeout=60", "--wait=sb", "ls-add", "sw0")
            flows, keys, _ = sb_state(box)
        finally:
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
    assert keys == {"sw0": 1} and flows.num_rows > 0
    assert "iteration 1: recompute" in err and "Logical_Flow insert" in err


def test_cli_run_wants_servers(tmp_path):
    from typer.testing import CliRunner

    from relnorthd.cli import app
    res = CliRunner().invoke(app, ["run", "--ovnnb-db", str(tmp_path / "nb.db"),
                                   "--ovnsb-db", str(tmp_path / "sb.db")])
    assert res.exit_code == 2 and "ovsdb-server remotes" in res.output


def test_datapath_load_balancers_are_emptied_on_switches_only():
    """Datapath_Binding.load_balancers is no longer used: northd empties it
    on switches (whoever set it) and leaves routers' as they are."""
    def observe(box):
        apply(box, [["ovn-nbctl", "ls-add", "sw0"], ["ovn-nbctl", "lr-add", "lr0"],
                    ["ovn-nbctl", "lb-add", "lb1", "10.0.0.10:80", "10.0.0.3:80"],
                    ["ovn-nbctl", "ls-lb-add", "sw0", "lb1"],
                    ["ovn-nbctl", "lr-lb-add", "lr0", "lb1"]])
        lb = mirror.load(box.sb_remote, mirror.SB)["Load_Balancer"]["_uuid"][0].as_py()
        apply(box, [["ovsdb-client", "transact", json.dumps(
            ["OVN_Southbound", {"op": "update", "table": "Datapath_Binding", "where": [],
                                "row": {"load_balancers": ["set", [["uuid", lb]]]}}])],
                    ["ovn-nbctl", "ls-add", "sw1"]])
        _, _, sb = sb_state(box)
        return {dict(r["external_ids"])["name"]: len(r["load_balancers"])
                for r in sb["Datapath_Binding"].to_pylist()}
    expected, got = reference_and_ours(observe)
    assert expected == {"sw0": 0, "sw1": 0, "lr0": 1}
    assert got == expected
