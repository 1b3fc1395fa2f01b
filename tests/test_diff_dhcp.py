"""Native DHCPv4 and DHCPv6 (DHCP_Options rows named by switch ports):
ls_in_dhcp_options, ls_in_dhcp_response and the ls_out_acl server-reply
allowances, compared flow for flow with ovn-northd 23.03.1."""
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import assert_matches_reference, differential_examples

pytestmark = pytest.mark.usefixtures("reference_available")


def nb(*args):
    return ["ovn-nbctl", *args]


def vif(name, *addresses, sw="sw0"):
    return [nb("lsp-add", sw, name), *([nb("lsp-set-addresses", name, *addresses)]
                                       if addresses else [])]


def dhcp(column, cidr, options, *ports):
    """One DHCP_Options row (cidr, options) named by `ports` in `column`
    (dhcpv4_options / dhcpv6_options)."""
    opts = ", ".join(f"{json.dumps(k)}={json.dumps(v)}" for k, v in options.items())
    sets = [a for p in ports for a in ("--", "set", "logical_switch_port", p, f"{column}=@d")]
    return nb("--", "--id=@d", "create", "dhcp_options", f"cidr={json.dumps(cidr)}",
              f"options={{{opts}}}", *sets)


def v4(cidr, options, *ports):
    return dhcp("dhcpv4_options", cidr, options, *ports)


def v6(cidr, options, *ports):
    return dhcp("dhcpv6_options", cidr, options, *ports)


V4_BASE = {"server_id": "10.0.0.1", "server_mac": "c0:ff:ee:00:00:01", "lease_time": "3600",
           "router": "10.0.0.1"}
V6_BASE = {"server_id": "00:00:00:10:00:01"}

# Every option kind of the catalogue (lib/ovn-l7.h), values as a CMS writes them.
V4_ALL_KINDS = {
    **V4_BASE,
    "dns_server": "{8.8.8.8, 9.9.9.9}", "log_server": "10.0.0.2", "lpr_server": "10.0.0.3",
    "hostname": '"vm1"', "domain_name": '"example.org"', "swap_server": "10.0.0.4",
    "policy_filter": "{10.0.0.0/8, 192.168.0.0/16}", "router_solicitation": "10.0.0.5",
    "nis_server": "10.0.0.6", "ntp_server": "{10.0.0.7}", "tftp_server": '"tftp.example"',
    "classless_static_route": "{30.0.0.0/24,10.0.0.10, 0.0.0.0/0,10.0.0.1}",
    "ms_classless_static_route": "{30.0.0.0/24,10.0.0.10}",
    "ip_forward_enable": "1", "router_discovery": "0", "ethernet_encap": "0",
    "default_ttl": "64", "tcp_ttl": "64", "mtu": "1442", "T1": "1800", "T2": "3150",
    "bootfile_name": '"pxelinux.0"', "wpad": '"http://wpad/wpad.dat"', "path_prefix": '"/tftp"',
    "tftp_server_address": "10.0.0.8", "domain_search_list": '"a.example,b.example"',
    "broadcast_address": "10.0.0.255", "netbios_name_server": "10.0.0.9",
    "netbios_node_type": "2", "bootfile_name_alt": '"ipxe.efi"', "arp_cache_timeout": "60",
    "tcp_keepalive_interval": "7200", "next_server": "10.0.0.10",
}

SCENARIOS = {
    "v4_minimal": [*vif("p1", "00:00:00:00:00:01 10.0.0.10"),
                   v4("10.0.0.0/24", V4_BASE, "p1")],
    "v4_every_option_kind": [*vif("p1", "00:00:00:00:00:01 10.0.0.10"),
                             v4("10.0.0.0/24", V4_ALL_KINDS, "p1")],
    "v4_option_values_not_checked": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10"),
        v4("10.0.0.0/24", {**V4_BASE, "mtu": "huge", "router": "nope", "dns_server": "{}",
                           "unknown_option": "x y", "lease_time": "-1"}, "p1")],
    "v4_netmask_in_options_and_dotted_mask_cidr": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10"),
        v4("10.0.0.0/255.255.0.0", {**V4_BASE, "netmask": "255.255.255.0"}, "p1")],
    # The row's own netmask prints after the added one, or before it when
    # adding the port's hostname rehashes northd's copy (8, 16 entries).
    "v4_netmask_in_options_with_hostname_rehash": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10"), *vif("p2", "00:00:00:00:00:02 10.0.0.11"),
        *vif("p3", "00:00:00:00:00:03 10.0.0.12"),
        nb("lsp-set-options", "p1", 'hostname="h1"'), nb("lsp-set-options", "p2", 'hostname="h2"'),
        nb("lsp-set-options", "p3", 'hostname="h3"'),
        v4("10.0.0.0/24", {**V4_BASE, "netmask": "255.0.0.0", "mtu": "1400",
                           "dns_server": "10.0.0.2"}, "p1"),
        v4("10.0.0.0/24", {**V4_BASE, "netmask": "255.0.0.0", "mtu": "1400"}, "p2"),
        v4("10.0.0.0/24", {**V4_BASE, "netmask": "255.0.0.0", "mtu": "1400",
                           "dns_server": "10.0.0.2", "hostname": '"x"'}, "p3"),
        *vif("p4", "00:00:00:00:00:04 10.0.0.13"), nb("lsp-set-options", "p4", 'hostname="h4"'),
        v4("10.0.0.0/24", {**V4_BASE, "netmask": "255.0.0.0",
                           **{f"x{i}": str(i) for i in range(10)}}, "p4"),
        *vif("p5", "00:00:00:00:00:05 10.0.0.14"), nb("lsp-set-options", "p5", 'hostname="h5"'),
        v4("10.0.0.0/24", {**V4_BASE, "netmask": "255.0.0.0",
                           **{f"x{i}": str(i) for i in range(11)}}, "p5")],
    "v4_non_cidr_mask_no_mask_and_slash_zero": [*vif("p1", "00:00:00:00:00:01 10.1.0.10"),
                         *vif("p2", "00:00:00:00:00:02 10.1.1.10"),
                         v4("10.0.0.0/255.0.255.0", V4_BASE, "p1", "p2"),
                         *vif("p3", "00:00:00:00:00:03 10.0.0.10"),
                         *vif("p4", "00:00:00:00:00:04 10.0.0.11"),
                         v4("10.0.0.10", V4_BASE, "p3"), v4("0.0.0.0/0", V4_BASE, "p4")],
    "v4_missing_required_options": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10"), *vif("p2", "00:00:00:00:00:02 10.0.0.11"),
        *vif("p3", "00:00:00:00:00:03 10.0.0.12"),
        v4("10.0.0.0/24", {"server_id": "10.0.0.1", "server_mac": "c0:ff:ee:00:00:01"}, "p1"),
        v4("10.0.0.0/24", {"server_mac": "c0:ff:ee:00:00:01", "lease_time": "60"}, "p2"),
        v4("10.0.0.0/24", {"server_id": "10.0.0.1", "lease_time": "60"}, "p3")],
    "v4_bad_cidrs_and_offer_outside_cidr": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10"), *vif("p2", "00:00:00:00:00:02 10.0.0.11"),
        *vif("p3", "00:00:00:00:00:03 10.0.0.12"), *vif("p4", "00:00:00:00:00:04 10.0.0.13"),
        v4("10.0.0.0/33", V4_BASE, "p1"), v4("10.0.0.0/24 ", V4_BASE, "p2"),
        v4("fd00::/64", V4_BASE, "p3"), v4("10.0.0/24", V4_BASE, "p4"),
        *vif("p5", "00:00:00:00:00:05 192.168.0.10"), v4("10.0.0.0/24", V4_BASE, "p5")],
    "v4_hostname_override": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10"), *vif("p2", "00:00:00:00:00:02 10.0.0.11"),
        nb("lsp-set-options", "p1", 'hostname="override"'),
        nb("lsp-set-options", "p2", 'hostname="only-lsp"'),
        v4("10.0.0.0/24", {**V4_BASE, "hostname": '"from-options"'}, "p1"),
        v4("10.0.0.0/24", V4_BASE, "p2")],
    "several_addresses_first_ip_in_cidr": [
        *vif("p1", "00:00:00:00:00:01 192.168.0.5 10.0.0.10 10.0.0.11",
             "00:00:00:00:00:11 10.0.0.20 fd00::20", "00:00:00:00:00:21 172.16.0.1",
             "00:00:00:00:00:31"),
        v4("10.0.0.0/24", V4_BASE, "p1"), v6("fd00::/64", V6_BASE, "p1")],
    "shared_options_on_several_ports_and_switches": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10"), *vif("p2", "00:00:00:00:00:02 10.0.0.11"),
        nb("ls-add", "sw1"), *vif("q1", "00:00:00:00:00:03 10.0.0.12", sw="sw1"),
        v4("10.0.0.0/24", V4_BASE, "p1", "p2", "q1")],
    "v6_stateful_every_option_kind": [
        *vif("p1", "00:00:00:00:00:01 fd00::10"), *vif("p2", "00:00:00:00:00:02 fd00::11"),
        v6("fd00::/64", {**V6_BASE, "dns_server": "{fd00::53}",
                         "domain_search": '"example.org"'}, "p1"),
        v6("fd00::/64", {**V6_BASE, "ia_addr": "fd00::99", "x": "y"}, "p2")],
    "v6_stateless": [*vif("p1", "00:00:00:00:00:01 fd00::10"),
                     *vif("p2", "00:00:00:00:00:02 fd00::11"),
                     v6("fd00::/64", {**V6_BASE, "dhcpv6_stateless": "true",
                                      "dns_server": "{fd00::53}"}, "p1"),
                     v6("fd00::/64", {**V6_BASE, "dhcpv6_stateless": "TRUE"}, "p2"),
                     *vif("p3", "00:00:00:00:00:03 fd00::12"),
                     v6("fd00::/64", {**V6_BASE, "dhcpv6_stateless": "false"}, "p3")],
    "v6_bad_server_id_and_cidr": [
        *vif("p1", "00:00:00:00:00:01 fd00::10"), *vif("p2", "00:00:00:00:00:02 fd00::11"),
        *vif("p3", "00:00:00:00:00:03 fd00::12"), *vif("p4", "00:00:00:00:00:04 fd00::13"),
        v6("fd00::/64", {"server_id": "fd00::1"}, "p1"),
        v6("fd00::/64", {"server_id": "00:00:00:10:00:01:02"}, "p2"),
        v6("fd00::/129", V6_BASE, "p3"), v6("10.0.0.0/24", V6_BASE, "p4")],
    "v6_odd_server_mac_and_mask": [
        *vif("p1", "00:00:00:00:00:01 fd00::10"), *vif("p2", "00:00:00:00:00:02 fd00:0:0:1::10"),
        v6(" fd00::/ffff:ffff::", {"server_id": "0:A:0:10:0:1"}, "p1"),
        v6("fd00::/ffff:0:0:ffff::", V6_BASE, "p2")],
    "v6_offer_outside_cidr_and_mapped": [
        *vif("p1", "00:00:00:00:00:01 fd01::10"), *vif("p2", "00:00:00:00:00:02 ::ffff:10.0.0.5"),
        v6("fd00::/64", V6_BASE, "p1"), v6("::ffff:0.0.0.0/96", V6_BASE, "p2")],
    "dual_stack_port": [*vif("p1", "00:00:00:00:00:01 10.0.0.10 fd00::10"),
                        v4("10.0.0.0/24", V4_BASE, "p1"), v6("fd00::/64", V6_BASE, "p1")],
    "disabled_and_router_ports": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10"), nb("lsp-set-enabled", "p1", "disabled"),
        nb("lr-add", "lr0"), nb("lrp-add", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        *vif("rp", "router"), nb("lsp-set-type", "rp", "router"),
        nb("lsp-set-options", "rp", "router-port=lrp0"),
        v4("10.0.0.0/24", V4_BASE, "p1", "rp")],
    "port_without_addresses_and_unknown": [
        *vif("p1"), *vif("p2", "unknown"), *vif("p3", "00:00:00:00:00:03"),
        v4("10.0.0.0/24", V4_BASE, "p1", "p2", "p3")],
    "dynamic_address_with_ipam": [
        nb("set", "logical_switch", "sw0", "other_config:subnet=10.0.0.0/24"),
        *vif("p1", "dynamic"), v4("10.0.0.0/24", V4_BASE, "p1")],
    "stateful_acl_commits_replies": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10 fd00::10"),
        v4("10.0.0.0/24", V4_BASE, "p1"), v6("fd00::/64", V6_BASE, "p1"),
        nb("acl-add", "sw0", "to-lport", "1000", "ip4", "allow-related")],
    "stateless_acl_and_lb_vip": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10"), v4("10.0.0.0/24", V4_BASE, "p1"),
        nb("acl-add", "sw0", "to-lport", "1000", "ip4", "allow"),
        nb("ls-add", "sw1"), *vif("q1", "00:00:00:00:00:02 10.0.0.11", sw="sw1"),
        v4("10.0.0.0/24", V4_BASE, "q1"),
        nb("lb-add", "lb0", "10.0.0.100:80", "10.0.0.10:80"), nb("ls-lb-add", "sw1", "lb0")],
    "copp_meters": [
        *vif("p1", "00:00:00:00:00:01 10.0.0.10 fd00::10"),
        v4("10.0.0.0/24", V4_BASE, "p1"), v6("fd00::/64", V6_BASE, "p1"),
        nb("meter-add", "m4", "drop", "10", "pktps"), nb("meter-add", "m6", "drop", "20", "pktps"),
        nb("copp-add", "cp1", "dhcpv4-opts", "m4"), nb("copp-add", "cp1", "dhcpv6-opts", "m6"),
        nb("ls-copp-add", "cp1", "sw0")],
    "names_needing_json_escapes": [*vif('p"1\\x', "00:00:00:00:00:01 10.0.0.10"),
                                   v4("10.0.0.0/24", V4_BASE, 'p"1\\x')],
}


def localnet(name, sw="sw0"):
    return [*vif(name, "unknown", sw=sw), nb("lsp-set-type", name, "localnet"),
            nb("lsp-set-options", name, "network_name=phys")]


def external(name, *addresses, sw="sw0", group=True):
    cmds = [*vif(name, *addresses, sw=sw), nb("lsp-set-type", name, "external")]
    if group:
        cmds.append(nb("--", "--id=@h", "create", "ha_chassis_group", f"name=hcg-{name}",
                       "--", "set", "logical_switch_port", name, "ha_chassis_group=@h"))
    return cmds


EXTERNAL = {
    "external_via_two_localnets": [
        *localnet("ln1"), *localnet("ln2"),
        *external("ext", "00:00:00:00:00:09 10.0.0.9 fd00::9"),
        v4("10.0.0.0/24", V4_BASE, "ext"), v6("fd00::/64", V6_BASE, "ext")],
    "external_without_localnet_or_ha_chassis_group": [
        *external("ext", "00:00:00:00:00:09 10.0.0.9"), v4("10.0.0.0/24", V4_BASE, "ext"),
        nb("ls-add", "sw1"), *localnet("ln1", sw="sw1"),
        *external("ext1", "00:00:00:00:00:0a 10.0.0.10", sw="sw1", group=False),
        v4("10.0.0.0/24", V4_BASE, "ext1")],
}


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_dhcp(commands):
    assert_matches_reference([nb("ls-add", "sw0"), *commands])


@pytest.mark.parametrize("commands", EXTERNAL.values(), ids=EXTERNAL.keys())
def test_dhcp_external_ports(commands):
    assert_matches_reference([nb("ls-add", "sw0"), *commands])


def test_dhcp_options_changes_feed_the_dhcp_rules_only():
    from relnorthd.incremental import affected

    dhcp_rules = {"build_dhcpv4_options_flows", "build_dhcpv6_options_flows",
                  "build_acls_dhcp_replies"}
    for column in ("cidr", "options"):
        assert {p.stem for p in affected({"DHCP_Options": {column}})} == dhcp_rules
    assert dhcp_rules <= {p.stem for p in affected({"Logical_Switch_Port": {"options"}})}


@st.composite
def dhcp_nbs(draw):
    """Ports with random address entries, each naming one of a few random
    DHCPv4/v6 rows (valid or bad cidrs, with or without required options,
    0-12 extra options to vary northd's smap sizes, a netmask of their own),
    some with options:hostname, some disabled, on a switch stateful or not."""
    v4_cidrs = st.sampled_from(["10.0.0.0/24", "10.0.0.0/255.255.0.0", "10.0.0.0/8",
                                "10.0.0.0/33", "192.168.0.0/16"])
    v6_cidrs = st.sampled_from(["fd00::/64", "fd00::/16", "fd01::/64", "fd00::/200"])
    # address entry templates, {p} the port's number (nbctl refuses duplicate IPs)
    entries = st.sampled_from(["00:00:00:00:{p}:01 10.0.{p}.1 fd00::{p}:1",
                               "00:00:00:00:{p}:02 10.0.{p}.2",
                               "00:00:00:00:{p}:03 192.168.{p}.3 10.0.{p}.3",
                               "00:00:00:00:{p}:04 fd01::{p}:4 fd00::{p}:4",
                               "00:00:00:00:{p}:05"])
    cmds = []
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        family = draw(st.sampled_from(["v4", "v6"]))
        extra = {f"x{k}": str(k) for k in range(draw(st.integers(0, 12)))}
        if family == "v4":
            base = {k: v for k, v in V4_BASE.items()
                    if k != "lease_time" or draw(st.booleans())}
            if draw(st.booleans()):
                base["netmask"] = "255.0.0.0"
            if draw(st.booleans()):
                base["hostname"] = '"row"'
            rows.append(("dhcpv4_options", draw(v4_cidrs), {**base, **extra}))
        else:
            base = {**V6_BASE, **({"dhcpv6_stateless": "true"} if draw(st.booleans()) else {})}
            rows.append(("dhcpv6_options", draw(v6_cidrs), {**base, **extra}))
    ports = [f"p{i}" for i in range(draw(st.integers(1, 3)))]
    for n, p in enumerate(ports):
        cmds += vif(p, *(e.format(p=n + 1) for e in
                         draw(st.lists(entries, min_size=1, max_size=2, unique=True))))
        if draw(st.booleans()):
            cmds.append(nb("lsp-set-options", p, f'hostname="{p}"'))
        if draw(st.integers(0, 4)) == 0:
            cmds.append(nb("lsp-set-enabled", p, "disabled"))
    for column, cidr, options in rows:
        users = draw(st.lists(st.sampled_from(ports), min_size=1, unique=True))
        cmds.append(dhcp(column, cidr, options, *users))
    if draw(st.booleans()):
        cmds.append(nb("acl-add", "sw0", "to-lport", "1000", "ip", "allow-related"))
    return cmds


@differential_examples
@given(dhcp_nbs())
def test_random_dhcp_nbs(commands):
    assert_matches_reference([nb("ls-add", "sw0"), *commands])
