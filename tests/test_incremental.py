"""Rule-level incremental computation (relnorthd.incremental): which rules a
change feeds, and that rerunning only those gives what a full compute
gives, on NB files (no servers)."""
import ipaddress
import random

import pyarrow as pa
import pytest

from relnorthd import mirror, profiles, rules
from relnorthd.compare import compare
from relnorthd.generate import row_uuid, uuid_set, write_nb
from relnorthd.dependencies import lib_graph, rule_inputs
from relnorthd.incremental import affected, recompute
from relnorthd.libstate import LibState, connect
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
    assert len(affected({"NB_Global": {"options"}})) == len(inputs)
    assert stems({"NB_Global": {"external_ids"}}) == set()


def _cluster_nb(tmp_path, name: str, edit=None):
    """The ovn-k8s-cluster profile's NB at 3 nodes, edited by `edit(tables)`."""
    tables = profiles.PROFILES["ovn-k8s-cluster"](3, random.Random(0))
    if edit is not None:
        edit(tables)
    path = tmp_path / f"{name}.db"
    write_nb(path, tables)
    return mirror.load(str(path), mirror.NB)


def _node0(tables) -> dict:
    return next(r for r in tables["Logical_Switch"].values() if r["name"] == "node0")


def _add_acl(tables) -> None:
    """One more ACL on node0 (a change to the ACL table and to the switch's
    acls column)."""
    acl = row_uuid("test-acl", 0)
    tables["ACL"][acl] = {"direction": "to-lport", "priority": 1002,
                          "match": "ip4.src == 10.128.0.9", "action": "drop"}
    _node0(tables)["acls"] = uuid_set([acl])


def _add_port(tables) -> None:
    port = row_uuid("extra-port", 0)
    tables["Logical_Switch_Port"][port] = {
        "name": "extra-port", "addresses": ["set", ["0a:58:0a:80:00:fe 10.128.0.254"]]}
    node0 = _node0(tables)
    node0["ports"] = uuid_set([m[1] for m in node0["ports"][1]] + [port])


def _steps(tmp_path, edit, direction: str):
    """(NB before, NB after) for adding what `edit` adds, or removing it."""
    plain, edited = _cluster_nb(tmp_path, "plain"), _cluster_nb(tmp_path, "edited", edit)
    return (plain, edited) if direction == "add" else (edited, plain)


def _rows(table: pa.Table) -> list[tuple]:
    return sorted(tuple(str(v) for v in r.values()) for r in table.to_pylist())


def _incremental(tmp_path, edit, direction: str, changed):
    """The incremental result of the step, after checking it equals a full
    compute's, flow for flow and row for row."""
    before, after = _steps(tmp_path, edit, direction)
    result, mode = recompute(after, None, compute(before, track=True), changed)
    assert mode == "incremental"
    full = compute(after)
    assert compare(result.grouped.expanded(), full.grouped.expanded()).equal
    assert _rows(result.flows) == _rows(full.flows)
    return result


@pytest.mark.parametrize("direction", ["add", "remove"])
def test_incremental_equals_full_compute(tmp_path, direction):
    result = _incremental(tmp_path, _add_acl, direction,
                          {"ACL": {"*"}, "Logical_Switch": {"acls"}})
    assert pa.compute.sum(pa.compute.equal(result.flows["rule"], "consider_acl")).as_py() > 0


def test_a_change_no_rule_reads_keeps_the_previous_result(tmp_path):
    nb = _cluster_nb(tmp_path, "plain")
    previous = compute(nb)
    result, mode = recompute(nb, None, previous, {"NB_Global": {"external_ids"}})
    assert (mode, result.grouped) == ("incremental", previous.grouped)
    assert recompute(nb, None, previous, None)[1] == "recompute"


def _port_ids(tables) -> None:
    """external_ids on node0's first pod port."""
    port = min(u for u, r in tables["Logical_Switch_Port"].items()
               if r["name"].startswith("ns0_node0"))
    tables["Logical_Switch_Port"][port]["external_ids"] = ["map", [["foo", "bar"]]]


def test_relations_computed_again_with_the_same_content_rerun_nothing(tmp_path):
    """A port's external_ids are named by lib statements that read ports
    (so the column analysis reaches many rules), but no lib relation's
    content changes: no rule runs again (early cutoff), and the result is
    the full compute's."""
    before, after = _steps(tmp_path, _port_ids, "add")
    changed = {"Logical_Switch_Port": {"external_ids"}}
    assert len(stems(changed)) > 10
    result, mode = recompute(after, None, compute(before, track=True), changed)
    assert (mode, result.rules_run) == ("incremental", ())
    full = compute(after)
    assert compare(result.grouped.expanded(), full.grouped.expanded()).equal
    ids = {r["logical_port"]: r["external_ids"] for r in result.sb_rows["Port_Binding"].to_pylist()}
    assert ("foo", "bar") in sum(ids.values(), [])
    # an ACL reruns the rules that read ACLs or the relations ACLs feed
    acl_before, acl_after = _steps(tmp_path, _add_acl, "add")
    result, _ = recompute(acl_after, None, compute(acl_before, track=True),
                          {"ACL": {"*"}, "Logical_Switch": {"acls"}})
    assert 0 < len(result.rules_run) < len(stems({"ACL": {"*"}, "Logical_Switch": {"acls"}}))


def _members(row: dict, column: str) -> list[str]:
    members = row.get(column, ["set", []])
    return [m[1] for m in (members[1] if members and members[0] == "set" else [members])]


def _new_port(tables: dict, ls: dict, name: str, **row) -> None:
    uuid = row_uuid(name, 0)
    tables["Logical_Switch_Port"][uuid] = {"name": name, **row}
    ls["ports"] = uuid_set(_members(ls, "ports") + [uuid])


def _set_option(row: dict, key: str, value: str) -> None:
    options = row.get("options", ["map", []])[1]
    row["options"] = ["map", [*options, [key, value]]]


def _with_rare_features(tables: dict) -> dict:
    """A profile's rows plus what the profiles lack: a disabled port with an
    unknown address (FDB learning), an allow-stateless ACL, an LB VIP
    without backends that asks for events, a port with DHCPv6 options, a
    "MAC dynamic" port; all on the first switch. An interconnection transit switch with mcast_snoop
    and a remote port. With router-type ports: arp_proxy on the first, and
    a virtual port (virtual-ip in its peer's network) next to it; with a
    localnet port: an external port next to it; with a dnat_and_snat NAT:
    add_route on the first."""
    switch = min(tables["Logical_Switch"])
    ls = tables["Logical_Switch"][switch]
    acl, lb, dhcp = row_uuid("rare-acl", 0), row_uuid("rare-lb", 0), row_uuid("rare-dhcp6", 0)
    _new_port(tables, ls, "rare-port", addresses=["set", ["unknown"]], enabled=False)
    _new_port(tables, ls, "rare-dynamic", addresses="0a:00:00:99:00:04 dynamic")
    tables.setdefault("ACL", {})[acl] = {"direction": "from-lport", "priority": 1,
                                         "match": "udp", "action": "allow-stateless"}
    tables.setdefault("Load_Balancer", {})[lb] = {
        "name": "rare-lb", "vips": ["map", [["10.99.99.99:80", ""]]],
        "options": ["map", [["event", "true"]]]}
    for column, uuid in (("acls", acl), ("load_balancer", lb)):
        ls[column] = uuid_set(_members(ls, column) + [uuid])
    tables.setdefault("DHCP_Options", {})[dhcp] = {
        "cidr": "fd00:99::/64", "options": ["map", [["server_id", "0a:00:00:99:00:01"]]]}
    _new_port(tables, ls, "rare-dhcp6", addresses="0a:00:00:99:00:02 fd00:99::2",
              dhcpv6_options=uuid_set([dhcp]))
    ts = {"name": "rare-ts", "other_config": ["map", [["interconn-ts", "rare-ts"],
                                                      ["mcast_snoop", "true"]]]}
    tables["Logical_Switch"][row_uuid("rare-ts", 0)] = ts
    _new_port(tables, ts, "rare-remote", type="remote")
    lsps = tables["Logical_Switch_Port"]
    switch_of = {port: row for row in tables["Logical_Switch"].values()
                 for port in _members(row, "ports")}
    routers = sorted(u for u, r in lsps.items() if r.get("type") == "router")
    if routers:
        port = lsps[routers[0]]
        _set_option(port, "arp_proxy", "169.254.99.1")
        peer_name = dict(port["options"][1])["router-port"]
        peer = next(r for r in tables["Logical_Router_Port"].values() if r["name"] == peer_name)
        vip = ipaddress.ip_interface(peer["networks"]).network[-2]
        _new_port(tables, switch_of[routers[0]], "rare-virtual", type="virtual",
                  options=["map", [["virtual-ip", str(vip)],
                                   ["virtual-parents", port["name"]]]])
    localnets = sorted(u for u, r in lsps.items() if r.get("type") == "localnet")
    if localnets:
        _new_port(tables, switch_of[localnets[0]], "rare-external", type="external",
                  addresses="0a:00:00:99:00:03 169.254.99.3")
    nats = sorted(u for u, r in tables.get("NAT", {}).items() if r["type"] == "dnat_and_snat")
    if nats:
        _set_option(tables["NAT"][nats[0]], "add_route", "true")
    return tables


def test_per_owner_declarations_hold(tmp_path):
    """Every rule that declares per-owner relations (`-- Per owner:`), run
    for a random half of the keys of those relations, gives exactly the
    full run's rows of those owners; and every row's owner is such a key.
    On NBs of several profiles, where each such rule has rows."""
    rng = random.Random(1)
    producing = set()
    for profile, scale in [("ovn-k8s-cluster", 3), ("ovn-k8s", 2), ("openstack", 2),
                           ("ovn-k8s-services", 2), ("l2", 3)]:
        path = tmp_path / f"{profile}.db"
        write_nb(path, _with_rare_features(profiles.PROFILES[profile](scale, random.Random(0))))
        con = connect(mirror.load(str(path), mirror.NB))
        for rule, pairs in rules.per_owner().items():
            full = rules.run(con, [rule])
            keys = sorted({k for rel, key in pairs
                           for (k,) in con.sql(f"SELECT DISTINCT CAST({key} AS VARCHAR) "
                                               f"FROM {rel}").fetchall()})
            assert set(full["owner"].to_pylist()) <= set(keys), rule.stem
            owners = sorted(set(full["owner"].to_pylist()))
            some = frozenset(rng.sample(keys, len(keys) // 2) + owners[:1])  # some rows
            scoped = rules.run(con, [], [rule], some)
            expected = full.filter(pa.compute.is_in(full["owner"],
                                                    pa.array(sorted(some), pa.string())))
            assert _rows(scoped) == _rows(expected), (profile, rule.stem)
            if expected.num_rows:
                producing.add(rule.stem)
        con.close()
    assert producing == {r.stem for r in rules.per_owner()}


@pytest.mark.parametrize("direction", ["add", "remove"])
def test_a_new_or_deleted_port_reruns_per_port_rules_for_that_port_only(tmp_path, direction):
    result = _incremental(tmp_path, _add_port, direction,
                          {"Logical_Switch_Port": {"*"}, "Logical_Switch": {"ports"}})
    assert "build_lswitch_port_sec_op" in result.scoped_run
    assert result.owners_run == {row_uuid("extra-port", 0)}


@pytest.mark.parametrize("edit,changed", [
    (_add_port, {"Logical_Switch_Port": {"*"}, "Logical_Switch": {"ports"}}),
    (_add_acl, {"ACL": {"*"}, "Logical_Switch": {"acls"}}),
    (_port_ids, {"Logical_Switch_Port": {"external_ids"}}),
])
def test_maintained_lib_relations_equal_a_fresh_load(tmp_path, edit, changed):
    """A LibState updated for a change holds every lib and Python relation
    as a fresh load of the changed NB does (fingerprints), having replayed
    only some of the lib statements."""
    for before, after in (_steps(tmp_path, edit, "add"), _steps(tmp_path, edit, "remove")):
        state = compute(before, track=True).state
        state.update(after, None, changed)
        fresh = LibState()
        fresh.update(after, None, None)
        assert state.prints == fresh.prints
        assert {k: _rows(v) for k, v in state.keyed.items()} == \
            {k: _rows(v) for k, v in fresh.keyed.items()}
        assert 0 < len(state.replayed) < sum(map(len, lib_graph().steps)) / 2
