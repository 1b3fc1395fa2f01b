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
    # IPAM: northd allocates into dynamic_addresses; relnorthd reads them.
    "dynamic_on_ipv4_subnet": [
        nb("set", "logical_switch", "sw0", "other_config:subnet=10.0.0.0/24",
           "other_config:exclude_ips=10.0.0.2"),
        *vif("sw0", "p1", "dynamic"), *vif("sw0", "p2", "dynamic 10.0.0.50"),
        *vif("sw0", "p3", "0a:00:00:00:00:03 dynamic"),
        *vif("sw0", "p4", "00:00:00:00:00:04 10.0.0.40")],
    "dynamic_on_ipv6_prefix_and_subnet": [
        nb("set", "logical_switch", "sw0", "other_config:subnet=192.168.0.0/255.255.255.0",
           "other_config:ipv6_prefix=fd00:1::"),
        *vif("sw0", "p1", "dynamic"), *vif("sw0", "p2", "0a:00:00:00:00:02 dynamic")],
    "dynamic_mac_only": [nb("set", "logical_switch", "sw0", "other_config:mac_only=true"),
                         *vif("sw0", "p1", "dynamic")],
    "dynamic_without_ipam": [*vif("sw0", "p1", "dynamic"),
                             *vif("sw0", "p2", "0a:00:00:00:00:02 dynamic")],
    "dynamic_with_invalid_subnet": [
        nb("set", "logical_switch", "sw0", "other_config:subnet=10.0.0.1"),
        *vif("sw0", "p1", "dynamic")],
    "dynamic_on_two_switches": [
        nb("set", "logical_switch", "sw0", "other_config:subnet=10.0.0.0/24"),
        nb("ls-add", "sw1"), nb("set", "logical_switch", "sw1", "other_config:subnet=10.0.0.0/24"),
        *vif("sw0", "p1", "dynamic"), *vif("sw1", "q1", "dynamic")],
}


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_vif_ports(commands):
    assert_matches_reference([nb("ls-add", "sw0"), *commands])


def typed(sw, name, kind, *addresses, options=()):
    return [*vif(sw, name, *addresses), nb("lsp-set-type", name, kind),
            *([nb("lsp-set-options", name, *options)] if options else [])]


TYPED = {
    "localnet": typed("sw0", "ln", "localnet", "unknown", options=["network_name=phys"]),
    "localnet_with_vlan_tag_and_mac": [
        *typed("sw0", "ln", "localnet", "00:00:00:00:00:0a 10.0.0.254", "unknown",
               options=["network_name=phys"]), nb("set", "logical_switch_port", "ln", "tag=7")],
    "localnet_learn_fdb": typed("sw0", "ln", "localnet", "unknown",
                                options=["network_name=phys", "localnet_learn_fdb=true"]),
    "localnet_with_stateful_acl_and_vif": [
        *typed("sw0", "ln", "localnet", "unknown", options=["network_name=phys"]),
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1")],
    "localport": [*typed("sw0", "lp", "localport", "00:00:00:00:00:05 10.0.0.5"),
                  nb("set", "nb_global", ".", "options:ignore_lsp_down=false")],
    "vtep": typed("sw0", "vt", "vtep", "unknown", options=["vtep-physical-switch=ps",
                                                           "vtep-logical-switch=ls"]),
    "l2gateway": typed("sw0", "l2", "l2gateway", "00:00:00:00:00:07 10.0.0.7",
                       options=["network_name=phys", "l2gateway-chassis=hv1"]),
    "remote_on_transit_switch_with_snooping": [
        *typed("sw0", "r1", "remote", "00:00:00:00:00:08 10.0.0.8"),
        nb("set", "logical_switch", "sw0", "other_config:interconn-ts=ts",
           "other_config:mcast_snoop=true")],
    "virtual_ipv4": [*vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
                     *vif("sw0", "p2", "00:00:00:00:00:02 10.0.0.2"),
                     *typed("sw0", "vip", "virtual", "00:00:00:00:00:10 10.0.0.10",
                            options=["virtual-ip=10.0.0.10", "virtual-parents=p1,p2,nope"])],
    "virtual_ipv6": [*vif("sw0", "p1", "00:00:00:00:00:01 fd00::1"),
                     *typed("sw0", "vip", "virtual", "00:00:00:00:00:10",
                            options=["virtual-ip=fd00::00A", "virtual-parents=p1"])],
    "virtual_with_bad_ip": [*vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
                            *typed("sw0", "vip", "virtual", options=["virtual-ip=10.0.0",
                                                                     "virtual-parents=p1"])],
    "external_with_localnet": [
        *typed("sw0", "ln", "localnet", "unknown", options=["network_name=phys"]),
        *typed("sw0", "ext", "external", "00:00:00:00:00:09 10.0.0.9")],
    "forwarding_group": [*vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
                         *vif("sw0", "p2", "00:00:00:00:00:02 10.0.0.2"),
                         nb("fwd-group-add", "fg1", "sw0", "10.0.0.100",
                            "00:00:00:00:01:00", "p2", "p1")],
    "forwarding_group_with_liveness": [
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
        nb("--liveness", "fwd-group-add", "fg1", "sw0", "10.0.0.100", "00:00:00:00:01:00", "p1")],
    "mcast_flood_reports_port_on_snooping_switch": [
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
        nb("lsp-set-options", "p1", "mcast_flood_reports=true"),
        nb("set", "logical_switch", "sw0", "other_config:mcast_snoop=true")],
    "mcast_flood_port_on_snooping_switch": [
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.1"),
        nb("lsp-set-options", "p1", "mcast_flood=true"),
        nb("set", "logical_switch", "sw0", "other_config:mcast_snoop=true")],
}


@pytest.mark.parametrize("commands", TYPED.values(), ids=TYPED.keys())
def test_port_types(commands):
    assert_matches_reference([nb("ls-add", "sw0"), *commands])


def test_localnet_with_stateful_acl_skips_conntrack():
    commands = [nb("ls-add", "sw0"), *TYPED["localnet"],
                nb("acl-add", "sw0", "to-lport", "100", "ip", "allow-related")]
    assert_matches_reference(commands)


# Router-type ports: their switch-side flows are compared; the router's own
# flows (every lr_* stage) belong to the router family and are left out.
def _router_flow(flow):
    return flow["stage"].startswith("lr_")


def router_link(sw, lr, lrp, mac, *networks, addresses=("router",)):
    lsp = f"{sw}-{lrp}"
    return [nb("lrp-add", lr, lrp, mac, *networks),
            nb("lsp-add", sw, lsp), nb("lsp-set-type", lsp, "router"),
            nb("lsp-set-options", lsp, f"router-port={lrp}"),
            *([nb("lsp-set-addresses", lsp, *addresses)] if addresses else [])]


ROUTER_PORTS = {
    "router_port_ipv4_only_port": router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01",
                                              "10.0.0.1/24"),
    "router_port_with_vifs": [*router_link("sw0", "lr0", "lrp0", "00:00:00:00:FF:01",
                                           "10.0.0.1/24", "fd00::1/64"),
                              *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2")],
    "router_port_without_router_address": [
        *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24", addresses=()),
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2")],
    "router_port_with_static_mac_address": [
        *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24",
                     addresses=("00:00:00:00:ff:01 10.0.0.1",))],
    "two_routers_on_one_switch": [
        *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        nb("lr-add", "lr1"),
        *router_link("sw0", "lr1", "lrp1", "00:00:00:00:ff:02", "10.0.0.254/24"),
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2")],
    "peer_missing": [nb("lsp-add", "sw0", "rp"), nb("lsp-set-type", "rp", "router"),
                     nb("lsp-set-options", "rp", "router-port=nope"),
                     nb("lsp-set-addresses", "rp", "router")],
    "peer_port_disabled": [*router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01",
                                        "10.0.0.1/24"),
                           nb("set", "logical_router_port", "lrp0", "enabled=false"),
                           *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2")],
    "mcast_relay_router_on_snooping_switch": [
        *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        nb("set", "logical_router", "lr0", "options:mcast_relay=true"),
        nb("set", "logical_switch", "sw0", "other_config:mcast_snoop=true"),
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2"),
        nb("lsp-set-options", "p1", "mcast_flood=true")],
    "arp_proxy": [*router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
                  nb("lsp-set-options", "sw0-lrp0", "router-port=lrp0",
                     "arp_proxy=10.0.0.100 fd00::5 169.254.0.1/16 10.0.0.200")],
    "arp_proxy_ipv6_only_or_garbage": [
        *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        nb("lsp-set-options", "sw0-lrp0", "router-port=lrp0", "arp_proxy=fd00::5"),
        nb("lr-add", "lr1"),
        *router_link("sw0", "lr1", "lrp1", "00:00:00:00:ff:02", "10.0.0.2/24"),
        nb("lsp-set-options", "sw0-lrp1", "router-port=lrp1", "arp_proxy=junk 10.0.0.9")],
    "arp_proxy_skipped_with_unknown_or_vlan_passthru": [
        *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24",
                     addresses=("router", "unknown")),
        nb("lsp-set-options", "sw0-lrp0", "router-port=lrp0", "arp_proxy=10.0.0.100"),
        nb("ls-add", "sw1"), nb("set", "logical_switch", "sw1", "other_config:vlan-passthru=true"),
        *router_link("sw1", "lr0", "lrp1", "00:00:00:00:ff:02", "10.1.0.1/24"),
        nb("lsp-set-options", "sw1-lrp1", "router-port=lrp1", "arp_proxy=10.1.0.100")],
    "arp_proxy_on_vif_is_ignored": [*vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2"),
                                    nb("lsp-set-options", "p1", "arp_proxy=10.0.0.100")],
    "router_port_keeps_nb_dynamic_addresses": [
        nb("set", "logical_switch", "sw0", "other_config:subnet=10.0.0.0/24"),
        *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24",
                     addresses=("router", "dynamic")),
        nb("set", "logical_switch_port", "sw0-lrp0",
           'dynamic_addresses="0a:00:00:00:00:99 10.0.0.99"')],
    "external_ports_drop_unbound_router_traffic": [
        *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24", "fd00::1/64",
                     addresses=("router", "00:00:00:00:ff:0a 10.0.0.10")),
        *typed("sw0", "ln", "localnet", "unknown", options=["network_name=phys"]),
        *typed("sw0", "ln2", "localnet", "unknown", options=["network_name=phys2"]),
        *typed("sw0", "ext", "external", "00:00:00:00:00:09 10.0.0.9", "00:00:00:00:00:19"),
        *typed("sw0", "ext2", "external", "00:00:00:00:00:29 fd00::29"),
        nb("lsp-set-enabled", "ext2", "disabled")],
    "external_port_without_localnet": [
        *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        *typed("sw0", "ext", "external", "00:00:00:00:00:09 10.0.0.9")],
    "router_port_with_stateful_acl": [
        *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        nb("acl-add", "sw0", "from-lport", "100", "ip", "allow-related")],
}


@pytest.mark.parametrize("commands", ROUTER_PORTS.values(), ids=ROUTER_PORTS.keys())
def test_router_type_ports(commands):
    assert_matches_reference([nb("ls-add", "sw0"), nb("lr-add", "lr0"), *commands],
                             outside_scope=_router_flow)


def test_router_port_whose_router_is_disabled_has_no_peer():
    commands = [nb("ls-add", "sw0"), nb("lr-add", "lr0"),
                *router_link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
                nb("set", "logical_router", "lr0", "enabled=false")]
    assert_matches_reference(commands)
