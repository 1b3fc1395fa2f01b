"""Remaining NB features, compared with ovn-northd 23.03.1 flow for flow
(router and switch pipelines both): force SNAT options on routers with
distributed gateway ports, interconnection (transit switches, learned
routes), requested tunnel keys under VXLAN. And what `relnorthd run` writes
beside flows: SB Static_MAC_Binding from NB (northd makes no flows of
them), NB Logical_Switch_Port.up from SB."""
import json

import pytest

from conftest import assert_matches_reference, link, nb, sb
from relnorthd import mirror
from test_run import reference_and_ours

pytestmark = pytest.mark.usefixtures("reference_available")


def vif(sw, name, address):
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, address)]


def dgp_router(name="lr0", net="0"):
    """A router between an internal switch and an external one, whose port
    on the external switch is a distributed gateway port."""
    i, e = f"int{net}", f"ext{net}"
    return [nb("ls-add", i), nb("ls-add", e), nb("lr-add", name),
            *link(i, name, f"{name}-int", f"00:00:00:00:f{net}:01", f"10.{net}.0.1/24",
                  f"fd0{net}::1/64"),
            *link(e, name, f"{name}-ext", f"00:00:00:00:f{net}:02", f"172.16.{net}.1/24",
                  f"fd1{net}::1/64"),
            *vif(i, f"p{net}", f"00:00:00:00:0{net}:01 10.{net}.0.2 fd0{net}::2"),
            nb("lrp-set-gateway-chassis", f"{name}-ext", "hv1", "10")]


FORCE_SNAT_DGP = {
    "addresses_with_nat_and_lbs": [
        *dgp_router(),
        nb("set", "logical_router", "lr0",
           'options:dnat_force_snat_ip="172.16.0.200 fd10::200"',
           "options:lb_force_snat_ip=172.16.0.201"),
        nb("lr-nat-add", "lr0", "snat", "172.16.0.100", "10.0.0.0/24"),
        nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.120", "10.0.0.2"),
        nb("lr-nat-add", "lr0", "dnat", "fd10::120", "fd00::2"),
        nb("lb-add", "lb0", "172.16.0.10:80", "10.0.0.2:80"),
        nb("lb-add", "lb1", "[fd10::10]:80", "[fd00::2]:80"),
        nb("lb-add", "lb2", "172.16.0.12:80", "10.0.0.2:80,10.0.0.3:80"),
        nb("set", "Load_Balancer", "lb2", "options:affinity_timeout=60"),
        nb("lb-add", "lb3", "[fd10::13]:80", "[fd00::2]:80"),
        nb("set", "Load_Balancer", "lb3", "options:skip_snat=true", "options:affinity_timeout=9"),
        *[nb("lr-lb-add", "lr0", f"lb{i}") for i in range(4)],
        *dgp_router("lr1", "1"),
        nb("set", "logical_router", "lr1",
           "options:dnat_force_snat_ip=172.16.1.1", "options:lb_force_snat_ip=fd11::1"),
        nb("lr-lb-add", "lr1", "lb0"), nb("lr-lb-add", "lr1", "lb2"),
        # an HA chassis group instead of gateway chassis, IPv6 only
        *dgp_router("lr2", "2"), nb("lrp-del-gateway-chassis", "lr2-ext", "hv1"),
        nb("ha-chassis-group-add", "hg"), nb("ha-chassis-group-add-chassis", "hg", "hv1", "5"),
        nb("--id=@g", "get", "HA_Chassis_Group", "hg", "--",
           "set", "Logical_Router_Port", "lr2-ext", "ha_chassis_group=@g"),
        nb("set", "logical_router", "lr2", "options:dnat_force_snat_ip=fd12::200",
           "options:lb_force_snat_ip=fd12::1"),
        nb("lr-lb-add", "lr2", "lb1"), nb("lr-lb-add", "lr2", "lb3")],
    # router_ip names router port addresses on gateway routers only
    "router_ip": [
        *dgp_router(),
        nb("set", "logical_router", "lr0", "options:lb_force_snat_ip=router_ip"),
        nb("lr-nat-add", "lr0", "snat", "172.16.0.100", "10.0.0.0/24"),
        nb("lb-add", "lb0", "172.16.0.10:80", "10.0.0.2:80"), nb("lr-lb-add", "lr0", "lb0")],
}


@pytest.mark.parametrize("commands", FORCE_SNAT_DGP.values(), ids=FORCE_SNAT_DGP.keys())
def test_force_snat_on_distributed_gateway_routers(commands):
    assert_matches_reference(commands)


def route(lr, prefix, nexthop, *columns):
    """A static route as ovn-ic writes a learned one (ovn-nbctl cannot set
    external_ids on lr-route-add)."""
    return nb("--id=@r", "create", "Logical_Router_Static_Route", f'ip_prefix="{prefix}"',
              f'nexthop="{nexthop}"', *columns, "--", "add", "Logical_Router", lr,
              "static_routes", "@r")


# An availability zone's router on a transit switch as ovn-ic sets it up:
# the switch has other_config:interconn-ts and a requested tunnel key, the
# other zones' routers are remote ports, the router port on it is a gateway
# port, and routes learned from the other zones carry
# external_ids:ic-learned-route (northd 23.03.1 reads neither for routes).
LEARNED = 'external_ids:ic-learned-route="6f1c0c7e-0000-4000-8000-000000000001"'
INTERCONNECT = [
    nb("ls-add", "ts1"),
    nb("set", "Logical_Switch", "ts1", "other_config:interconn-ts=ts1",
       "other_config:requested-tnl-key=16777210", "other_config:mcast_snoop=true"),
    nb("lr-add", "lr0"),
    *link("ts1", "lr0", "lr0-ts1", "00:00:00:00:aa:01", "169.254.100.1/24", "fd99::1/64"),
    nb("lrp-set-gateway-chassis", "lr0-ts1", "hv1", "10"),
    nb("ls-add", "sw0"),
    *link("sw0", "lr0", "lr0-sw0", "00:00:00:00:aa:02", "10.0.0.1/24", "fd00::1/64"),
    *vif("sw0", "p0", "00:00:00:00:00:01 10.0.0.2 fd00::2"),
    # the routers of zones az2 and az3
    nb("lsp-add", "ts1", "ts1-az2"), nb("lsp-set-type", "ts1-az2", "remote"),
    nb("lsp-set-addresses", "ts1-az2", "00:00:00:00:bb:01 169.254.100.2/24 fd99::2/64"),
    nb("lsp-set-options", "ts1-az2", "requested-chassis=gw-az2", "requested-tnl-key=3"),
    nb("lsp-add", "ts1", "ts1-az3"), nb("lsp-set-type", "ts1-az3", "remote"),
    nb("lsp-set-addresses", "ts1-az3", "00:00:00:00:bb:02 169.254.100.3/24"),
    nb("lsp-set-options", "ts1-az3", "requested-chassis=gw-az3"),
    nb("set", "Logical_Switch_Port", "ts1-lr0-ts1", "options:requested-tnl-key=1"),
    route("lr0", "10.2.0.0/24", "169.254.100.2", LEARNED),
    route("lr0", "fd02::/64", "fd99::2", LEARNED),
    route("lr0", "10.3.0.0/16", "169.254.100.3", LEARNED, "route_table=rtb"),
    # ECMP over two zones, one route learned and one configured
    route("lr0", "10.9.0.0/16", "169.254.100.2", LEARNED),
    route("lr0", "10.9.0.0/16", "169.254.100.3"),
    route("lr0", "0.0.0.0/0", "169.254.100.3", LEARNED, "options:origin=connected"),
    nb("set", "Logical_Router_Port", "lr0-sw0", "options:route_table=rtb"),
]


@pytest.mark.parametrize("commands", [INTERCONNECT], ids=["interconnect"])
def test_interconnect_learned_routes(commands):
    assert_matches_reference(commands)


def ecmp_symmetric(lr, prefix, *nexthops):
    return [nb("--ecmp-symmetric-reply", "lr-route-add", lr, prefix, hop) for hop in nexthops]


# A chassis with a VXLAN encapsulation: requested tunnel keys of 4096 and up
# (datapaths that are not transit switches) and 2048 and up (ports) are
# ignored; the keys show in router LB VIP address sets and symmetric-reply
# ECMP flows.
VXLAN = [
    ["ovn-sbctl", "chassis-add", "ch1", "vxlan", "127.0.0.1"],
    ["ovn-sbctl", "chassis-add", "ch2", "geneve", "127.0.0.2"],
    nb("ls-add", "sw0"), nb("set", "Logical_Switch", "sw0", "other_config:requested-tnl-key=5000"),
    nb("ls-add", "ts1"),
    nb("set", "Logical_Switch", "ts1", "other_config:interconn-ts=ts1",
       "other_config:requested-tnl-key=16711690"),
    nb("lr-add", "gw0"),
    nb("set", "Logical_Router", "gw0", "options:chassis=ch1", "options:requested-tnl-key=6000"),
    *link("sw0", "gw0", "gw0-sw0", "00:00:00:00:ff:01", "10.0.0.1/24"),
    *link("ts1", "gw0", "gw0-ts1", "00:00:00:00:ff:02", "169.254.0.1/24"),
    nb("set", "Logical_Router_Port", "gw0-sw0", "options:requested-tnl-key=3000"),
    nb("set", "Logical_Router_Port", "gw0-ts1", "options:requested-tnl-key=2047"),
    *ecmp_symmetric("gw0", "10.9.0.0/16", "10.0.0.5", "10.0.0.6"),
    *ecmp_symmetric("gw0", "10.8.0.0/16", "169.254.0.5", "169.254.0.6"),
    nb("lr-add", "lr1"), nb("set", "Logical_Router", "lr1", "options:requested-tnl-key=4095"),
    *link("sw0", "lr1", "lr1-sw0", "00:00:00:00:ff:03", "10.0.0.254/24"),
    nb("lb-add", "lb0", "10.0.0.10:80", "10.0.0.3:80"),
    nb("lr-lb-add", "gw0", "lb0"), nb("lr-lb-add", "lr1", "lb0"),
]


def test_vxlan_narrows_requested_tunnel_keys():
    d = assert_matches_reference(VXLAN, sb_rows=True)
    ref = {r["logical_port"]: r["tunnel_key"]
           for r in d.reference.sb["Port_Binding"].to_pylist()}
    ours = {r["logical_port"]: r["tunnel_key"] for r in d.ours.sb_rows["Port_Binding"].to_pylist()}
    assert ours == ref
    assert ref["gw0-ts1"] == 2047


def smb(port, ip, mac):
    """An NB Static_MAC_Binding as written (ovn-nbctl checks the port)."""
    return nb("create", "Static_MAC_Binding", f"logical_port={port}", f'ip="{ip}"',
              f'mac="{mac}"')


def smb_set(port, ip, **columns):
    """Update the NB Static_MAC_Binding of (port, ip), every one without."""
    where = [["logical_port", "==", port], ["ip", "==", ip]] if port else []
    op = {"op": "update", "table": "Static_MAC_Binding", "where": where, "row": columns}
    return ["ovsdb-client", "transact", json.dumps(["OVN_Northbound", op])]


SMB_SETUP = [
    nb("lr-add", "lr0"), nb("lrp-add", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
    nb("lrp-set-gateway-chassis", "lrp0", "hv1", "10"),
    nb("lr-add", "lr1"), nb("lrp-add", "lr1", "lrp1", "00:00:00:00:ff:02", "10.1.0.1/24"),
    nb("ls-add", "sw0"), nb("lsp-add", "sw0", "p1"),
    nb("static-mac-binding-add", "lrp0", "10.0.0.5", "00:00:00:00:00:05"),
    nb("static-mac-binding-add", "lrp0", "fd00::5", "00:00:00:00:00:06"),
    smb("cr-lrp0", "10.0.0.6", "00:00:00:00:00:07"),      # the chassis-redirect port
    smb("p1", "10.0.0.7", "00:00:00:00:00:08"),           # a switch port: not synced
    smb("lrp9", "10.0.0.8", "00:00:00:00:00:09"),         # no such port yet
    smb("lrp1", "bogus", "zz"),                           # copied verbatim
    smb("lrp1", "10.1.0.9", "00:00:00:00:00:10"),
]

SMB_CHANGES = [       # steps of NB changes, SB compared after each
    [smb_set("lrp0", "10.0.0.5", mac="00:00:00:00:00:55"),
     smb_set("cr-lrp0", "10.0.0.6", override_dynamic_mac=True),
     nb("lrp-add", "lr0", "lrp9", "00:00:00:00:ff:09", "10.9.0.1/24")],
    # the port goes: SB keeps the row while NB has it
    [nb("static-mac-binding-del", "lrp0", "fd00::5"), nb("lrp-del", "lrp1"),
     smb_set("lrp1", "10.1.0.9", mac="00:00:00:00:00:19")],
    # a port of that name on another router: the row keeps its datapath
    [nb("lrp-add", "lr0", "lrp1", "00:00:00:00:ff:12", "10.2.0.1/24"),
     smb_set("lrp1", "10.1.0.9", override_dynamic_mac=True),
     nb("lrp-del-gateway-chassis", "lrp0", "hv1")],
    [smb_set(None, None, mac="")],
]


def smb_state(box):
    """{(logical_port, ip): (mac, override_dynamic_mac, datapath name)} in SB."""
    sb = mirror.load(box.sb_remote, mirror.SB)
    dps = {r["_uuid"]: dict(r["external_ids"])["name"]
           for r in sb["Datapath_Binding"].to_pylist()}
    return {(r["logical_port"], r["ip"]): (r["mac"], r["override_dynamic_mac"], dps[r["datapath"]])
            for r in sb["Static_MAC_Binding"].to_pylist()}


# NB Logical_Switch_Port.up as northd writes it from SB: router-type ports
# up, bound ports up (or as SB's `up` says when their chassis reports
# port-up-notif), unbound ports down.
UP_SETUP = [
    ["ovn-sbctl", "chassis-add", "hv1", "geneve", "127.0.0.1"],
    ["ovn-sbctl", "set", "chassis", "hv1", "other_config:port-up-notif=true"],
    ["ovn-sbctl", "chassis-add", "hv2", "geneve", "127.0.0.2"],
    nb("ls-add", "sw9"), nb("lr-add", "lr9"),
    *link("sw9", "lr9", "lrp-sw9", "00:00:00:00:ff:91", "10.9.0.1/24"),
    *[nb("lsp-add", "sw9", f"u{i}") for i in range(1, 5)],
    nb("lsp-add", "sw9", "ln9"), nb("lsp-set-type", "ln9", "localnet"),
    nb("lsp-set-options", "ln9", "network_name=phys"),
]
UP_STEPS = [
    [sb("lsp-bind", "u1", "hv1"), sb("lsp-bind", "u2", "hv1"), sb("lsp-bind", "u3", "hv2"),
     sb("set", "Port_Binding", "u1", "up=true")],
    [sb("set", "Port_Binding", "u2", "up=true"), sb("lsp-unbind", "u1"),
     sb("set", "chassis", "hv2", "other_config:port-up-notif=true")],
    [nb("lsp-set-type", "u4", "router"), nb("lsp-set-type", "u2", "virtual")],
    [],
]


def lsp_up(box):
    nb_db = mirror.load(box.nb_remote, mirror.NB)
    return {r["name"]: r["up"] for r in nb_db["Logical_Switch_Port"].to_pylist()}


def _run(box):
    """SB static MAC bindings and NB port `up` after the setup and each step."""
    states = []
    for step in [SMB_SETUP + UP_SETUP, *map(list.__add__, SMB_CHANGES, UP_STEPS)]:
        box.run_script(step)
        box.sync()
        states.append((smb_state(box), lsp_up(box)))
    return states


def test_static_mac_bindings_and_port_up_follow_nb_and_sb_as_the_reference_does():
    expected, got = reference_and_ours(_run)
    for n, (ours, ref) in enumerate(zip(got, expected, strict=True)):
        assert ours == ref, f"step {n}"
    assert len(expected[0][0]) == 5 and set(expected[1][1].values()) == {True, False}
