"""Property: random load balancers over random routers (gateway routers,
distributed routers, routers with a gateway port; with or without
lb_force_snat_ip), LB groups, CoPP meters and chassis features,
relnorthd == ovn-northd 23.03.1.

Bounded for CI; RELNORTHD_HYPOTHESIS_EXAMPLES raises the number of examples.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import assert_matches_reference, differential_examples, lb_group
from test_diff_router_lbs import gateway, link, nb

pytestmark = pytest.mark.usefixtures("reference_available")


RANDOM_VIPS = [("10.0.0.10:80", "10.0.0.3:80,10.0.0.4:80"), ("10.0.0.10:80", "10.0.0.5:80"),
               ("10.0.0.11", "10.0.0.3"), ("[fd00::10]:8080", "[fd00::3]:80"),
               ("fd00::11", "fd00::3,fd00::4"), ("10.0.0.12:53", ""), ("10.9.0.13:80", "bad"),
               ("192.168.9.9", "10.0.0.3")]
RANDOM_OPTIONS = ["reject=true", "event=true", "affinity_timeout=30", "skip_snat=true",
                  "neighbor_responder=all", "neighbor_responder=none"]


@st.composite
def router_lb_nbs(draw):
    """(commands, whether a gateway router has lb_force_snat_ip)"""
    cmds = [nb("ls-add", "sw0")]
    routers, gateway_force = [], False
    for i in range(draw(st.integers(1, 3))):
        lr, kind = f"lr{i}", draw(st.sampled_from(["gateway", "distributed", "dgp"]))
        routers.append(lr)
        cmds += gateway(lr, f"ch{i}") if kind == "gateway" else [nb("lr-add", lr)]
        cmds += link("sw0", lr, f"lrp{i}", f"00:00:00:00:ff:0{i}",
                     *draw(st.sampled_from([["10.0.0.1/24"], ["fd00::1/64"],
                                            ["10.0.0.1/24", "fd00::1/64"], ["10.8.0.1/16"]])))
        if kind == "dgp":
            cmds.append(nb("lrp-set-gateway-chassis", f"lrp{i}", "ch9", "10"))
        force = draw(st.sampled_from([None, "router_ip", "10.0.7.7", "fd07::7"]))
        if force:
            cmds.append(nb("set", "Logical_Router", lr, f"options:lb_force_snat_ip={force}"))
            gateway_force |= kind == "gateway"
    names = []
    for i in range(draw(st.integers(1, 4))):
        name = f"lb{i}"
        names.append(name)
        vips = draw(st.lists(st.sampled_from(RANDOM_VIPS), min_size=1, max_size=3,
                             unique_by=lambda v: v[0]))
        cols = [f"name={name}", "vips={" + ",".join(f'"{k}"="{v}"' for k, v in vips) + "}"]
        proto = draw(st.sampled_from([None, "udp", "sctp"]))
        cols += [f"protocol={proto}"] if proto else []
        cols += [f"options:{o}" for o in draw(st.lists(st.sampled_from(RANDOM_OPTIONS),
                                                        unique_by=lambda o: o.split("=")[0]))]
        cmds.append(nb("create", "Load_Balancer", *cols))
        cmds += [nb("lr-lb-add", lr, name)
                 for lr in draw(st.lists(st.sampled_from(routers), unique=True))]
        if draw(st.booleans()):
            cmds.append(nb("ls-lb-add", "sw0", name))
    if draw(st.booleans()):
        cmds.append(lb_group("g", draw(st.lists(st.sampled_from(names), min_size=1, unique=True)),
                             routers=draw(st.lists(st.sampled_from(routers), min_size=1,
                                                   unique=True))))
    if draw(st.booleans()):
        cmds += [nb("meter-add", "m", "drop", "10", "pktps"),
                 nb("copp-add", "cp", draw(st.sampled_from(["reject", "event-elb", "nd-na"])), "m"),
                 nb("lr-copp-add", "cp", routers[0])]
    if draw(st.booleans()):
        cmds.append(["ovn-sbctl", "chassis-add", "ch1", "geneve", "127.0.0.1"])
    return cmds, gateway_force


def _force_snat_flow(flow):
    """A gateway router's own force-SNAT flows for lb_force_snat_ip (NAT's
    family), and where they move the drops of its own addresses to."""
    return ("force_snat_for_lb == 1" in flow["match"] and "ct_snat(" in flow["actions"]
            or (flow["stage"], flow["priority"]) in {("lr_in_unsnat", 110),
                                                     ("lr_in_ip_input", 60),
                                                     ("lr_in_arp_resolve", 2)})


@differential_examples
@given(nbs=router_lb_nbs())
def test_random_router_lb_nbs_match_the_reference(nbs):
    commands, gateway_force = nbs
    assert_matches_reference(commands, outside_scope=_force_snat_flow if gateway_force else None)
