"""Property: random load balancers, VIPs and LB groups over random switch
sets, relnorthd == ovn-northd 23.03.1.

Bounded for CI; RELNORTHD_HYPOTHESIS_EXAMPLES raises the number of examples.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import assert_matches_reference, differential_examples

pytestmark = pytest.mark.usefixtures("reference_available")

# (vip, backends) pairs in every form, sharing VIPs across LBs on purpose
VIPS = [("10.0.0.10:80", "10.0.0.3:80,10.0.0.4:80"), ("10.0.0.10:80", "10.0.0.5:80"),
        ("10.0.0.11", "10.0.0.3"), ("[fd00::10]:8080", "[fd00::3]:80"),
        ("fd00::11", "fd00::3,fd00::4"), ("10.0.0.12:53", ""), ("10.0.0.13:80", "bad")]
OPTIONS = ["reject=true", "event=true", "affinity_timeout=30", "skip_snat=true"]


def nb(*args):
    return ["ovn-nbctl", *args]


@st.composite
def lb_nbs(draw):
    n_sw = draw(st.integers(1, 4))
    cmds = [nb("ls-add", f"sw{i}") for i in range(n_sw)]
    names = []
    for i in range(draw(st.integers(1, 4))):
        name = f"lb{i}"
        names.append(name)
        vips = draw(st.lists(st.sampled_from(VIPS), min_size=1, max_size=3,
                             unique_by=lambda v: v[0]))
        vip_map = ",".join(f'"{k}"="{v}"' for k, v in vips)
        cols = [f"name={name}", f"vips={{{vip_map}}}"]
        proto = draw(st.sampled_from([None, "tcp", "udp", "sctp"]))
        if proto:
            cols.append(f"protocol={proto}")
        cols += [f"options:{o}" for o in draw(st.lists(st.sampled_from(OPTIONS), unique=True))]
        if draw(st.booleans()):
            cols.append("selection_fields=" + ",".join(
                draw(st.lists(st.sampled_from(["ip_src", "tp_dst", "eth_src"]), min_size=1,
                              unique=True))))
        cmds.append(nb("create", "Load_Balancer", *cols))
        for sw in draw(st.lists(st.integers(0, n_sw - 1), unique=True)):
            cmds.append(nb("ls-lb-add", f"sw{sw}", name))
    if draw(st.booleans()):
        members = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        args = []
        for i, name in enumerate(members):
            args += ["--", f"--id=@lb{i}", "get", "Load_Balancer", name]
        args += ["--", "--id=@g", "create", "Load_Balancer_Group", "name=g",
                 "load_balancer=[" + ",".join(f"@lb{i}" for i in range(len(members))) + "]"]
        for sw in draw(st.lists(st.integers(0, n_sw - 1), min_size=1, unique=True)):
            args += ["--", "add", "Logical_Switch", f"sw{sw}", "load_balancer_group", "@g"]
        cmds.append(nb(*args))
    if draw(st.booleans()):
        cmds += [nb("meter-add", "m", "drop", "10", "pktps"),
                 nb("copp-add", "cp", draw(st.sampled_from(["reject", "event-elb"])), "m"),
                 nb("ls-copp-add", "cp", "sw0")]
    if draw(st.booleans()):
        cmds.append(nb("acl-add", "sw0", "from-lport", "100", "ip", "allow-related"))
    if draw(st.booleans()):
        cmds.append(["ovn-sbctl", "chassis-add", "ch1", "geneve", "127.0.0.1"])
    return cmds


@differential_examples
@given(commands=lb_nbs())
def test_random_lb_nbs_match_the_reference(commands):
    assert_matches_reference(commands)
