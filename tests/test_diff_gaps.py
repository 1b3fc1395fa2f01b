"""Remaining NB features: force SNAT options on routers with distributed
gateway ports, compared flow for flow with ovn-northd 23.03.1 (router and
switch pipelines both)."""
import pytest

from conftest import assert_matches_reference, link, nb

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
