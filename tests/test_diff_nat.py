"""NAT and force SNAT on gateway routers (options:chassis), NAT on routers
that northd builds no NAT flows for, and malformed NAT rows, compared flow
for flow with ovn-northd 23.03.1 (router and switch pipelines both)."""
import logging

import pytest

from conftest import assert_matches_reference, link, nb
from relnorthd.addresses import Masked, parse_masked
from relnorthd.ovshash import sset_order

pytestmark = pytest.mark.usefixtures("reference_available")


def vif(sw, name, address):
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, address)]


def router(gateway=True, name="lr0"):
    """A router between an internal switch (10.0.0.0/24, fd00::/64) and an
    external one (172.16.0.0/24, fd10::/64), a gateway router by default."""
    return [nb("ls-add", "int"), nb("ls-add", "ext"), nb("lr-add", name),
            *link("int", name, "lrp-int", "00:00:00:00:ff:01", "10.0.0.1/24", "fd00::1/64"),
            *link("ext", name, "lrp-ext", "00:00:00:00:ff:02", "172.16.0.1/24", "fd10::1/64"),
            *vif("int", "p1", "00:00:00:00:00:01 10.0.0.2 fd00::2"),
            *vif("ext", "p2", "00:00:00:00:00:02 172.16.0.50 fd10::50"),
            *([nb("set", "logical_router", name, "options:chassis=hv1")] if gateway else [])]


def nat_row(*columns, refs=(), lr="lr0"):
    """A NAT row created as written (ovn-nbctl lr-nat-add would refuse the
    malformed ones). `refs` are --id=@name get commands run first."""
    pre = [a for ref in refs for a in (*ref, "--")]
    return nb(*pre, "--id=@n", "create", "NAT", *columns, "--", "add", "Logical_Router", lr,
              "nat", "@n")


def address_set(name, *addresses):
    quoted = ",".join(f'"{a}"' for a in addresses)
    return nb("create", "Address_Set", f"name={name}", f"addresses={quoted}")


def as_ref(at, name):
    return ("--id=@" + at, "get", "Address_Set", name, "_uuid")


GW_NATS = {
    "v4_all_types": [
        nb("lr-nat-add", "lr0", "snat", "172.16.0.100", "10.0.0.0/24"),
        nb("lr-nat-add", "lr0", "dnat", "172.16.0.110", "10.0.0.2"),
        nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.120", "10.0.0.3")],
    "snat_v4_host_and_subnets": [
        nb("lr-nat-add", "lr0", "snat", "172.16.0.100", "10.0.0.0/24"),
        nb("lr-nat-add", "lr0", "snat", "172.16.0.101", "10.0.0.2"),
        nb("lr-nat-add", "lr0", "snat", "172.16.0.102", "10.0.0.0/25")],
    "dnat_and_snat_with_port_and_mac": [
        nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.120", "10.0.0.2", "p1",
           "00:00:00:00:00:aa")],
    "external_macs_in_self_originated_flow": [
        *vif("int", "p3", "00:00:00:00:00:03 10.0.0.3"),
        *vif("int", "p4", "00:00:00:00:00:04 10.0.0.4"),
        *[nat_row("type=dnat_and_snat", f"external_ip=172.16.0.{130 + i}",
                  f"logical_ip=10.0.0.{2 + i % 3}", f"logical_port=p{1 + i % 3}",
                  f"external_mac=\"{mac}\"")
          for i, mac in enumerate(["00:00:00:00:00:a1", "00:00:00:00:00:A2", "0:0:0:0:0:a3",
                                   "00:00:00:00:00:a1", "00:00:00:00:00:b5",
                                   *(f"00:00:00:00:01:{k:02x}" for k in range(12))])],
        nat_row("type=snat", "external_ip=172.16.0.140", "logical_ip=10.0.0.5",
                "external_mac=\"00:00:00:00:00:c1\"")],
    "stateless_v4_v6": [
        nb("--stateless", "lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.121", "10.0.0.2"),
        nb("--stateless", "lr-nat-add", "lr0", "dnat_and_snat", "fd10::121", "fd00::2")],
    "stateless_option_on_snat_is_ignored": [
        nat_row("type=snat", "external_ip=172.16.0.100", "logical_ip=10.0.0.0/24",
                "options:stateless=true"),
        nat_row("type=dnat", "external_ip=172.16.0.110", "logical_ip=10.0.0.2",
                "options:stateless=true")],
    "v6_all_types": [
        nb("lr-nat-add", "lr0", "snat", "fd10::100", "fd00::/64"),
        nb("lr-nat-add", "lr0", "dnat", "fd10::110", "fd00::2"),
        nb("lr-nat-add", "lr0", "dnat_and_snat", "fd10::120", "fd00::3")],
    "dual_stack_with_snat_ct_zone": [
        nb("set", "logical_router", "lr0", "options:snat-ct-zone=5"),
        nb("lr-nat-add", "lr0", "snat", "172.16.0.100", "10.0.0.0/24"),
        nb("lr-nat-add", "lr0", "snat", "fd10::100", "fd00::/64"),
        nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.120", "10.0.0.2"),
        nb("lr-nat-add", "lr0", "dnat_and_snat", "fd10::120", "fd00::2")],
    "v6_external_ip_written_long": [
        nat_row("type=dnat_and_snat", "external_ip=\"fd10:0:0::0120\"", "logical_ip=\"fd00::2\""),
        nat_row("type=snat", "external_ip=\"fd10:0::100\"", "logical_ip=\"fd00::/64\"")],
    "port_range": [
        nb("--portrange", "lr-nat-add", "lr0", "snat", "172.16.0.100", "10.0.0.0/24",
           "1000-2000"),
        nb("--portrange", "lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.120", "10.0.0.2",
           "3000-4000"),
        nb("--portrange", "lr-nat-add", "lr0", "dnat", "fd10::110", "fd00::2", "5000")],
    "allowed_ext_ips": [
        address_set("allow4", "192.168.0.0/16"), address_set("allow6", "fd99::/64"),
        nat_row("type=snat", "external_ip=172.16.0.100", "logical_ip=\"10.0.0.0/24\"",
                "allowed_ext_ips=@a", refs=[as_ref("a", "allow4")]),
        nat_row("type=dnat_and_snat", "external_ip=172.16.0.120", "logical_ip=10.0.0.2",
                "allowed_ext_ips=@a", refs=[as_ref("a", "allow4")]),
        nat_row("type=dnat", "external_ip=\"fd10::110\"", "logical_ip=\"fd00::2\"",
                "allowed_ext_ips=@a", refs=[as_ref("a", "allow6")])],
    "exempted_ext_ips": [
        address_set("exempt4", "192.168.0.0/16"), address_set("exempt6", "fd99::/64"),
        nat_row("type=snat", "external_ip=172.16.0.100", "logical_ip=\"10.0.0.0/24\"",
                "exempted_ext_ips=@a", refs=[as_ref("a", "exempt4")]),
        nat_row("type=dnat_and_snat", "external_ip=172.16.0.120", "logical_ip=10.0.0.2",
                "exempted_ext_ips=@a", refs=[as_ref("a", "exempt4")]),
        nat_row("type=dnat_and_snat", "external_ip=172.16.0.121", "logical_ip=10.0.0.3",
                "options:stateless=true", "exempted_ext_ips=@a", refs=[as_ref("a", "exempt4")]),
        nat_row("type=snat", "external_ip=\"fd10::100\"", "logical_ip=\"fd00::/64\"",
                "exempted_ext_ips=@a", refs=[as_ref("a", "exempt6")])],
    "allowed_and_exempted_both_skipped": [
        address_set("allow4", "192.168.0.0/16"), address_set("exempt4", "192.168.1.0/24"),
        nat_row("type=dnat_and_snat", "external_ip=172.16.0.120", "logical_ip=10.0.0.2",
                "allowed_ext_ips=@a", "exempted_ext_ips=@e",
                refs=[as_ref("a", "allow4"), as_ref("e", "exempt4")])],
    "same_external_ip_several_nats": [
        nb("lr-nat-add", "lr0", "snat", "172.16.0.100", "10.0.0.0/24"),
        nat_row("type=snat", "external_ip=172.16.0.100", "logical_ip=\"10.0.0.0/24\""),
        nat_row("type=dnat_and_snat", "external_ip=172.16.0.100", "logical_ip=10.0.0.2"),
        nat_row("type=dnat", "external_ip=172.16.0.110", "logical_ip=10.0.0.3"),
        nat_row("type=dnat", "external_ip=172.16.0.110", "logical_ip=10.0.0.4")],
    "external_ip_equal_to_router_port_ip": [
        nb("lr-nat-add", "lr0", "snat", "172.16.0.1", "10.0.0.0/24"),
        nb("lr-nat-add", "lr0", "snat", "fd10::1", "fd00::/64"),
        nb("lr-nat-add", "lr0", "dnat_and_snat", "10.0.0.1", "10.0.0.5")],
    "malformed_rows": [
        nat_row("type=snat", "external_ip=\"172.16.0.300\"", "logical_ip=\"10.0.0.0/24\""),
        nat_row("type=snat", "external_ip=junk", "logical_ip=\"10.0.0.0/24\""),
        nat_row("type=dnat", "external_ip=\"172.16.0.0/24\"", "logical_ip=10.0.0.2"),
        nat_row("type=snat", "external_ip=\"172.16.0.101 172.16.0.102\"",
                "logical_ip=\"10.0.0.0/24\""),
        nat_row("type=dnat", "external_ip=172.16.0.110", "logical_ip=\"10.0.0.0/24\""),
        nat_row("type=dnat_and_snat", "external_ip=172.16.0.111", "logical_ip=\"10.0.0.x\""),
        nat_row("type=snat", "external_ip=172.16.0.112", "logical_ip=\"10.0.0.7/24\""),
        nat_row("type=snat", "external_ip=172.16.0.113", "logical_ip=\"fd00::/64\""),
        nat_row("type=dnat_and_snat", "external_ip=\"fd10::114\"", "logical_ip=10.0.0.2"),
        nat_row("type=dnat_and_snat", "external_ip=172.16.0.115", "logical_ip=10.0.0.2",
                "logical_port=p1", "external_mac=\"zz:00:00:00:00:01\""),
        nat_row("type=snat", "external_ip=\"172.16.0.116/32\"", "logical_ip=\"10.0.0.0/24\""),
        # parsed for ARP replies, but not a whole address for NAT flows
        nat_row("type=dnat", "external_ip=\"172.16.0.117 \"", "logical_ip=10.0.0.2"),
        nat_row("type=snat", "external_ip=172.16.0.118",
                "logical_ip=\"10.0.0.0/255.0.255.0\"")],
    "add_route_has_no_effect_without_gateway_ports": [
        nb("lr-add", "lr1"), *link("ext", "lr1", "lr1-ext", "00:00:00:00:ff:11", "172.16.0.2/24"),
        nat_row("type=dnat_and_snat", "external_ip=172.16.0.120", "logical_ip=10.0.0.2",
                "options:add_route=true"),
        nat_row("type=dnat", "external_ip=172.16.0.121", "logical_ip=10.0.0.3",
                "options:add_route=true")],
    "gateway_port_on_gateway_router_skipped": [
        nat_row("type=dnat_and_snat", "external_ip=172.16.0.120", "logical_ip=10.0.0.2",
                "gateway_port=@p", refs=[("--id=@p", "get", "Logical_Router_Port", "lrp-ext",
                                          "_uuid")])],
}

FORCE_SNAT = {
    "dnat_force_snat_ip_v4": [
        nb("set", "logical_router", "lr0", "options:dnat_force_snat_ip=172.16.0.200"),
        nb("lr-nat-add", "lr0", "dnat", "172.16.0.110", "10.0.0.2"),
        nb("lr-nat-add", "lr0", "dnat_and_snat", "fd10::120", "fd00::2")],
    "dnat_force_snat_ip_dual": [
        nb("set", "logical_router", "lr0",
           "options:dnat_force_snat_ip=\"172.16.0.200 fd10::200\"")],
    "lb_force_snat_ip_dual": [
        nb("set", "logical_router", "lr0",
           "options:lb_force_snat_ip=\"fd10::201 172.16.0.201\"")],
    "force_snat_ip_is_router_port_ip": [
        nb("set", "logical_router", "lr0", "options:dnat_force_snat_ip=172.16.0.1"),
        nb("set", "logical_router", "lr0", "options:lb_force_snat_ip=fd00::1")],
    # (an invalid force-SNAT address makes ovn-northd 23.03.1 free its
    # parsed addresses twice and crash: no scenario)
    "force_snat_ips_shared_with_snat": [
        nb("set", "logical_router", "lr0", "options:dnat_force_snat_ip=172.16.0.100",
           "options:lb_force_snat_ip=172.16.0.100"),
        nb("lr-nat-add", "lr0", "snat", "172.16.0.100", "10.0.0.0/24")],
    "lb_force_snat_router_ip": [
        nb("set", "logical_router", "lr0", "options:lb_force_snat_ip=router_ip"),
        nb("lr-nat-add", "lr0", "snat", "172.16.0.100", "10.0.0.0/24"),
        # a port without a peer, one with two IPv4 networks, one IPv4 only
        nb("lrp-add", "lr0", "lrp-lonely", "00:00:00:00:ff:03", "192.168.0.1/24"),
        nb("ls-add", "sw3"),
        *link("sw3", "lr0", "lrp-two", "00:00:00:00:ff:04", "192.168.1.1/24",
              "192.168.2.1/24", "fd20::1/64", "fd21::1/64"),
        nb("ls-add", "sw4"),
        *link("sw4", "lr0", "lrp-v4", "00:00:00:00:ff:05", "192.168.3.1/24")],
}


@pytest.mark.parametrize("commands", GW_NATS.values(), ids=GW_NATS.keys())
def test_gateway_router_nat(commands):
    assert_matches_reference([*router(), *commands])


@pytest.mark.parametrize("commands", FORCE_SNAT.values(), ids=FORCE_SNAT.keys())
def test_gateway_router_force_snat(commands):
    assert_matches_reference([*router(), *commands])


OTHER_ROUTERS = {
    # northd builds no NAT flows without a gateway, but answers ARP/ND for
    # the external IPs and steers requests for them on the switch
    "distributed_router_without_gateway_port": [
        *router(gateway=False),
        nb("lr-nat-add", "lr0", "snat", "172.16.0.100", "10.0.0.0/24"),
        nb("lr-nat-add", "lr0", "snat", "172.16.0.1", "10.1.0.0/24"),
        nb("lr-nat-add", "lr0", "dnat_and_snat", "fd10::120", "fd00::2"),
        nat_row("type=dnat_and_snat", "external_ip=172.16.0.121", "logical_ip=10.0.0.2",
                "logical_port=p1", "external_mac=\"00:00:00:00:00:a1\""),
        nb("set", "logical_router", "lr0", "options:dnat_force_snat_ip=172.16.0.200",
           "options:lb_force_snat_ip=router_ip")],
    "disabled_gateway_router": [
        *router(), nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.120", "10.0.0.2"),
        nb("set", "logical_router", "lr0", "enabled=false")],
    "chassis_without_features": [
        ["ovn-sbctl", "chassis-add", "ch1", "geneve", "127.0.0.1"], *router(),
        nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.120", "10.0.0.2")],
    "copp_nd_na_meter": [
        *router(), nb("lr-nat-add", "lr0", "dnat_and_snat", "fd10::120", "fd00::2"),
        nb("meter-add", "m1", "drop", "10", "pktps"),
        nb("--", "--id=@c", "create", "Copp", "name=c1", "meters:nd-na=m1", "--",
           "set", "Logical_Router", "lr0", "copp=@c")],
}


@pytest.mark.parametrize("commands", OTHER_ROUTERS.values(), ids=OTHER_ROUTERS.keys())
def test_nat_elsewhere(commands):
    assert_matches_reference(commands)


def test_malformed_nat_rows_are_logged(caplog):
    with caplog.at_level(logging.WARNING):
        assert_matches_reference([*router(), *GW_NATS["malformed_rows"]])
    assert "bad external_ip 'junk'; skipped (as northd does)" in caplog.text
    assert "bad logical_ip '10.0.0.0/24' for dnat; its flows skipped" in caplog.text


@pytest.mark.parametrize("text, family, expected", [
    ("10.0.0.5", "ipv4", Masked("ipv4", 32, True)),
    ("10.0.0.7/24", "ipv4", Masked("ipv4", 24, False)),
    ("10.0.0.0/255.0.255.0", "ipv4", Masked("ipv4", 24, False)),   # trailing zeros count
    ("10.0.0.0/33", "ipv4", None),
    ("10.0.0.5 ", "ipv4", None),
    ("fd00::/64", "ipv6", Masked("ipv6", 64, False)),
    ("fd00::/ffff:ff00::", "ipv6", Masked("ipv6", 24, False)),
    ("fd00::/1::", "ipv6", None),           # "/%d" is tried first
    ("fd00::2", "ipv4", None),
])
def test_masked_addresses_parse_as_ovs_does(text, family, expected):
    assert parse_masked(text, family) == expected


def test_string_set_order_follows_ovs_hashing():
    """Orders the reference printed (scenario external_macs_...); a set
    growing past its bucket count reverses colliding chains."""
    assert sset_order(["00:00:00:00:ff:01", "zz:00:00:00:00:01"]) == [
        "00:00:00:00:ff:01", "zz:00:00:00:00:01"]
    assert sset_order(["00:00:00:00:ff:02", "zz:00:00:00:00:01"]) == [
        "zz:00:00:00:00:01", "00:00:00:00:ff:02"]
    assert sset_order(["a", "b", "a"]) == sset_order(["a", "b"])
