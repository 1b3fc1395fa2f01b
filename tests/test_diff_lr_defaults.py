"""Logical routers with no ports: every default flow, each option and
feature variant, compared flow for flow with ovn-northd 23.03.1."""
import pytest

from conftest import assert_matches_reference, nbctl, sbctl

pytestmark = pytest.mark.usefixtures("reference_available")

COPP = ["meter-add m1 drop 10 pktps", "copp-add cp1 arp m1", "copp-add cp1 nd-na m1",
        "copp-add cp1 nd-ns m1", "copp-add cp1 arp-resolve m1", "copp-add cp1 nd-ns-resolve m1",
        "copp-add cp2 arp m-missing"]

SCENARIOS = {
    "one_router": ["lr-add lr0"],
    "three_routers_share_a_group": ["lr-add lr0", "lr-add lr1", "lr-add lr2"],
    "no_learning_from_arp_requests": [
        "lr-add lr0", "lr-add lr1",
        "set logical_router lr1 options:always_learn_from_arp_request=false"],
    "learning_option_not_false": [
        "lr-add lr0 -- set logical_router lr0 options:always_learn_from_arp_request=no"],
    "gateway_router": ["lr-add gw0 -- set logical_router gw0 options:chassis=hv1"],
    "mcast_relay": ["lr-add lr0 -- set logical_router lr0 options:mcast_relay=true"],
    "disabled_router_is_no_datapath": ["lr-add lr0", "lr-add off",
                                       "set logical_router off enabled=false"],
    "explicitly_enabled_router": ["lr-add lr0 -- set logical_router lr0 enabled=true"],
    "copp_meters": ["lr-add lr0", "lr-add lr1", "lr-add lr2", *COPP,
                    "lr-copp-add cp1 lr0", "lr-copp-add cp1 lr1", "lr-copp-add cp2 lr2"],
    "debug_drop_sampling": ["lr-add lr0", "set nb_global . options:debug_drop_collector_set=9"],
    "switches_and_routers": [
        "ls-add sw0", "ls-add sw1 -- set logical_switch sw1 other_config:vlan-passthru=true",
        "lr-add lr0", "lr-add gw0 -- set logical_router gw0 options:chassis=hv1 "
        "options:mcast_relay=true options:always_learn_from_arp_request=false",
        "set nb_global . options:debug_drop_collector_set=3"],
}


@pytest.mark.parametrize("lines", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_router_defaults(lines):
    assert_matches_reference([nbctl(line) for line in lines])


@pytest.mark.parametrize("features", ["", "other_config:ct-no-masked-label=true "
                                          "other_config:ovn-ct-lb-related=true"],
                         ids=["chassis_without_features", "chassis_with_features"])
def test_router_defaults_with_chassis(features):
    chassis = "chassis-add ch1 geneve 127.0.0.1" + (f" -- set chassis ch1 {features}"
                                                    if features else "")
    assert_matches_reference([sbctl(chassis), nbctl("lr-add lr0"),
                              nbctl("lr-add gw0 -- set logical_router gw0 options:chassis=hv1")])


# LB VIPs switch on the established/related DNAT flows and, on gateway
# routers, un-DNAT; the VIP's own flows belong to the LB family and are left
# out of the comparison.
@pytest.mark.parametrize("chassis", [[], [sbctl("chassis-add ch1 geneve 127.0.0.1")]],
                         ids=["default_features", "chassis_without_features"])
def test_lb_vip_switches_on_router_nat_defaults(chassis):
    lines = ["lr-add lr0", "lr-add gw0 -- set logical_router gw0 options:chassis=hv1",
             "lb-add lb0 10.0.0.10:80 10.0.0.3:80", "lr-lb-add lr0 lb0", "lr-lb-add gw0 lb0"]
    assert_matches_reference([*chassis, *[nbctl(x) for x in lines]],
                             outside_scope=lambda f: "10.0.0.10" in f["match"])
