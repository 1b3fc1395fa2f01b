"""SB Port_Binding.nat_addresses of router-type switch ports as ovn-northd
23.03.1 writes it (ovn_port_update_sbrec, get_nat_addresses): NAT external
IPs and router LB VIPs for options:nat-addresses=router, an explicit
nat-addresses string, and the router port's own GARP entry. The reference's
SB rows are compared with relnorthd's computed rows for the same NB."""
import pytest

from relnorthd.pipeline import compute
from relnorthd.reference import run_reference

pytestmark = pytest.mark.usefixtures("reference_available")


def nb(*args):
    return ["ovn-nbctl", *args]


def link(sw, lr, lrp, mac, nets, *lsp_options):
    """A router port and the router-type switch port facing it."""
    lsp = f"{sw}-{lrp}"
    return [nb("lrp-add", lr, lrp, mac, *nets),
            nb("lsp-add", sw, lsp, "--", "lsp-set-type", lsp, "router",
               "--", "lsp-set-addresses", lsp, "router",
               "--", "lsp-set-options", lsp, f"router-port={lrp}", *lsp_options)]


def localnet(sw):
    return [nb("lsp-add", sw, f"ln-{sw}", "--", "lsp-set-type", f"ln-{sw}", "localnet",
               "--", "lsp-set-addresses", f"ln-{sw}", "unknown",
               "--", "lsp-set-options", f"ln-{sw}", "network_name=phys")]


def nat(lr, **columns):
    """A NAT row as written (lr-nat-add refuses some of what northd must cope with)."""
    return [nb("--id=@n", "create", "nat", *(f'{k}="{v}"' for k, v in columns.items()),
               "--", "add", "logical_router", lr, "nat", "@n")]


CHASSIS = [["ovn-sbctl", "chassis-add", "ch1", "geneve", "127.0.0.1"]]


def gw_router(lr="gr0", sw="ext", *lsp_options, nets=("172.16.0.1/24", "fd72::1/64")):
    return [*CHASSIS, nb("ls-add", sw), nb("lr-add", lr),
            nb("set", "logical_router", lr, "options:chassis=ch1"),
            *link(sw, lr, f"{lr}-{sw}", "00:00:00:00:FF:01", list(nets), *lsp_options),
            nb("ls-add", "in"),
            *link("in", lr, f"{lr}-in", "00:00:00:00:ff:02", ["10.0.0.1/24"])]


GR_NATS = [
    nb("lr-nat-add", "gr0", "snat", "172.16.0.10", "10.0.0.0/24"),
    nb("lr-nat-add", "gr0", "dnat", "172.16.0.20", "10.0.0.5"),
    nb("lr-nat-add", "gr0", "dnat_and_snat", "172.16.0.30", "10.0.0.6"),
    # a second rule on an external IP already listed: printed twice
    nb("lr-nat-add", "gr0", "dnat", "172.16.0.10", "10.0.0.7"),
    # the router port's own IP: left to the router port entry
    nb("lr-nat-add", "gr0", "dnat_and_snat", "172.16.0.1", "10.0.0.8"),
    # external_mac and logical_port on a gateway router: not distributed
    *nat("gr0", type="dnat_and_snat", external_ip="172.16.0.40", logical_ip="10.0.0.9",
         logical_port="in-p9", external_mac="00:00:00:00:aa:09"),
]

LBS = [
    nb("lb-add", "lb1", "172.16.0.100:80", "10.0.0.5:8080,10.0.0.6:8080"),
    nb("lb-add", "lb1", "172.16.0.100:443", "10.0.0.5:8443"),
    nb("lb-add", "lb1", "172.16.0.101", "10.0.0.5"),
    nb("lb-add", "lb2", "[fd72::100]:80", "[fd00::5]:8080"),
    nb("lb-add", "lb2", "fd72::101", "fd00::6"),
    nb("lr-lb-add", "gr0", "lb1"), nb("lr-lb-add", "gr0", "lb2"),
    # a router LB with many VIPs (string-set order), one also a NAT external IP
    nb("--id=@l", "create", "load_balancer", "name=lb3", "protocol=tcp",
       "vips={" + ", ".join([*(f'"192.168.{i}.{i}"="10.0.0.5"' for i in range(1, 12)),
                             '"172.16.0.30"="10.0.0.5"']) + "}",
       "--", "add", "logical_router", "gr0", "load_balancer", "@l"),
]

# the same VIPs through a load balancer group
LB_GROUP = [
    nb("--id=@l", "create", "load_balancer", "name=lb4", "protocol=tcp",
       "vips={" + ", ".join(f'"192.168.{i}.{i}"="10.0.0.5"' for i in range(1, 12)) + "}",
       "--", "--id=@g", "create", "load_balancer_group", "name=grp", "load_balancer=@l",
       "--", "add", "logical_router", "gr0", "load_balancer_group", "@g"),
    nb("lb-add", "lb1", "172.16.0.100:80", "10.0.0.5:8080,10.0.0.6:8080"),
    nb("lr-lb-add", "gr0", "lb1"),
]


def vips(*keys):
    return "vips={" + ", ".join(f'"{k}"="{"[fd00::5]" if ":" in k else "10.0.0.5"}"'
                                for k in keys) + "}"


# two groups (the larger one's set is copied first) and IPv6 VIPs
LB_GROUPS = [
    nb("--id=@a", "create", "load_balancer", "name=a", vips("10.9.0.1", "10.9.0.2", "fd99::1"),
       "--", "--id=@g", "create", "load_balancer_group", "name=small", "load_balancer=@a",
       "--", "add", "logical_router", "gr0", "load_balancer_group", "@g"),
    nb("--id=@b", "create", "load_balancer", "name=b",
       vips(*(f"10.8.0.{i}" for i in range(1, 9)), "fd98::1", "fd98::2", "fd98::3"),
       "--", "--id=@c", "create", "load_balancer", "name=c",
       vips(*(f"10.7.{i}.1" for i in range(1, 7)), "10.9.0.1", "fd97::1"),
       "--", "--id=@g", "create", "load_balancer_group", "name=big", "load_balancer=[@b,@c]",
       "--", "add", "logical_router", "gr0", "load_balancer_group", "@g"),
]


def dgp_router(*lsp_options, reside=False):
    return [*CHASSIS, nb("ls-add", "ext"), nb("ls-add", "in"), nb("lr-add", "lr0"),
            *localnet("ext"),
            *link("ext", "lr0", "lr0-ext", "00:00:00:00:ff:01", ["172.16.0.1/24"],
                  *lsp_options),
            nb("lrp-set-gateway-chassis", "lr0-ext", "ch1", "10"),
            *link("in", "lr0", "lr0-in", "00:00:00:00:ff:02", ["10.0.0.1/24", "fd00::1/64"]),
            *([nb("set", "logical_router_port", "lr0-in",
                  "options:reside-on-redirect-chassis=true")] if reside else []),
            *localnet("in"),
            nb("lsp-add", "in", "vm1", "--", "lsp-set-addresses", "vm1",
               "00:00:00:00:00:01 10.0.0.5"),
            nb("lsp-add", "in", "vm2", "--", "lsp-set-addresses", "vm2",
               "00:00:00:00:00:02 10.0.0.6")]


FLOATING_IPS = [
    nb("lr-nat-add", "lr0", "snat", "172.16.0.10", "10.0.0.0/24"),
    nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.20", "10.0.0.5", "vm1",
       "00:00:00:00:AA:01"),
    nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.30", "10.0.0.6", "vm2",
       "00:00:00:00:aa:02"),
    nb("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.40", "10.0.0.7"),
]

SCENARIOS = {
    "gr_nats": gw_router("gr0", "ext", "nat-addresses=router") + GR_NATS,
    "gr_nats_odd_external_ips": gw_router("gr0", "ext", "nat-addresses=router") + [
        *nat("gr0", type="snat", external_ip="172.16.0.50/32", logical_ip="10.0.0.0/24"),
        *nat("gr0", type="dnat", external_ip="172.16.0.0/24", logical_ip="10.0.0.5"),
        *nat("gr0", type="dnat", external_ip="172.16.0.60/255.255.255.255",
             logical_ip="10.0.0.6"),
        *nat("gr0", type="snat", external_ip="bogus", logical_ip="10.0.0.0/24")],
    "gr_ipv6_nats": gw_router("gr0", "ext", "nat-addresses=router") + [
        nb("lr-nat-add", "gr0", "snat", "fd72::10", "fd00::/64"),
        nb("lr-nat-add", "gr0", "dnat_and_snat", "fd72::20", "fd00::5")],
    "gr_ipv6_nats_only": gw_router("gr0", "ext", "nat-addresses=router") + [
        nb("lr-nat-add", "gr0", "dnat_and_snat", "fd72::20", "fd00::5")],
    "gr_lbs": gw_router("gr0", "ext", "nat-addresses=router") + GR_NATS + LBS,
    "gr_lbs_only": gw_router("gr0", "ext", "nat-addresses=router") + LBS,
    "gr_lb_group": gw_router("gr0", "ext", "nat-addresses=router") + GR_NATS + LB_GROUP,
    "gr_lb_groups": gw_router("gr0", "ext", "nat-addresses=router") + LB_GROUPS + LBS,
    "gr_lbs_excluded": gw_router("gr0", "ext", "nat-addresses=router",
                                 "exclude-lb-vips-from-garp=true") + GR_NATS + LBS,
    "gr_lbs_only_excluded": gw_router("gr0", "ext", "nat-addresses=router",
                                      "exclude-lb-vips-from-garp=true") + LBS,
    "gr_localnet": gw_router("gr0", "ext", "nat-addresses=router",
                             nets=("172.16.0.1/24", "172.16.1.1/24", "fd72::1/64"))
    + localnet("ext") + GR_NATS,
    "gr_localnet_no_nat_option": gw_router() + localnet("ext") + GR_NATS,
    "gr_explicit": gw_router("gr0", "ext", "nat-addresses=00:00:00:00:ff:01 172.16.0.77")
    + GR_NATS,
    "gr_explicit_malformed": gw_router("gr0", "ext", "nat-addresses=172.16.0.77 nonsense")
    + localnet("ext"),
    "dgp_floating_ips": dgp_router("nat-addresses=router") + FLOATING_IPS,
    "dgp_floating_ips_with_lbs": dgp_router("nat-addresses=router") + FLOATING_IPS + [
        nb("lb-add", "lb1", "172.16.0.100:80", "10.0.0.5:8080"),
        nb("lb-add", "lb1", "fd72::100", "fd00::5"),
        nb("lr-lb-add", "lr0", "lb1")],
    # nat-addresses=router on the switch side of a router port that is no DGP
    "dgp_other_port": dgp_router() + FLOATING_IPS + [
        nb("lsp-set-options", "in-lr0-in", "router-port=lr0-in", "nat-addresses=router")],
    "dgp_bad_external_mac": dgp_router("nat-addresses=router") + [
        *nat("lr0", type="dnat_and_snat", external_ip="172.16.0.20", logical_ip="10.0.0.5",
             logical_port="vm1", external_mac="not-a-mac"),
        nb("lr-nat-add", "lr0", "dnat", "172.16.0.1", "10.0.0.6")],
    "dgp_reside_on_redirect_chassis": dgp_router(reside=True) + FLOATING_IPS,
    "dgp_explicit": dgp_router("nat-addresses=00:00:00:00:ff:01 172.16.0.77 172.16.0.78"),
    "dgp_explicit_malformed": dgp_router("nat-addresses=zz:00:00:00:ff:01 172.16.0.77"),
    "distributed_router_no_gateway": [
        nb("ls-add", "ext"), nb("lr-add", "lr0"),
        *link("ext", "lr0", "lr0-ext", "00:00:00:00:ff:01", ["172.16.0.1/24"],
              "nat-addresses=router"),
        nb("lr-nat-add", "lr0", "snat", "172.16.0.10", "10.0.0.0/24")],
    "two_dgps": [
        *CHASSIS, nb("ls-add", "ext1"), nb("ls-add", "ext2"), nb("lr-add", "lr0"),
        *link("ext1", "lr0", "lr0-ext1", "00:00:00:00:ff:01", ["172.16.1.1/24"],
              "nat-addresses=router"),
        *link("ext2", "lr0", "lr0-ext2", "00:00:00:00:ff:02", ["172.16.2.1/24"],
              "nat-addresses=router"),
        nb("lrp-set-gateway-chassis", "lr0-ext1", "ch1", "10"),
        nb("lrp-set-gateway-chassis", "lr0-ext2", "ch1", "10"),
        nb("ls-add", "in"),
        *link("in", "lr0", "lr0-in", "00:00:00:00:ff:03", ["10.0.0.1/24"]),
        nb("set", "logical_router_port", "lr0-in", "options:reside-on-redirect-chassis=true"),
        nb("lr-nat-add", "lr0", "snat", "172.16.1.10", "10.0.0.0/24"),
        nb("lr-nat-add", "lr0", "snat", "172.16.2.10", "10.0.0.0/24"),
        *nat("lr0", type="dnat_and_snat", external_ip="172.16.9.9", logical_ip="10.0.0.9"),
        nb("--gateway-port=lr0-ext2", "lr-nat-add", "lr0", "dnat_and_snat", "172.16.3.3",
           "10.0.0.3")],
}



# Scenarios where northd writes no nat_addresses at all: IPv6 NATs give none,
# nor LB VIPs with exclude-lb-vips-from-garp, nor a router without gateway.
NONE_EXPECTED = {"gr_ipv6_nats", "gr_ipv6_nats_only", "gr_lbs_only_excluded",
                 "distributed_router_no_gateway"}


def nat_addresses(rows):
    """By port: the entries (a set in SB), each compared string for string."""
    return {r["logical_port"]: sorted(r["nat_addresses"]) for r in rows}


@pytest.mark.parametrize("name", SCENARIOS)
def test_nat_addresses(name):
    ref = run_reference(SCENARIOS[name])
    want = nat_addresses(ref.sb["Port_Binding"].to_pylist())
    got = nat_addresses(compute(ref.nb, ref.sb).sb_rows["Port_Binding"].to_pylist())
    assert got == want
    assert any(want.values()) != (name in NONE_EXPECTED), want
    if name == "dgp_other_port":
        assert want["in-lr0-in"], want
