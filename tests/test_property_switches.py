"""Property: for random switch/port NBs, relnorthd == ovn-northd 23.03.1.

Bounded for CI; RELNORTHD_HYPOTHESIS_EXAMPLES raises the number of examples.
Datapaths get uuids in distinct hash buckets (`ovsdb-client transact`), so a
name shared by a switch port and a router port has a known winner. Ports
with QoS options are bound to chassis in one SB transaction at the end, so
their queue ids are also allocated again from an SB without them.
"""
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import assert_matches_reference, differential_examples, insert_datapath
from relnorthd import rules
from relnorthd.libstate import connect
from test_diff_dhcp import V4_ALL_KINDS, V4_BASE, V6_BASE, dhcp
from test_diff_qos_queues import CHASSIS, SYNC, bind, queue_ids, without_queue_ids

pytestmark = pytest.mark.usefixtures("reference_available")

macs = st.sampled_from(["00:00:00:00:00:01", "0A:00:00:00:00:02", "00:00:00:00:00:0a"])
ipv4s = st.sampled_from(["10.0.0.1", "10.0.0.2/24", "192.168.0.1"])
ipv6s = st.sampled_from(["fd00::1", "FD00:0:0::2/64", "fe80::1"])


def nb(*args):
    return ["ovn-nbctl", *args]


@st.composite
def address_entries(draw):
    """One LSP address entry in any of the forms northd accepts (or skips)."""
    form = draw(st.sampled_from(["mac", "mac_v4", "mac_v6", "mac_v4_v6", "unknown", "garbage",
                                 "dynamic", "mac_dynamic"]))
    mac = draw(macs)
    return {"mac": mac, "mac_v4": f"{mac} {draw(ipv4s)}", "mac_v6": f"{mac} {draw(ipv6s)}",
            "mac_v4_v6": f"{mac} {draw(ipv4s)} {draw(ipv6s)}", "unknown": "unknown",
            "garbage": f"{mac} {draw(ipv4s)} junk", "dynamic": "dynamic",
            "mac_dynamic": f"{mac} dynamic"}[form]


# DHCP_Options cidrs matching the address pools above, or not, or invalid
v4_cidrs = st.sampled_from(["10.0.0.0/24", "192.168.0.0/255.255.0.0", "10.0.0.0/8",
                            "172.16.0.0/12", "10.0.0.0/33"])
v6_cidrs = st.sampled_from(["fd00::/64", "fe80::/10", "fd01::/64", "fd00::/129"])
V4_KINDS = sorted(set(V4_ALL_KINDS) - set(V4_BASE))
V6_KINDS = {"dns_server": "{fd00::53}", "domain_search": '"example.org"',
            "ia_addr": "fd00::99", "dhcpv6_stateless": "true", "x": "y"}


@st.composite
def dhcp_options(draw, ports):
    """0-2 DHCPv4/DHCPv6 rows (required options sometimes missing, a few
    option kinds, a netmask of their own) each named by some of `ports`."""
    cmds = []
    for _ in range(draw(st.integers(0, 2)) if ports else 0):
        if draw(st.booleans()):
            base = {k: v for k, v in V4_BASE.items() if draw(st.integers(0, 5))}
            kinds = draw(st.lists(st.sampled_from(V4_KINDS), max_size=4, unique=True))
            column, cidr = "dhcpv4_options", draw(v4_cidrs)
            options = {**base, **{k: V4_ALL_KINDS[k] for k in kinds}}
            if draw(st.integers(0, 3)) == 0:
                options["netmask"] = "255.255.0.0"
        else:
            kinds = draw(st.lists(st.sampled_from(sorted(V6_KINDS)), max_size=3, unique=True))
            column, cidr = "dhcpv6_options", draw(v6_cidrs)
            options = {**V6_BASE, **{k: V6_KINDS[k] for k in kinds}}
        users = draw(st.lists(st.sampled_from(ports), min_size=1, max_size=3, unique=True))
        cmds.append(dhcp(column, cidr, options, *users))
    return cmds


def _set(values):
    return "[" + ",".join(json.dumps(v) for v in values) + "]"


@st.composite
def switch_port_nbs(draw):
    """Random switches (some with IPAM) with VIF/localnet/localport/vtep/
    l2gateway ports, port security, enabled/up, options, QoS options and
    chassis bindings, native DHCPv4/v6, and sometimes a router whose ports
    peer with switch ports or share a switch port's name."""
    n_switches = draw(st.integers(1, 3))
    with_router = draw(st.booleans())
    buckets = draw(st.permutations(range(4)))
    cmds = []
    lsp_names = []
    binds = []
    for s in range(n_switches):
        sw = f"sw{s}"
        cmds.append(insert_datapath("Logical_Switch", sw, buckets[s]))
        opt = draw(st.sampled_from(["", "vlan-passthru=true", "mcast_snoop=true",
                                    "subnet=10.0.0.0/24", "mac_only=true"]))
        if opt:
            cmds.append(nb("set", "logical_switch", sw, f"other_config:{opt}"))
        first = len(lsp_names)
        for _ in range(draw(st.integers(0, 4))):
            name = f"p{len(lsp_names)}"
            lsp_names.append(name)
            entries = draw(st.lists(address_entries(), max_size=2, unique=True))
            columns = [f"name={name}", f"addresses={_set(entries)}"]
            kind = draw(st.sampled_from(["", "", "", "localnet", "localport", "vtep",
                                         "l2gateway"]))
            if kind:
                columns.append(f"type={kind}")
            if draw(st.booleans()):
                columns.append(f"port_security={_set([f'{draw(macs)} {draw(ipv4s)}'])}")
            if draw(st.integers(0, 3)) == 0:
                columns.append("enabled=false")
            if draw(st.booleans()):
                columns.append("up=true")
            if draw(st.integers(0, 3)) == 0:
                columns.append("options:" + draw(st.sampled_from(
                    ["qos_max_rate=1000", "qos_burst=100", "qos_min_rate=10"])))
                if kind != "localnet":      # a localnet port's id is its own, unbound
                    binds.append((name, draw(st.sampled_from(["ch1", "ch1", "ch2", None]))))
            cmds.append(nb("--id=@p", "create", "Logical_Switch_Port", *columns,
                           "--", "add", "Logical_Switch", sw, "ports", "@p"))
        cmds += draw(dhcp_options(lsp_names[first:]))
    if with_router:
        cmds.append(insert_datapath("Logical_Router", "lr0", buckets[3]))
        for i in range(draw(st.integers(1, 2))):
            shared = lsp_names and draw(st.booleans())
            lrp = draw(st.sampled_from(lsp_names)) if shared else f"lrp{i}"
            if lrp in {c[3] for c in cmds if c[1:3] == ["lrp-add", "lr0"]}:
                continue
            cmds.append(nb("lrp-add", "lr0", lrp, f"00:00:00:00:ff:0{i}", f"10.{i}.0.254/24"))
            sw = f"sw{draw(st.integers(0, n_switches - 1))}"
            options = [f"router-port={lrp}"]
            if draw(st.booleans()):
                options.append(f"arp_proxy=10.{i}.0.100 10.{i}.0.101")
            cmds += [nb("lsp-add", sw, f"rp{i}"), nb("lsp-set-type", f"rp{i}", "router"),
                     nb("lsp-set-options", f"rp{i}", *options),
                     nb("lsp-set-addresses", f"rp{i}", "router")]
    if draw(st.booleans()):
        cmds.append(nb("set", "nb_global", ".", "options:ignore_lsp_down=false"))
    lrps = {c[3] for c in cmds if c[1:3] == ["lrp-add", "lr0"]}
    binds = [(p, ch) for p, ch in binds if ch and p not in lrps]
    if binds:
        cmds += [*CHASSIS, SYNC, bind(*binds)]
    return cmds


@differential_examples
@given(commands=switch_port_nbs())
def test_random_switch_port_nbs_match_the_reference(commands):
    with_router = any('"Logical_Router"' in c[-1] for c in commands if c[0] == "ovsdb-client")
    router_flows = lambda f: f["stage"].startswith("lr_")  # noqa: E731
    d = assert_matches_reference(commands, outside_scope=router_flows if with_router else None)
    if any(c[:1] == ["ovn-sbctl"] for c in commands):   # qos ports bound in the last step
        want = queue_ids(d.reference.sb["Port_Binding"].to_pylist())
        con = connect(d.reference.nb, without_queue_ids(d.reference.sb))
        fresh = con.sql((rules.sql_dir() / "sb" / "Port_Binding.sql").read_text())
        assert queue_ids(fresh.to_arrow_table().to_pylist()) == want
