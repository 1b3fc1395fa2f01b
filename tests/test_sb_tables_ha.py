"""SB HA_Chassis_Group (with its HA_Chassis), BFD, Mirror and Port_Binding
rows (sql/sb/) as ovn-northd 23.03.1 writes them, table by table, after each
step of two scenarios run through the reference: gateway ports with
gateway_chassis or an HA chassis group, external ports, chassis coming and
going and binding ports (ref_chassis); BFD sessions and port mirrors. northd
writes no SB Gateway_Chassis rows: the reference's table stays empty."""
import json

import pytest
from conftest import link, nb, sb

from relnorthd import mirror
from relnorthd.pipeline import compute_sb_rows
from relnorthd.reference import Sandbox
from relnorthd.sbtables import Canonical, canonical_table

pytestmark = pytest.mark.usefixtures("reference_available")


def ha_group(group, port, table="Logical_Router_Port"):
    """Point a router or switch port at the NB HA_Chassis_Group `group`."""
    return nb("--", "--id=@g", "get", "HA_Chassis_Group", group,
              "--", "set", table, port, "ha_chassis_group=@g")


def new_group(group, *members):
    """An NB HA_Chassis_Group of (chassis, priority) members."""
    return [nb("ha-chassis-group-add", group),
            *(nb("ha-chassis-group-add-chassis", group, c, str(p)) for c, p in members)]


def bfd(port, dst_ip, *columns):
    return nb("--", "create", "BFD", f"logical_port={port}", f"dst_ip={dst_ip}", *columns)


HA_STEPS = {
    "setup": [
        sb("chassis-add", "ch1", "geneve", "127.0.0.1"),
        sb("chassis-add", "ch2", "geneve", "127.0.0.2"),
        sb("chassis-add", "ch3", "geneve", "127.0.0.3"),
        # lr0: a gateway port with gateway_chassis (one not in SB), joined
        # to lr1 through the switch `transit`
        nb("ls-add", "sw0"), nb("ls-add", "pub"), nb("ls-add", "transit"), nb("ls-add", "sw1"),
        nb("lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1", "00:00:00:00:00:01"),
        nb("lsp-add", "sw1", "q1", "--", "lsp-set-addresses", "q1", "00:00:00:00:01:01"),
        nb("lr-add", "lr0"),
        *link("sw0", "lr0", "lr0-sw0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        *link("pub", "lr0", "lr0-pub", "00:00:00:00:ff:02", "172.16.0.1/24"),
        nb("lrp-set-gateway-chassis", "lr0-pub", "ch1", "20"),
        nb("lrp-set-gateway-chassis", "lr0-pub", "ch2", "10"),
        nb("lrp-set-gateway-chassis", "lr0-pub", "gone", "5"),
        *link("transit", "lr0", "lr0-tr", "00:00:00:00:ff:03", "192.168.0.1/24"),
        # lr1: an HA chassis group on its gateway port (bridged redirects),
        # and gateway_chassis it ignores on another
        *new_group("hg1", ("ch2", 30), ("ch1", 20)),
        nb("lr-add", "lr1"),
        *link("transit", "lr1", "lr1-tr", "00:00:00:00:ff:04", "192.168.0.2/24"),
        *link("sw1", "lr1", "lr1-sw1", "00:00:00:00:ff:06", "10.1.0.1/24"),
        nb("lrp-add", "lr1", "lr1-pub", "00:00:00:00:ff:05", "172.17.0.1/24"),
        ha_group("hg1", "lr1-pub"), nb("lrp-set-redirect-type", "lr1-pub", "bridged"),
        *new_group("hg3", ("ch3", 1), ("ch1", 2)),
        nb("lrp-add", "lr1", "lr1-pub2", "00:00:00:00:ff:07", "172.18.0.1/24"),
        ha_group("hg3", "lr1-pub2"), nb("lrp-set-gateway-chassis", "lr1-pub2", "ch2", "9"),
        # lr3, peered with lr1 directly
        nb("lr-add", "lr3"), nb("ls-add", "sw3"),
        nb("lsp-add", "sw3", "s1", "--", "lsp-set-addresses", "s1", "00:00:00:00:03:01"),
        *link("sw3", "lr3", "lr3-sw3", "00:00:00:00:fc:01", "10.3.0.1/24"),
        nb("lrp-add", "lr1", "lr1-lr3", "00:00:00:00:fc:02", "192.168.1.1/30", "peer=lr3-lr1"),
        nb("lrp-add", "lr3", "lr3-lr1", "00:00:00:00:fc:03", "192.168.1.2/30", "peer=lr1-lr3"),
        # lr2, apart: a gateway port of one chassis; a group of none
        nb("lr-add", "lr2"), nb("ls-add", "sw2"),
        nb("lsp-add", "sw2", "r1", "--", "lsp-set-addresses", "r1", "00:00:00:00:02:01"),
        *link("sw2", "lr2", "lr2-sw2", "00:00:00:00:fe:01", "10.2.0.1/24"),
        nb("lrp-add", "lr2", "lr2-pub", "00:00:00:00:fe:02", "172.19.0.1/24"),
        nb("lrp-set-gateway-chassis", "lr2-pub", "ch3", "1"),
        nb("ha-chassis-group-add", "empty"),
        nb("lrp-add", "lr2", "lr2-pub2", "00:00:00:00:fe:03", "172.20.0.1/24"),
        ha_group("empty", "lr2-pub2"),
        # a gateway router's port with gateway_chassis: no chassis-redirect
        # port, no group
        nb("lr-add", "gr0"), nb("set", "Logical_Router", "gr0", "options:chassis=ch1"),
        nb("lrp-add", "gr0", "gr0-pub", "00:00:00:00:fd:01", "172.21.0.1/24"),
        nb("lrp-set-gateway-chassis", "gr0-pub", "ch2", "1"),
        # external ports with and without a group; a group nobody uses
        *new_group("hg2", ("ch1", 7)), *new_group("unused", ("ch2", 1), ("ch3", 2)),
        nb("lsp-add", "sw0", "ext1", "--", "lsp-set-type", "ext1", "external"),
        ha_group("hg2", "ext1", "Logical_Switch_Port"),
        nb("lsp-add", "sw0", "ext2", "--", "lsp-set-type", "ext2", "external"),
        nb("lsp-add", "sw2", "vif2", "--", "set", "Logical_Switch_Port", "vif2",
           "type=localport"),
        ha_group("unused", "vif2", "Logical_Switch_Port"),
        # bound ports: ref_chassis of the groups of lr0 and lr1
        sb("lsp-bind", "p1", "ch2"), sb("lsp-bind", "r1", "ch1"), sb("lsp-bind", "s1", "ch1"),
    ],
    "chassis_and_bindings": [
        sb("chassis-del", "ch2"), sb("lsp-bind", "q1", "ch3"),
        nb("lrp-set-gateway-chassis", "lr0-pub", "ch1", "30"),
        nb("lrp-del-gateway-chassis", "lr0-pub", "gone"),
        nb("ha-chassis-group-remove-chassis", "hg1", "ch1"),
        nb("ha-chassis-group-add-chassis", "hg1", "ch3", "15"),
    ],
    "groups_dropped": [
        nb("clear", "Logical_Router_Port", "lr1-pub2", "ha_chassis_group"),
        nb("clear", "Logical_Router_Port", "lr1-pub", "ha_chassis_group"),
        nb("lsp-set-type", "ext1", ""),
        nb("lrp-del-gateway-chassis", "lr2-pub", "ch3"),
        sb("chassis-add", "ch2", "geneve", "127.0.0.2"),
        nb("lrp-set-gateway-chassis", "lr2-pub", "ch1", "1"),
        nb("lrp-set-gateway-chassis", "lr2-pub", "ch2", "2"),
    ],
}

def nb_transact(*ops):
    """One NB transaction of raw OVSDB operations (ovn-nbctl finds BFD and
    Mirror rows by uuid only)."""
    return ["ovsdb-client", "transact", json.dumps(["OVN_Northbound", *ops])]


def bfd_row(port, dst_ip, **columns):
    return {"op": "insert", "table": "BFD",
            "row": {"logical_port": port, "dst_ip": dst_ip, **columns}}


def bfd_where(dst_ip):
    return [["dst_ip", "==", dst_ip]]


BFD_STEPS = {
    "setup": [
        nb("ls-add", "sw0"), nb("lr-add", "lr0"),
        nb("lsp-add", "sw0", "p1"), nb("lsp-add", "sw0", "p2"), nb("lsp-add", "sw0", "p3"),
        *link("sw0", "lr0", "lr0-sw0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        nb("lrp-add", "lr0", "lr0-pub", "00:00:00:00:ff:02", "172.16.0.1/24"),
        nb_transact(bfd_row("lr0-pub", "172.16.0.2"),
                    bfd_row("lr0-pub", "172.16.0.3", min_tx=250, min_rx=300, detect_mult=3),
                    bfd_row("lr0-sw0", "10.0.0.9", status="down"),
                    bfd_row("nowhere", "10.9.9.9", external_ids=["map", [["owner", "test"]]])),
        nb("mirror-add", "m1", "gre", "1", "to-lport", "10.0.0.100"),
        nb("mirror-add", "m2", "erspan", "2", "from-lport", "10.0.0.101"),
        nb("mirror-add", "m3", "gre", "3", "from-lport", "10.0.0.102"),
        nb("lsp-attach-mirror", "p1", "m1"), nb("lsp-attach-mirror", "p1", "m2"),
        nb("lsp-attach-mirror", "p2", "m2"),
    ],
    "changes": [
        # one transaction: a session goes (its source port stays taken
        # meanwhile), three come, two change
        nb_transact({"op": "delete", "table": "BFD", "where": bfd_where("172.16.0.2")},
                    bfd_row("lr0-pub", "172.16.0.4"), bfd_row("lr0-pub", "172.16.0.5"),
                    bfd_row("lr0-sw0", "10.0.0.10", min_rx=10),
                    {"op": "update", "table": "BFD", "where": bfd_where("172.16.0.3"),
                     "row": {"min_tx": 1, "detect_mult": ["set", []]}},
                    {"op": "update", "table": "BFD", "where": bfd_where("10.0.0.9"),
                     "row": {"status": "admin_down"}}),
        nb("mirror-del", "m3"), nb("lsp-detach-mirror", "p1", "m2"),
        nb_transact({"op": "update", "table": "Mirror", "where": [["name", "==", "m1"]],
                     "row": {"sink": "10.0.0.200", "index": 7, "filter": "from-lport"}}),
        # a new mirror and a port attached to it at once (the port names it
        # once SB has it, an iteration later)
        nb("mirror-add", "m4", "gre", "4", "to-lport", "10.0.0.104",
           "--", "lsp-attach-mirror", "p3", "m4"),
    ],
    # a session's status: a static route uses it (northd sets NB's to
    # down, then SB's), ovn-controller reports it up, the route stops
    # using it (admin_down, NB then SB)
    "routed": [nb("--bfd", "lr-route-add", "lr0", "192.168.100.0/24", "172.16.0.3")],
    "controller_up": [["ovsdb-client", "transact", json.dumps(["OVN_Southbound", {
        "op": "update", "table": "BFD", "where": bfd_where("172.16.0.3"),
        "row": {"status": "up"}}])]],
    "unrouted": [nb_transact({"op": "update", "table": "Logical_Router_Static_Route",
                              "where": [["ip_prefix", "==", "192.168.100.0/24"]],
                              "row": {"bfd": ["set", []]}})],
}
# the steps that change only NB: northd's SB from the step before is its input
NB_ONLY = ["changes", "routed", "unrouted"]


def run_steps(steps):
    """The reference's (step, NB, SB) after each step of `steps`."""
    out = []
    with Sandbox() as box:
        for name, commands in steps.items():
            box.run_script(commands)
            box.sync()
            box.sync()      # and the iteration northd's own SB changes call for
            out.append((name, mirror.load(box.nb_remote, mirror.NB),
                        mirror.load(box.sb_remote, mirror.SB)))
    return out


@pytest.fixture(scope="module")
def ha_runs():
    return run_steps(HA_STEPS)


@pytest.fixture(scope="module")
def bfd_runs():
    return run_steps(BFD_STEPS)


def assert_tables_equal(nb_db, sb_db, tables):
    ours, want = compute_sb_rows(nb_db, sb_db), Canonical(sb_db)
    for table in tables:
        assert canonical_table(ours[table], table, sb_db) == want.rows(table), table


@pytest.mark.parametrize("step", list(HA_STEPS))
def test_ha_chassis_groups_and_port_bindings(ha_runs, step):
    _, nb_db, sb_db = next(r for r in ha_runs if r[0] == step)
    assert_tables_equal(nb_db, sb_db, ["HA_Chassis_Group", "Port_Binding"])
    assert sb_db["Gateway_Chassis"].num_rows == 0
    if step == "setup":       # the scenario exercises what it says
        groups = {g["name"]: g for g in Canonical(sb_db).rows("HA_Chassis_Group")}
        assert set(groups) == {"lr0-pub", "hg1", "hg2", "hg3", "lr2-pub", "empty"}
        # p1's and s1's chassis, for lr0 and lr1 (joined through `transit`,
        # lr3 peered with lr1); lr2's group has one chassis
        assert groups["lr0-pub"]["ref_chassis"] == groups["hg1"]["ref_chassis"] == ["ch1", "ch2"]
        assert groups["lr2-pub"]["ref_chassis"] == []
        assert any(h["chassis"] is None for h in groups["lr0-pub"]["ha_chassis"])


@pytest.mark.parametrize("step", list(BFD_STEPS))
def test_bfd_mirror_and_port_bindings(bfd_runs, step):
    _, nb_db, sb_db = next(r for r in bfd_runs if r[0] == step)
    assert_tables_equal(nb_db, sb_db, ["BFD", "Mirror", "Port_Binding"])


@pytest.mark.parametrize("step", NB_ONLY)
def test_bfd_sessions_from_the_sb_before(bfd_runs, step):
    """From the SB before an NB change: sessions kept as the reference
    leaves them (status included), new ones on the source ports it gave
    them, with some discriminator (northd draws it at random; which new
    session gets which port follows its hash order of NB rows, which a
    snapshot does not fully tell)."""
    n = next(i for i, r in enumerate(bfd_runs) if r[0] == step)
    (_, _, before), (_, nb_db, after) = bfd_runs[n - 1], bfd_runs[n]
    ours = canonical_table(compute_sb_rows(nb_db, before)["BFD"], "BFD", after)
    want = Canonical(after).rows("BFD")
    old = {(r["logical_port"], r["dst_ip"]) for r in before["BFD"].to_pylist()}

    def split(rows):
        kept = [r for r in rows if (r["logical_port"], r["dst_ip"]) in old]
        new = sorted(({**r, "disc": None, "src_port": None} for r in rows if r not in kept),
                     key=lambda r: json.dumps(r, sort_keys=True))
        return kept, new, sorted(r["src_port"] for r in rows if r not in kept)

    assert split(ours) == split(want)
    assert all(r["disc"] for r in ours)
    if step == "changes":
        assert len(split(want)[1]) == 3
    else:                       # the status northd sets
        assert {r["status"] for r in want if r["dst_ip"] == "172.16.0.3"} == {
            "routed": {"down"}, "unrouted": {"admin_down"}}[step]
