"""Distributed gateway ports (gateway_chassis, ha_chassis_group) on routers
without NAT: cr- ports, is_chassis_resident conditions, gateway redirect,
gateway_mtu, reside-on-redirect-chassis, redirect-type=bridged and the
switch-side flows of their peers, compared flow for flow with ovn-northd
23.03.1 (switch and router pipelines both)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import assert_matches_reference, differential_examples, link, nb

pytestmark = pytest.mark.usefixtures("reference_available")


def vif(sw, name, *addresses):
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, *addresses)]


def localnet(sw, name="ln", tag=None):
    cmds = [nb("lsp-add", sw, name), nb("lsp-set-type", name, "localnet"),
            nb("lsp-set-addresses", name, "unknown"),
            nb("lsp-set-options", name, "network_name=phys")]
    if tag is not None:
        cmds.append(nb("set", "logical_switch_port", name, f"tag_request={tag}"))
    return cmds


def ha_group(lrp, group, *chassis):
    """An HA_Chassis_Group with `chassis` (name, priority), set on `lrp`."""
    return [nb("--id=@g", "create", "HA_Chassis_Group", f"name={group}", "--",
               "set", "Logical_Router_Port", lrp, "ha_chassis_group=@g"),
            *[nb("ha-chassis-group-add-chassis", group, ch, str(prio)) for ch, prio in chassis]]


def router(*networks_pub, networks_int=("10.0.0.1/24",), pub_mac="00:00:00:00:ff:01"):
    """lr0 with a tenant port on sw0 (one VIF) and a public port lr0-pub on
    `pub` (one VIF)."""
    return [nb("ls-add", "sw0"), nb("ls-add", "pub"), nb("lr-add", "lr0"),
            *link("sw0", "lr0", "lrp0", "00:00:00:00:ff:00", *networks_int),
            *link("pub", "lr0", "lr0-pub", pub_mac, *networks_pub),
            *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2 fd00::2"),
            *vif("pub", "ext1", "00:00:00:00:00:aa 172.16.0.10 fd10::10")]


V4 = router("172.16.0.1/24")
V6 = router("fd10::1/64", networks_int=("fd00::1/64",))
DUAL = router("172.16.0.1/24", "fd10::1/64", networks_int=("10.0.0.1/24", "fd00::1/64"))
GW1 = [nb("lrp-set-gateway-chassis", "lr0-pub", "hv1", "20")]

SCENARIOS = {
    "gateway_chassis_ipv4": [*V4, *GW1],
    "gateway_chassis_ipv6": [*V6, *GW1],
    "gateway_chassis_dual_stack": [*DUAL, *GW1],
    "several_gateway_chassis": [*DUAL, *GW1, nb("lrp-set-gateway-chassis", "lr0-pub", "hv2", "10"),
                                nb("lrp-set-gateway-chassis", "lr0-pub", "hv3", "30")],
    "ha_chassis_group": [*DUAL, *ha_group("lr0-pub", "g1", ("hv1", 20), ("hv2", 10))],
    "empty_ha_chassis_group": [*DUAL, *ha_group("lr0-pub", "g1")],
    "legacy_redirect_chassis_option_only": [
        *DUAL, nb("set", "logical_router_port", "lr0-pub", "options:redirect-chassis=hv1")],
    "localnet_on_peer_switch": [*DUAL, *GW1, *localnet("pub")],
    "tagged_localnet_on_peer_switch": [*DUAL, *GW1, *localnet("pub", tag=10)],
    "reside_on_redirect_chassis": [
        *DUAL, *GW1, *localnet("pub"), *localnet("sw0", "ln0"),
        nb("set", "logical_router_port", "lrp0", "options:reside-on-redirect-chassis=true")],
    "reside_on_redirect_chassis_without_localnet": [
        *DUAL, *GW1,
        nb("set", "logical_router_port", "lrp0", "options:reside-on-redirect-chassis=true")],
    "gateway_mtu_on_gateway_port": [
        *DUAL, *GW1, nb("set", "logical_router_port", "lr0-pub", "options:gateway_mtu=1400")],
    "gateway_mtu_with_bypass_on_gateway_port": [
        *DUAL, *GW1, *localnet("pub", tag=5),
        nb("set", "logical_router_port", "lr0-pub", "options:gateway_mtu=1400",
           "options:gateway_mtu_bypass=tcp")],
    "gateway_mtu_on_tenant_port_of_dgp_router": [
        *DUAL, *GW1, nb("set", "logical_router_port", "lrp0", "options:gateway_mtu=1300")],
    "redirect_type_bridged": [
        *DUAL, *GW1, *localnet("pub"),
        nb("set", "logical_router_port", "lr0-pub", "options:redirect-type=bridged")],
    "redirect_type_bridged_on_other_port": [
        *DUAL, *GW1, *localnet("pub"),
        nb("set", "logical_router_port", "lrp0", "options:redirect-type=Bridged")],
    "two_gateway_ports": [
        *DUAL, *GW1, nb("ls-add", "pub2"),
        *link("pub2", "lr0", "lr0-pub2", "00:00:00:00:ff:02", "192.168.9.1/24", "fd20::1/64"),
        *localnet("pub2", "ln2"),
        nb("lrp-set-gateway-chassis", "lr0-pub2", "hv2", "10")],
    "two_gateway_ports_reside_on_redirect_chassis": [
        *DUAL, *GW1, nb("ls-add", "pub2"),
        *link("pub2", "lr0", "lr0-pub2", "00:00:00:00:ff:02", "192.168.9.1/24"),
        nb("lrp-set-gateway-chassis", "lr0-pub2", "hv2", "10"), *localnet("sw0", "ln0"),
        nb("set", "logical_router_port", "lrp0", "options:reside-on-redirect-chassis=true")],
    "gateway_chassis_and_ha_chassis_group": [
        *DUAL, *GW1, *ha_group("lr0-pub", "g1", ("hv2", 10))],
    "several_networks_on_gateway_port": [
        *router("172.16.0.1/24", "172.17.0.1/16", "fd10::1/64", "fd11::1/64"), *GW1,
        *localnet("pub")],
    "vtep_port_on_peer_switch": [
        *DUAL, *GW1, nb("lsp-add", "pub", "vtep0"), nb("lsp-set-type", "vtep0", "vtep"),
        nb("lsp-set-options", "vtep0", "vtep-physical-switch=ps0", "vtep-logical-switch=ls0")],
    "learn_only_own_arp_requests_on_dgp_router": [
        *DUAL, *GW1,
        nb("set", "logical_router", "lr0", "options:always_learn_from_arp_request=false")],
    "mcast_relay_on_dgp_router": [
        *DUAL, *GW1, nb("set", "logical_router", "lr0", "options:mcast_relay=true"),
        nb("set", "logical_switch", "pub", "other_config:mcast_snoop=true")],
    "gateway_port_on_gateway_router": [
        *DUAL, *GW1, nb("set", "logical_router", "lr0", "options:chassis=hv1")],
    "gateway_port_peered_with_router": [
        nb("lr-add", "lr0"), nb("lr-add", "lr1"),
        nb("lrp-add", "lr0", "lr0-lr1", "00:00:00:00:ff:01", "169.254.0.1/30", "fd99::1/64",
           "peer=lr1-lr0"),
        nb("lrp-add", "lr1", "lr1-lr0", "00:00:00:00:ff:02", "169.254.0.2/30", "fd99::2/64",
           "peer=lr0-lr1"),
        nb("lrp-set-gateway-chassis", "lr0-lr1", "hv1", "20")],
    "gateway_port_without_peer": [
        nb("lr-add", "lr0"),
        nb("lrp-add", "lr0", "lr0-pub", "00:00:00:00:ff:01", "172.16.0.1/24"),
        *GW1],
    "disabled_gateway_port": [
        *DUAL, *GW1, nb("lrp-set-enabled", "lr0-pub", "disabled")],
    "gateway_port_with_static_route": [
        *DUAL, *GW1, nb("lr-route-add", "lr0", "0.0.0.0/0", "172.16.0.254"),
        nb("lr-route-add", "lr0", "::/0", "fd10::fe")],
}


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_gateway_port_scenarios(commands):
    assert_matches_reference(commands)



def nat(*args):
    return nb("lr-nat-add", "lr0", *args)


def nat_row(addr_set, *columns):
    """A NAT row of lr0 with `columns`, allowed_ext_ips (or, for an address
    set named exempt*, exempted_ext_ips) set to `addr_set`."""
    col = "exempted_ext_ips" if addr_set.startswith("exempt") else "allowed_ext_ips"
    return nb("--id=@a", "get", "Address_Set", addr_set, "--", "--id=@n", "create", "NAT",
              *columns, f"{col}=@a", "--", "add", "Logical_Router", "lr0", "nat", "@n")


NAT_BASE = [*DUAL, *GW1, *localnet("pub")]
TWO_DGPS = [*NAT_BASE, nb("ls-add", "pub2"),
            *link("pub2", "lr0", "lr0-pub2", "00:00:00:00:ff:02", "192.168.9.1/24", "fd20::1/64"),
            nb("lrp-set-gateway-chassis", "lr0-pub2", "hv2", "10")]

# NAT on routers with distributed gateway ports (build_lrouter_nat_defrag_and_lb
# and its helpers, the gateway port's NAT ARP/ND, the switch's NAT MACs).
NAT_SCENARIOS = {
    "snat_ipv4": [*NAT_BASE, nat("snat", "172.16.0.100", "10.0.0.0/24")],
    "snat_ipv6_and_shared_snat_ip": [
        *NAT_BASE, nat("snat", "fd10::100", "fd00::/64"),
        nat("snat", "172.16.0.100", "10.0.0.0/25"), nat("snat", "172.16.0.100", "10.0.0.128/25")],
    "centralized_floating_ip_and_dnat": [
        *NAT_BASE, nat("dnat_and_snat", "172.16.0.101", "10.0.0.2"),
        nat("dnat", "172.16.0.103", "10.0.0.3"), nat("dnat_and_snat", "fd10::101", "fd00::2")],
    "distributed_floating_ips": [
        *NAT_BASE, *vif("sw0", "p2", "00:00:00:00:00:02 10.0.0.3"),
        nat("dnat_and_snat", "172.16.0.102", "10.0.0.2", "p1", "00:00:00:00:01:02"),
        nat("dnat_and_snat", "fd10::102", "fd00::2", "p1", "0A:00:00:00:01:03"),
        nat("dnat_and_snat", "172.16.0.104", "10.0.0.3", "p2", "00:00:00:00:01:04"),
        nat("snat", "172.16.0.100", "10.0.0.0/24")],
    "distributed_floating_ip_of_virtual_port": [
        *NAT_BASE, nb("lsp-add", "sw0", "vip"), nb("lsp-set-type", "vip", "virtual"),
        nb("lsp-set-options", "vip", "virtual-ip=10.0.0.50", "virtual-parents=p1"),
        nat("dnat_and_snat", "172.16.0.105", "10.0.0.50", "vip", "00:00:00:00:01:05")],
    "stateless_and_port_range": [
        *NAT_BASE, nb("--stateless", "lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.106",
                      "10.0.0.6"),
        nb("--portrange", "lr-nat-add", "lr0", "snat", "172.16.0.107", "10.0.1.0/24",
           "1000-2000")],
    "distributed_nat_with_redirect_type_bridged": [
        *NAT_BASE, nb("set", "logical_router_port", "lr0-pub", "options:redirect-type=bridged"),
        nat("dnat_and_snat", "172.16.0.102", "10.0.0.2", "p1", "00:00:00:00:01:02"),
        nat("dnat_and_snat", "fd10::102", "fd00::2", "p1", "00:00:00:00:01:03")],
    "two_gateway_ports_nat_by_network_and_gateway_port": [
        *TWO_DGPS, nat("snat", "172.16.0.100", "10.0.0.0/24"),
        nat("snat", "192.168.9.100", "10.0.0.0/24"),
        nat("dnat_and_snat", "fd20::5", "fd00::5"),
        nb("--gateway-port=lr0-pub2", "lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.200",
           "10.0.0.7"),
        # no DGP network holds it (ovn-nbctl refuses; northd skips it)
        nb("--id=@n", "create", "NAT", "type=dnat_and_snat", "external_ip=203.0.113.1",
           "logical_ip=10.0.0.8", "--", "add", "Logical_Router", "lr0", "nat", "@n")],
    "nat_with_gateway_port_that_is_no_dgp": [
        *NAT_BASE, nat("snat", "172.16.0.100", "10.0.0.0/24"),
        nb("--id=@p", "get", "Logical_Router_Port", "lrp0", "--", "--id=@n", "create", "NAT",
           "type=snat", "external_ip=172.16.0.99", "logical_ip=10.0.1.0/24", "gateway_port=@p",
           "--", "add", "Logical_Router", "lr0", "nat", "@n")],
    "external_ip_filters": [
        *TWO_DGPS, nb("create", "Address_Set", "name=allow1", 'addresses="8.8.8.8"'),
        nb("create", "Address_Set", "name=exempt1", 'addresses="9.9.9.9"'),
        nb("create", "Address_Set", "name=allow6", 'addresses="fd99::9"'),
        nat_row("allow1", "type=snat", "external_ip=172.16.0.100", "logical_ip=10.0.0.0/24"),
        nat_row("exempt1", "type=dnat", "external_ip=172.16.0.103", "logical_ip=10.0.0.3"),
        nat_row("allow1", "type=dnat_and_snat", "external_ip=172.16.0.106",
                "logical_ip=10.0.0.6", "options:stateless=true"),
        nat_row("exempt1", "type=dnat_and_snat", "external_ip=172.16.0.107",
                "logical_ip=10.0.0.7", "options:stateless=true"),
        nat_row("allow6", "type=dnat_and_snat", "external_ip=\"fd10::108\"",
                "logical_ip=\"fd00::8\"", "options:stateless=true"),
        nat_row("allow1", "type=dnat_and_snat", "external_ip=172.16.0.102", "logical_ip=10.0.0.2",
                "logical_port=p1", "external_mac=\"00:00:00:00:01:02\"")],
    "distributed_nat_with_gateway_mtu": [
        *DUAL, *GW1, *localnet("pub", tag=3),
        nb("set", "logical_router_port", "lr0-pub", "options:gateway_mtu=1400",
           "options:gateway_mtu_bypass=udp"),
        nat("dnat_and_snat", "172.16.0.102", "10.0.0.2", "p1", "00:00:00:00:01:02"),
        nat("dnat_and_snat", "fd10::102", "fd00::2", "p1", "0A:00:00:00:01:03"),
        nat("snat", "172.16.0.100", "10.0.0.0/24")],
    "distributed_nat_on_router_peer_with_vtep": [
        *DUAL, *GW1, nb("lsp-add", "pub", "vtep0"), nb("lsp-set-type", "vtep0", "vtep"),
        nat("dnat_and_snat", "172.16.0.102", "10.0.0.2", "p1", "00:00:00:00:01:02"),
        nat("snat", "172.16.0.100", "10.0.0.0/24")],
}


@pytest.mark.parametrize("commands", NAT_SCENARIOS.values(), ids=NAT_SCENARIOS.keys())
def test_nat_on_gateway_ports(commands):
    assert_matches_reference(commands)


@st.composite
def dgp_nbs(draw):
    """lr0 (and sometimes lr1, maybe a gateway router) on 1-3 switches; each
    router port may be a gateway port (gateway_chassis, an HA group, empty
    or not) with reside-on-redirect-chassis, redirect-type, gateway_mtu;
    switches may have a localnet (tagged or not), a vtep port and a VIF; a few
    NAT rows (snat, dnat, centralized or distributed dnat_and_snat)."""
    routers = ["lr0"] + (["lr1"] if draw(st.booleans()) else [])
    cmds = [nb("lr-add", r) for r in routers]
    if len(routers) == 2 and draw(st.booleans()):
        cmds.append(nb("set", "logical_router", "lr1", "options:chassis=hv1"))
    for s in range(draw(st.integers(1, 3))):
        sw = f"sw{s}"
        cmds.append(nb("ls-add", sw))
        for r in draw(st.lists(st.sampled_from(routers), min_size=1, max_size=2, unique=True)):
            nets = draw(st.sampled_from([[f"10.{s}.0.1/24"], [f"fd0{s}::1/64"],
                                         [f"10.{s}.0.1/24", f"fd0{s}::1/64"]]))
            lrp = f"{r}-{sw}"
            cmds += link(sw, r, lrp, f"00:00:00:00:{s:02x}:{routers.index(r) + 1:02x}", *nets)
            gw = draw(st.sampled_from(["", "", "chassis", "group", "empty_group"]))
            if gw == "chassis":
                cmds.append(nb("lrp-set-gateway-chassis", lrp, "hv1", "10"))
            elif gw:
                cmds += ha_group(lrp, f"g-{lrp}", *([("hv2", 5)] if gw == "group" else []))
            opts = draw(st.lists(st.sampled_from(["reside-on-redirect-chassis=true",
                                                  "redirect-type=bridged", "gateway_mtu=1400"]),
                                 unique=True, max_size=2))
            if opts:
                cmds.append(nb("set", "logical_router_port", lrp, *[f"options:{o}" for o in opts]))
        extras = draw(st.lists(st.sampled_from(["localnet", "tagged", "vtep", "vif"]),
                               unique=True, max_size=3))
        if "localnet" in extras or "tagged" in extras:
            cmds += localnet(sw, f"ln{s}", tag=7 if "tagged" in extras else None)
        if "vtep" in extras:
            cmds += [nb("lsp-add", sw, f"vtep{s}"), nb("lsp-set-type", f"vtep{s}", "vtep")]
        if "vif" in extras:
            cmds += vif(sw, f"vm{s}", f"0a:00:00:00:00:{s:02x} 10.{s}.0.10 fd0{s}::10")
    for k in range(draw(st.integers(0, 3))):   # NAT rows as northd reads them (no nbctl checks)
        s = draw(st.integers(0, 2))
        kind = draw(st.sampled_from(["snat", "dnat_and_snat", "distributed", "dnat"]))
        cols = [f"type={'dnat_and_snat' if kind == 'distributed' else kind}",
                f"external_ip=10.{s}.0.{100 + k}",
                f"logical_ip=10.9.0.{'0/24' if kind == 'snat' else 10 + k}"]
        if kind == "distributed":
            cols += [f"logical_port=vm{s}", f'external_mac="0a:00:00:00:09:{k:02x}"']
        cmds.append(nb("--id=@n", "create", "NAT", *cols, "--", "add", "Logical_Router",
                       draw(st.sampled_from(routers)), "nat", "@n"))
    return cmds


@differential_examples
@given(commands=dgp_nbs())
def test_random_gateway_port_nbs_match_the_reference(commands):
    assert_matches_reference(commands)


# Port bindings of chassis-redirect ports and their gateway ports (options
# distributed-port, redirect-type, always-redirect, chassis-redirect-port),
# also for a gateway port northd ignores on a gateway router.
BINDINGS = [
    *DUAL, *ha_group("lr0-pub", "g1", ("hv1", 20), ("hv2", 10)), *localnet("pub"),
    nb("set", "logical_router_port", "lr0-pub", "options:redirect-type=bridged"),
    nb("ls-add", "pub2"),
    *link("pub2", "lr0", "lr0-pub2", "00:00:00:00:ff:02", "192.168.9.1/24"),
    nb("lsp-add", "pub2", "vtep0"), nb("lsp-set-type", "vtep0", "vtep"),
    nb("lrp-set-gateway-chassis", "lr0-pub2", "hv2", "10"),
    nb("lr-add", "gr0"), nb("set", "logical_router", "gr0", "options:chassis=hv1"),
    *link("pub", "gr0", "gr0-pub", "00:00:00:00:fe:01", "172.16.0.2/24"),
    nb("lrp-set-gateway-chassis", "gr0-pub", "hv1", "10"),
]


def test_gateway_port_bindings_equal_the_reference():
    from test_run import reference_and_ours
    from test_run_ports import port_state

    def bindings(box):
        """Bindings without tunnel keys: with all commands in one go, they
        depend on when northd wakes (test_run_ports checks them step by step)."""
        box.run_script(BINDINGS)
        box.sync()
        return {name: {c: v for c, v in port.items() if c != "tunnel_key"}
                for name, port in port_state(box)[0].items()}

    expected, got = reference_and_ours(bindings)
    assert {"cr-lr0-pub", "cr-lr0-pub2"} <= got.keys()
    assert "cr-gr0-pub" not in got
    assert got == expected


def test_openstack_profile(tmp_path):
    """Tenant routers with a distributed gateway port on a shared public
    network, SNAT, distributed floating IPs and DHCP (relnorthd gen
    openstack)."""
    from relnorthd import profiles

    profiles.generate("openstack", 3, tmp_path / "nb.db")
    assert_matches_reference(nb_file=tmp_path / "nb.db")


def other_router(name="lr1", mac="00:00:00:00:fe:02", *networks):
    """Router `name` with one port on lr0's gateway switch `pub`."""
    return [nb("lr-add", name),
            *link("pub", name, f"{name}-pub", mac, *(networks or ("172.16.0.2/24",)))]


def lb_route(name, vip, backend, router="lr0"):
    return [nb("lb-add", name, vip, backend), nb("set", "load_balancer", name,
                                                  "options:add_route=true"),
            nb("lr-lb-add", router, name)]


ROUTE = ["--add-route", "lr-nat-add", "lr0"]
LR1 = other_router()
# options:add_route on NAT and router LBs of a router with a gateway port:
# routes and ARP resolution for them on the other routers of the switch.
ROUTABLE_SCENARIOS = {
    "nat_add_route_centralized": [*NAT_BASE, *LR1, nb(*ROUTE, "dnat_and_snat", "172.16.0.50",
                                                      "10.0.0.5"),
                                  nb(*ROUTE, "dnat", "172.16.0.51", "10.0.0.6"),
                                  nat("snat", "172.16.0.52", "10.0.0.0/24"),
                                  nat("dnat_and_snat", "172.16.0.53", "10.0.0.7")],
    "nat_add_route_distributed": [
        *NAT_BASE, *LR1,
        nb(*ROUTE, "dnat_and_snat", "172.16.0.60", "10.0.0.2", "p1", "00:00:00:00:01:02"),
        nb(*ROUTE, "dnat_and_snat", "172.16.0.50", "10.0.0.5"),
        nb(*ROUTE, "dnat_and_snat", "fd10::60", "fd00::2", "p1", "00:00:00:00:01:03")],
    "nat_add_route_ipv6_only": [*NAT_BASE, *LR1, nb(*ROUTE, "dnat_and_snat", "fd10::50",
                                                    "fd00::5")],
    "lb_add_route": [*NAT_BASE, *LR1, *lb_route("lb0", "172.16.0.70:80", "10.0.0.3:80"),
                     *lb_route("lb1", "172.16.0.71", "10.0.0.4"),
                     nb("lb-add", "lb2", "172.16.0.72", "10.0.0.4"), nb("lr-lb-add", "lr0", "lb2"),
                     *lb_route("lb3", "[fd10::70]:80", "[fd00::3]:80")],
    "lb_add_route_ipv6_only_other_router_a_dgp": [
        *NAT_BASE, *LR1, nb("lrp-set-gateway-chassis", "lr1-pub", "hv2", "10"),
        *lb_route("lb0", "[fd10::70]:80", "[fd00::3]:80")],
    "lb_add_route_vips_in_set_order_other_router_a_dgp": [
        *NAT_BASE, *LR1, nb("lrp-set-gateway-chassis", "lr1-pub", "hv2", "10"),
        *[c for i in range(6) for c in lb_route(f"lb{i}", f"172.16.{i}.7{i}:80", "10.0.0.3:80")],
        nb("lb-add", "lb6", "172.16.0.99:80", "10.0.0.3:80"),
        nb("lb-add", "lb6", "172.16.1.99:80", "10.0.0.3:80"),
        nb("set", "load_balancer", "lb6", "options:add_route=true"), nb("lr-lb-add", "lr0", "lb6"),
        nb(*ROUTE, "dnat_and_snat", "172.16.0.51", "10.0.0.5"),
        nb(*ROUTE, "dnat_and_snat", "172.16.0.50", "10.0.0.6")],
    "nat_and_lb_add_route": [*NAT_BASE, *LR1, *lb_route("lb0", "172.16.0.70:80", "10.0.0.3:80"),
                             nb(*ROUTE, "dnat_and_snat", "172.16.0.50", "10.0.0.5")],
    "two_other_routers_one_a_gateway_router_one_a_dgp": [
        *NAT_BASE, *LR1, *other_router("lr2", "00:00:00:00:fe:03", "172.16.0.3/24"),
        *other_router("gr3", "00:00:00:00:fe:04", "172.16.0.4/24", "fd10::4/64"),
        nb("set", "logical_router", "gr3", "options:chassis=hv1"),
        nb("lrp-set-gateway-chassis", "lr2-pub", "hv2", "10"),
        nb(*ROUTE, "dnat_and_snat", "172.16.0.50", "10.0.0.5"),
        nb(*ROUTE, "dnat_and_snat", "172.16.0.60", "10.0.0.2", "p1", "00:00:00:00:01:02"),
        *lb_route("lb0", "172.16.0.70:80", "10.0.0.3:80"),
        *lb_route("lb1", "[fd10::70]:80", "[fd00::3]:80")],
    "other_router_without_ipv4": [
        *NAT_BASE, *other_router("lr2", "00:00:00:00:fe:03", "fd10::3/64"),
        nb("lrp-set-gateway-chassis", "lr2-pub", "hv2", "10"),
        nb(*ROUTE, "dnat_and_snat", "172.16.0.50", "10.0.0.5")],
    "dynamic_neigh_routers_on_the_other_router": [
        *NAT_BASE, *other_router("gr3", "00:00:00:00:fe:04", "172.16.0.4/24"),
        nb("set", "logical_router", "gr3", "options:chassis=hv1",
           "options:dynamic_neigh_routers=true"),
        nb(*ROUTE, "dnat_and_snat", "172.16.0.50", "10.0.0.5")],
    "other_router_port_with_bfd_and_a_disabled_switch_port": [
        *NAT_BASE, *LR1, *other_router("gr3", "00:00:00:00:fe:04", "172.16.0.4/24"),
        nb("set", "logical_router", "gr3", "options:chassis=hv1"),
        nb("create", "BFD", "logical_port=lr1-pub", "dst_ip=172.16.0.200"),
        nb("set", "logical_switch_port", "pub-gr3-pub", "enabled=false"),
        nb(*ROUTE, "dnat_and_snat", "172.16.0.50", "10.0.0.5")],
    "add_route_on_two_gateway_ports": [
        *TWO_DGPS, *LR1, nb(*ROUTE, "dnat_and_snat", "172.16.0.50", "10.0.0.5"),
        nb(*ROUTE, "dnat_and_snat", "192.168.9.50", "10.0.0.6"),
        nb("--gateway-port=lr0-pub2", *ROUTE, "dnat", "172.16.0.51", "10.0.0.7"),
        *lb_route("lb0", "172.16.0.70:80", "10.0.0.3:80")],
}


@pytest.mark.parametrize("commands", ROUTABLE_SCENARIOS.values(), ids=ROUTABLE_SCENARIOS.keys())
def test_add_route_on_gateway_ports(commands):
    assert_matches_reference(commands)
