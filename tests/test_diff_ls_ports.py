"""Logical switch ports of type "" (VIFs): addresses, unknown, enabled/up,
port security, compared flow for flow with ovn-northd 23.03.1."""
import pytest

from conftest import assert_matches_reference

pytestmark = pytest.mark.usefixtures("reference_available")


def nb(*args):
    return ["ovn-nbctl", *args]


def vif(sw, name, *addresses):
    cmds = [nb("lsp-add", sw, name)]
    if addresses:
        cmds.append(nb("lsp-set-addresses", name, *addresses))
    return cmds


SCENARIOS = {
    "mac_only": [*vif("sw0", "p1", "00:00:00:00:00:01")],
    "mac_ipv4": [*vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
                 *vif("sw0", "p2", "00:00:00:00:00:02 10.0.0.2")],
    "mac_ipv6": [*vif("sw0", "p1", "00:00:00:00:00:01 fd00::1 FE80::0:1")],
    "dual_stack_several_ips_and_entries": [
        *vif("sw0", "p1", "0A:00:00:00:00:01 10.0.0.1 10.0.0.11/24 fd00::1/64",
             "0a:00:00:00:00:10 192.168.1.1")],
    "unknown_only": [*vif("sw0", "p1", "unknown")],
    "unknown_with_mac_learns_fdb": [*vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1", "unknown")],
    "unknown_with_port_security": [
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1", "unknown"),
        nb("lsp-set-port-security", "p1", "00:00:00:00:00:01 10.0.0.1")],
    "disabled_port": [*vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
                      nb("lsp-set-enabled", "p1", "disabled"),
                      *vif("sw0", "p2", "unknown"), nb("lsp-set-enabled", "p2", "disabled")],
    "down_ports_with_ignore_lsp_down_false": [
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
        nb("set", "nb_global", ".", "options:ignore_lsp_down=false")],
    "up_port_with_ignore_lsp_down_false": [
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
        nb("set", "logical_switch_port", "p1", "up=true"),
        nb("set", "nb_global", ".", "options:ignore_lsp_down=false")],
    "vlan_passthru_switch_answers_no_arp": [
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
        nb("set", "logical_switch", "sw0", "other_config:vlan-passthru=true")],
    "same_ip_on_two_switches_shares_flows": [
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
        nb("ls-add", "sw1"), *vif("sw1", "q1", "00:00:00:00:00:01 10.0.0.1")],
    "nd_na_copp": [*vif("sw0", "p1", "00:00:00:00:00:01 fd00::1"),
                   nb("meter-add", "m1", "drop", "10", "pktps"),
                   nb("copp-add", "cp1", "nd-na", "m1"), nb("ls-copp-add", "cp1", "sw0")],
    "names_needing_json_escapes": [*vif("sw0", "p\"1\\x", "00:00:00:00:00:01 10.0.0.1")],
    "trailing_garbage_after_ips": [*vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1 junk fd00::1")],
    "invalid_mac_entry_is_skipped": [
        nb("lsp-add", "sw0", "p1"),
        nb("set", "logical_switch_port", "p1", 'addresses="zz:00:00:00:00:01 10.0.0.1"')],
}


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_vif_ports(commands):
    assert_matches_reference([nb("ls-add", "sw0"), *commands])
