"""Property: for random switch/port NBs, relnorthd == ovn-northd 23.03.1.

Bounded for CI; RELNORTHD_HYPOTHESIS_EXAMPLES raises the number of examples.
"""
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import assert_matches_reference

pytestmark = pytest.mark.usefixtures("reference_available")

macs = st.sampled_from(["00:00:00:00:00:01", "0A:00:00:00:00:02", "00:00:00:00:00:0a"])
ipv4s = st.sampled_from(["10.0.0.1", "10.0.0.2/24", "192.168.0.1"])
ipv6s = st.sampled_from(["fd00::1", "FD00:0:0::2/64", "fe80::1"])


@st.composite
def address_entries(draw):
    """One LSP address entry in any of the forms northd accepts (or skips)."""
    form = draw(st.sampled_from(["mac", "mac_v4", "mac_v6", "mac_v4_v6", "unknown", "garbage"]))
    mac = draw(macs)
    return {"mac": mac, "mac_v4": f"{mac} {draw(ipv4s)}", "mac_v6": f"{mac} {draw(ipv6s)}",
            "mac_v4_v6": f"{mac} {draw(ipv4s)} {draw(ipv6s)}", "unknown": "unknown",
            "garbage": f"{mac} {draw(ipv4s)} junk"}[form]


@st.composite
def switch_port_nbs(draw):
    """Random switches with VIF/localnet/localport/vtep/l2gateway ports,
    port security, enabled/up, and switch/NB_Global options."""
    cmds = []
    n_ports = 0
    for s in range(draw(st.integers(1, 3))):
        sw = f"sw{s}"
        cmds.append(["ovn-nbctl", "ls-add", sw])
        if draw(st.booleans()):
            opt = draw(st.sampled_from(["vlan-passthru=true", "mcast_snoop=true"]))
            cmds.append(["ovn-nbctl", "set", "logical_switch", sw, f"other_config:{opt}"])
        for _ in range(draw(st.integers(0, 4))):
            name = f"p{n_ports}"
            n_ports += 1
            cmds.append(["ovn-nbctl", "lsp-add", sw, name])
            entries = draw(st.lists(address_entries(), max_size=2, unique=True))
            if entries:
                cmds.append(["ovn-nbctl", "set", "logical_switch_port", name,
                             "addresses=" + ",".join(f'"{e}"' for e in entries)])
            kind = draw(st.sampled_from(["", "", "", "localnet", "localport", "vtep",
                                         "l2gateway"]))
            if kind:
                cmds.append(["ovn-nbctl", "lsp-set-type", name, kind])
            if draw(st.booleans()):
                cmds.append(["ovn-nbctl", "lsp-set-port-security", name,
                             f"{draw(macs)} {draw(ipv4s)}"])
            if draw(st.integers(0, 3)) == 0:
                cmds.append(["ovn-nbctl", "lsp-set-enabled", name, "disabled"])
            if draw(st.booleans()):
                cmds.append(["ovn-nbctl", "set", "logical_switch_port", name, "up=true"])
    if draw(st.booleans()):
        cmds.append(["ovn-nbctl", "set", "nb_global", ".", "options:ignore_lsp_down=false"])
    return cmds


@settings(max_examples=int(os.environ.get("RELNORTHD_HYPOTHESIS_EXAMPLES", "12")),
          deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands=switch_port_nbs())
def test_random_switch_port_nbs_match_the_reference(commands):
    assert_matches_reference(commands)
