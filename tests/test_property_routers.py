"""Property: random router topologies (switch links and direct router
peers), addresses, static routes (ECMP, route tables, src-ip, discard) and
policies, relnorthd == ovn-northd 23.03.1.

Bounded for CI; RELNORTHD_HYPOTHESIS_EXAMPLES raises the number of examples.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import assert_matches_reference, differential_examples

pytestmark = pytest.mark.usefixtures("reference_available")

NETWORKS = [("10.0.{}.1/24", "fd00:{}::1/64"), ("10.1.{}.1/24", None), (None, "fd01:{}::1/64")]
NEXTHOPS = ["10.0.0.254", "10.0.1.254", "10.1.0.7", "10.9.9.9", "fd00:0::99", "fd00:1::5",
            "discard"]
PREFIXES = ["0.0.0.0/0", "192.168.0.0/16", "172.16.1.0/24", "fd10::/64", "::/0"]


def nb(*args):
    return ["ovn-nbctl", *args]


@st.composite
def router_nbs(draw):
    cmds = [nb("lr-add", "lr0")]
    routers = ["lr0"]
    if draw(st.booleans()):
        cmds.append(nb("lr-add", "lr1"))
        routers.append("lr1")
    for r in routers:
        opts = draw(st.lists(st.sampled_from(["dynamic_neigh_routers=true", "mcast_relay=true",
                                              "always_learn_from_arp_request=false",
                                              "chassis=hv1"]), unique=True, max_size=2))
        if opts:
            cmds.append(nb("set", "logical_router", r, *[f"options:{o}" for o in opts]))
    ports = []
    for s in range(draw(st.integers(1, 3))):
        sw = f"sw{s}"
        cmds.append(nb("ls-add", sw))
        for r in draw(st.lists(st.sampled_from(routers), min_size=1, max_size=2, unique=True)):
            v4, v6 = draw(st.sampled_from(NETWORKS))
            nets = [n.format(s) for n in (v4, v6) if n]
            lrp = f"{r}-{sw}"
            mac = f"00:00:00:00:{len(ports):02x}:{routers.index(r) + 1:02x}"
            cmds += [nb("lrp-add", r, lrp, mac, *nets), nb("lsp-add", sw, f"{sw}-{lrp}"),
                     nb("lsp-set-type", f"{sw}-{lrp}", "router"),
                     nb("lsp-set-options", f"{sw}-{lrp}", f"router-port={lrp}"),
                     nb("lsp-set-addresses", f"{sw}-{lrp}", "router")]
            ports.append(lrp)
            if draw(st.integers(0, 4)) == 0:
                cmds.append(nb("set", "logical_router_port", lrp, "enabled=false"))
            if draw(st.integers(0, 4)) == 0:
                cmds.append(nb("set", "logical_router_port", lrp, "options:gateway_mtu=1400"))
            if v6 and draw(st.integers(0, 3)) == 0:
                cmds.append(nb("set", "logical_router_port", lrp,
                               "ipv6_ra_configs:address_mode=slaac"))
        for p in range(draw(st.integers(0, 2))):
            name = f"{sw}-vm{p}"
            cmds += [nb("lsp-add", sw, name),
                     nb("lsp-set-addresses", name, f"0a:00:00:00:{s:02x}:{p:02x} 10.0.{s}.{p + 10}"
                        f" fd00:{s}::{p + 10}")]
    if len(routers) == 2 and draw(st.booleans()):
        cmds += [nb("lrp-add", "lr0", "lr0-lr1", "00:00:00:00:fe:01", "169.254.0.1/30",
                    "peer=lr1-lr0"),
                 nb("lrp-add", "lr1", "lr1-lr0", "00:00:00:00:fe:02", "169.254.0.2/30",
                    "peer=lr0-lr1")]
    for _ in range(draw(st.integers(0, 5))):   # rows, so ECMP/discard/tables mix freely
        cols = [f'ip_prefix="{draw(st.sampled_from(PREFIXES))}"',
                f'nexthop="{draw(st.sampled_from(NEXTHOPS))}"']
        if draw(st.integers(0, 3)) == 0:
            cols.append("policy=src-ip")
        if draw(st.integers(0, 4)) == 0:
            cols.append("route_table=rt1")
        if ports and draw(st.integers(0, 4)) == 0:
            cols.append(f"output_port={draw(st.sampled_from(ports))}")
        cmds.append(nb("--id=@r", "create", "Logical_Router_Static_Route", *cols, "--", "add",
                       "Logical_Router", draw(st.sampled_from(routers)), "static_routes", "@r"))
    for i in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["allow", "drop", "reroute", "reroute2"]))
        hops = {"reroute": ["10.0.0.254"], "reroute2": ["10.0.0.254,10.0.1.254"]}.get(action, [])
        cmds.append(nb("lr-policy-add", "lr0", str(100 + i), f"ip4.src == 10.{i}.0.0/16",
                       action.rstrip("2"), *hops))
    if ports and draw(st.booleans()):
        cmds.append(nb("set", "logical_router_port", ports[0], "options:route_table=rt1"))
    return cmds


@differential_examples
@given(commands=router_nbs())
def test_random_router_nbs_match_the_reference(commands):
    assert_matches_reference(commands)
