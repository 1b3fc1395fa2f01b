"""Property: random ACL / port group / address set / QoS / CoPP sets on
random switch topologies, relnorthd == ovn-northd 23.03.1.

Bounded for CI; RELNORTHD_HYPOTHESIS_EXAMPLES raises the number of examples.
"""
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import assert_matches_reference, differential_examples

pytestmark = pytest.mark.usefixtures("reference_available")

MATCHES = ["ip", "ip4.src == $as0", "tcp.dst == 80", "outport == @pg0 && ip4", "arp",
           'inport == "p0"', "ip6 && udp"]
ACTIONS = ["allow", "allow-related", "allow-stateless", "drop", "reject"]


def nb(*args):
    return ["ovn-nbctl", *args]


@st.composite
def acl_columns(draw):
    cols = [f"direction={draw(st.sampled_from(['from-lport', 'to-lport']))}",
            f"priority={draw(st.sampled_from([0, 100, 100, 32767]))}",
            f"match={json.dumps(draw(st.sampled_from(MATCHES)))}",
            f"action={draw(st.sampled_from(ACTIONS))}"]
    if draw(st.booleans()):
        cols.append("log=true")
        cols += draw(st.lists(st.sampled_from(
            ["name=n1", "severity=alert", "severity=debug", "meter=m-plain", "meter=m-fair",
             "meter=m-missing"]), max_size=2, unique_by=lambda c: c.split("=")[0]))
    if draw(st.booleans()):
        cols.append(f"label={draw(st.sampled_from([1, 7, 4294967295]))}")
    for opt in draw(st.lists(st.sampled_from(["apply-after-lb", "log-related"]), unique=True)):
        cols.append(f"options:{opt}=true")
    return cols


@st.composite
def acl_nbs(draw):
    cmds = [nb("meter-add", "m-plain", "drop", "10", "pktps"),
            nb("--fair", "meter-add", "m-fair", "drop", "5", "pktps"),
            nb("create", "Address_Set", "name=as0", 'addresses="10.0.0.1"')]
    ports = []
    n_switches = draw(st.integers(1, 3))
    for s in range(n_switches):
        cmds.append(nb("ls-add", f"sw{s}"))
        for _ in range(draw(st.integers(0, 2))):
            name = f"p{len(ports)}"
            ports.append(name)
            cmds += [nb("lsp-add", f"sw{s}", name),
                     nb("lsp-set-addresses", name, f"00:00:00:00:00:{len(ports):02x} "
                        f"10.0.0.{len(ports)}")]
    targets = [("Logical_Switch", f"sw{s}") for s in range(n_switches)]
    for g in range(draw(st.integers(0, 2))):
        members = draw(st.lists(st.sampled_from(ports), unique=True)) if ports else []
        cmds.append(nb("pg-add", f"pg{g}", *members))
        targets.append(("Port_Group", f"pg{g}"))
    for _ in range(draw(st.integers(0, 5))):
        table, target = draw(st.sampled_from(targets))
        cmds.append(nb("--id=@a", "create", "ACL", *draw(acl_columns()),
                       "--", "add", table, target, "acls", "@a"))
    for q in range(draw(st.integers(0, 2))):
        qos = draw(st.sampled_from([["dscp=10"], ["rate=100"], ["rate=100", "burst=20"],
                                    ["dscp=10", "rate=100", "burst=20"]]))
        cmds.append(nb("qos-add", f"sw{draw(st.integers(0, n_switches - 1))}",
                       draw(st.sampled_from(["from-lport", "to-lport"])), str(50 + q),
                       draw(st.sampled_from(MATCHES)), *qos))
    if draw(st.booleans()):
        cmds += [nb("copp-add", "cp", "reject", draw(st.sampled_from(["m-plain", "m-missing"]))),
                 nb("ls-copp-add", "cp", "sw0")]
    if draw(st.booleans()):
        cmds += [nb("lb-add", "lb0", "10.0.0.10:80", "10.0.0.3:80"), nb("ls-lb-add", "sw0", "lb0")]
    options = draw(st.lists(st.sampled_from(["default_acl_drop=true", "use_ct_inv_match=false",
                                             "debug_drop_collector_set=3"]), unique=True))
    if options:
        cmds.append(nb("set", "nb_global", ".", *[f"options:{o}" for o in options]))
    if draw(st.booleans()):
        cmds.append(["ovn-sbctl", "chassis-add", "ch1", "geneve", "127.0.0.1"])
    return cmds


@differential_examples
@given(commands=acl_nbs())
def test_random_acl_nbs_match_the_reference(commands):
    assert_matches_reference(commands)
