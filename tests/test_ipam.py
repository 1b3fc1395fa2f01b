"""IPAM (relnorthd/ipam.py) against ovn-northd 23.03.1: on NBs northd has
never processed, the `dynamic_addresses` and container `tag`s relnorthd
allocates equal the ones the reference writes to NB, and the flows relnorthd
computes from the unprocessed NB equal the reference's SB flows, step after
step (a fresh northd per step, as each step's NB is a new input); `relnorthd
run` writes the same values to NB."""
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import differential_examples, insert_datapath
from relnorthd import mirror
from relnorthd.compare import compare
from relnorthd.ipam import allocate, nb_mac_prefix
from relnorthd.pipeline import compute
from relnorthd.reference import Sandbox
from relnorthd.sbflows import read_sb_flows
from test_run import running

pytestmark = pytest.mark.usefixtures("reference_available")


def nb(*args):
    return ["ovn-nbctl", *args]


def vif(sw, name, *addresses):
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, *addresses)]


def other_config(sw, *pairs):
    return nb("set", "logical_switch", sw, *(f"other_config:{p}" for p in pairs))


def router_on(sw, lrp, mac, *networks):
    lsp = f"{sw}-{lrp}"
    return [nb("lrp-add", "lr0", lrp, mac, *networks),
            nb("lsp-add", sw, lsp), nb("lsp-set-type", lsp, "router"),
            nb("lsp-set-options", lsp, f"router-port={lrp}"),
            nb("lsp-set-addresses", lsp, "router")]


PREFIX = nb("set", "nb_global", ".", "options:mac_prefix=0a:11:22")


def datapaths(*names):
    """Switches (and lr0) in distinct hash buckets, in this order: northd
    allocates switch by switch in its datapath hash order (README)."""
    return [insert_datapath("Logical_Router" if n == "lr0" else "Logical_Switch", n, i)
            for i, n in enumerate(names)]


SEQUENCES = {
    # IPv4 pool with exclude_ips, IPv6 prefix, mac_only, every dynamic form,
    # a static address and a router port holding MACs and IPs of the pool;
    # then a smaller subnet, deletions, changed forms; then the pool and
    # mac_only removed and another mac_prefix.
    "dual_stack_pool_changes": [
        [PREFIX, *datapaths("sw2", "sw0", "lr0", "sw1"),
         other_config("sw0", "subnet=10.0.0.0/24", "exclude_ips=10.0.0.2..10.0.0.4 10.0.0.9",
                      "ipv6_prefix=fd00::"),
         *vif("sw0", "p1", "dynamic"), *vif("sw0", "p2", "0a:11:22:00:00:05 10.0.0.5"),
         *vif("sw0", "p3", "dynamic"), *vif("sw0", "p4", "00:00:00:00:00:44 dynamic"),
         *vif("sw0", "p5", "dynamic 10.0.0.100"), *vif("sw0", "p6", "dynamic fd00::66"),
         *vif("sw0", "p7", "dynamic 10.0.0.70 fd00::77"),
         *router_on("sw0", "lrp0", "0a:11:22:00:00:07", "10.0.0.6/24", "fd00::1/64"),
         other_config("sw1", "mac_only=true"),
         *vif("sw1", "q1", "dynamic"), *vif("sw1", "q2", "0a:11:22:00:00:02 dynamic"),
         other_config("sw2", "ipv6_prefix=fd01::/64"),
         *vif("sw2", "r1", "dynamic"), *vif("sw2", "r2", "dynamic 10.2.0.5")],
        [other_config("sw0", "subnet=10.0.0.0/28", "exclude_ips=10.0.0.11..10.0.0.13"),
         nb("lsp-del", "p3"), *vif("sw0", "p8", "dynamic"),
         nb("lsp-set-addresses", "p4", "0a:11:22:00:00:99 dynamic"),
         nb("lsp-set-addresses", "p1", "dynamic 10.0.0.12"),
         nb("lsp-set-addresses", "p6", "dynamic fd00::67")],
        [nb("remove", "logical_switch", "sw0", "other_config", "subnet"),
         nb("remove", "logical_switch", "sw1", "other_config", "mac_only"),
         nb("set", "nb_global", ".", "options:mac_prefix=0A:33:44"),
         *vif("sw2", "r3", "dynamic")],
    ],
    # A small pool running out, stale and duplicate dynamic_addresses set by
    # hand, two dynamic entries on one port, an invalid subnet with a
    # router port on it, dynamic_addresses on ports that no longer ask.
    "exhaustion_and_stale_values": [
        [PREFIX, *datapaths("sw1", "lr0", "sw0"), other_config("sw0", "subnet=10.1.0.0/29"),
         *vif("sw0", "a1", "dynamic"),
         nb("set", "logical_switch_port", "a1", 'dynamic_addresses="0a:11:22:00:00:31 10.1.0.3"'),
         *vif("sw0", "a2", "dynamic"),
         nb("set", "logical_switch_port", "a2", 'dynamic_addresses="0a:11:22:00:00:32 10.1.0.3"'),
         *vif("sw0", "a3", "dynamic"),
         nb("set", "logical_switch_port", "a3", 'dynamic_addresses="00:00:00:00:00:33 10.1.0.4"'),
         *[c for i in range(4, 9) for c in vif("sw0", f"a{i}", "dynamic")],
         *vif("sw0", "a9", "dynamic", "0a:11:22:00:00:09 dynamic"),
         *vif("sw0", "b1", "0a:11:22:00:00:41 10.1.0.5"),
         nb("set", "logical_switch_port", "b1", 'dynamic_addresses="0a:11:22:00:00:42"'),
         other_config("sw1", "subnet=10.2.0.1", "mac_only=true"),
         *vif("sw1", "c1", "dynamic"),
         nb("set", "logical_switch_port", "c1", 'dynamic_addresses="0a:11:22:00:00:51"'),
         *router_on("sw1", "lrp1", "0a:11:22:00:01:03", "10.2.0.1/24")],
        [nb("lsp-del", "a1"), nb("lsp-del", "a4"), *vif("sw0", "a10", "dynamic"),
         other_config("sw0", "exclude_ips=10.1.0.6"), other_config("sw1", "subnet=10.2.0.0/30"),
         *vif("sw1", "c2", "dynamic")],
    ],
    # Container tags: tag_request 0 takes its parent's lowest free tag (new
    # ports one run after their Port_Binding), other requests are copied.
    "container_tags": [
        [*datapaths("sw1", "sw0"), *vif("sw0", "vm1", "00:00:00:00:00:01"),
         nb("lsp-add", "sw0", "c1", "vm1", "0"), nb("lsp-add", "sw0", "c2", "vm1", "0"),
         nb("lsp-add", "sw0", "c3", "vm1", "5"), nb("lsp-add", "sw0", "c4", "vm1", "0"),
         nb("lsp-add", "sw1", "d1", "vm2", "0"),
         nb("lsp-add", "sw1", "d2", "vm1", "0")],
        [nb("lsp-del", "c1"), nb("lsp-del", "c2"), nb("lsp-add", "sw0", "c5", "vm1", "0"),
         nb("lsp-add", "sw1", "d3", "vm2", "3"), nb("lsp-add", "sw1", "d4", "vm2", "0")],
    ],
}


def replay(steps, keep=None):
    """Per step: the NB before northd saw it, the NB and SB a fresh
    reference northd left. `keep`: a directory for the before<i>.db files."""
    with Sandbox(northd=False) as box:
        for i, step in enumerate(steps):
            box.run_script(step)
            before_file = box.backup("nb", (keep or box.dir) / f"before{i}.db")
            before = mirror.load(before_file, mirror.NB)
            box.start_northd()
            for _ in range(3):          # northd's own NB writes settle
                box.sync()
            after = mirror.load(box.backup("nb", box.dir / f"after{i}.db"), mirror.NB)
            sb = mirror.load(box.backup("sb", box.dir / f"sb{i}.db"), mirror.SB)
            box.stop_daemon("northd")
            yield before, after, sb


def port_state(db) -> dict[str, tuple]:
    return {r["name"]: (r["dynamic_addresses"], r["tag"])
            for r in db["Logical_Switch_Port"].to_pylist()}


def assert_allocations_match(before, after, what):
    assert port_state(allocate(before).nb) == port_state(after), what


@pytest.mark.parametrize("steps", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_allocations_and_flows_on_unprocessed_nbs_equal_the_reference(steps):
    """Allocations at every step; the flows (a full compute each) at the last."""
    for i, (before, after, sb) in enumerate(replay(steps)):  # noqa: B007 (sb: the last)
        assert_allocations_match(before, after, f"step {i}")
    c = compare(compute(before).grouped.expanded(), read_sb_flows(sb))
    assert c.equal, f"{c.totals}\n{c.only_reference[:5]}\n{c.only_ours[:5]}"


def test_a_random_mac_prefix_is_the_only_difference():
    """Without NB_Global options:mac_prefix northd picks a random prefix: with
    the reference's prefix relnorthd allocates exactly as it did."""
    steps = [[*datapaths("sw0"), other_config("sw0", "subnet=10.3.0.0/24",
                                                "ipv6_prefix=fd03::"),
              *vif("sw0", "p1", "dynamic"), *vif("sw0", "p2", "dynamic")]]
    (before, after, _), = replay(steps)
    prefix = nb_mac_prefix(after)
    assert nb_mac_prefix(before) is None and int(prefix[:2], 16) & 3 == 2
    assert port_state(allocate(before, prefix).nb) == port_state(after)
    ours = allocate(before)
    assert int(ours.mac_prefix[:2], 16) & 3 == 2
    assert all(v.startswith(ours.mac_prefix) for v in ours.dynamic_addresses.values())


def test_run_writes_the_allocations_northd_writes(tmp_path):
    """`relnorthd run` started on an unprocessed NB writes what a reference
    northd started on it writes: new, changed and cleared dynamic_addresses,
    tags, the normalised mac_prefix."""
    first, _, last = SEQUENCES["dual_stack_pool_changes"]
    steps = [first + SEQUENCES["container_tags"][0][1:],
             last + [nb("lsp-add", "sw0", "c5", "vm1", "0")]]
    *_, (_, after, _) = replay(steps, keep=tmp_path)
    with Sandbox(nb_file=tmp_path / "before1.db", northd=False) as box:
        with running(box):
            for _ in range(3):
                box.sync()
        got = mirror.load(box.nb_remote, mirror.NB)
    assert port_state(got) == port_state(after)
    assert nb_mac_prefix(got) == nb_mac_prefix(after) == "0a:33:44"


@st.composite
def ipam_nbs(draw):
    """Random switches with IPAM keys and ports in every dynamic form, static
    addresses in the pools and in the MAC prefix, router ports on them."""
    n = draw(st.integers(1, 3))
    buckets = draw(st.permutations(range(4)))
    cmds = [PREFIX, insert_datapath("Logical_Router", "lr0", buckets[3])]
    ports = 0
    for s in range(n):
        sw = f"sw{s}"
        cmds.append(insert_datapath("Logical_Switch", sw, buckets[s]))
        keys = draw(st.lists(st.sampled_from(
            ["subnet=10.0.0.0/28", "subnet=10.0.0.0/29", "exclude_ips=10.0.0.3..10.0.0.5",
             "ipv6_prefix=fd00::", "mac_only=true"]), max_size=3, unique=True))
        if keys:
            cmds.append(other_config(sw, *keys))
        for _ in range(draw(st.integers(1, 5))):
            ports += 1
            spec = draw(st.sampled_from([
                "dynamic", "dynamic", "0a:11:22:00:00:0{} dynamic", "00:00:00:00:00:0{} dynamic",
                "dynamic 10.0.0.{}", "dynamic fd00::{}", "dynamic 10.0.0.{} fd00::{}",
                "0a:11:22:00:00:0{} 10.0.0.{}"]))
            # (not .7 or .8: requested as "dynamic IP" they are a /29's last
            # address and the one after it, on which northd never settles)
            address = spec.format(*[draw(st.integers(1, 6))] * 2)
            cmds.append(nb("--id=@p", "create", "Logical_Switch_Port", f"name=p{ports}",
                           f"addresses=[{json.dumps(address)}]",   # duplicates allowed
                           "--", "add", "Logical_Switch", sw, "ports", "@p"))
        if draw(st.booleans()):
            cmds += router_on(sw, f"lrp{s}", f"0a:11:22:00:00:0{s + 1}", f"10.0.0.{s + 1}/24")
    return cmds


@differential_examples
@given(commands=ipam_nbs())
def test_random_ipam_nbs_match_the_reference(commands):
    (before, after, _), = replay([commands])
    assert_allocations_match(before, after, "random NB")
