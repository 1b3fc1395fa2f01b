"""Load balancers on gateway routers, distributed routers and routers with
distributed gateway ports: defrag, DNAT/UNDNAT (skip/force SNAT, reject,
events), affinity, VIP ARP/ND replies, LB groups, health checks and chassis
features, compared flow for flow with ovn-northd 23.03.1 (switch and router
pipelines both)."""

import pytest

from conftest import assert_matches_reference, lb_group, link, nb, sb_set_monitor_status

pytestmark = pytest.mark.usefixtures("reference_available")


def gateway(lr, chassis, *options):
    return [nb("lr-add", lr), nb("set", "Logical_Router", lr, f"options:chassis={chassis}",
                                 *options)]


def lb(name, vip, backends, *opts, proto=None):
    return nb(*opts, "lb-add", name, vip, backends, *([proto] if proto else []))


def lb_opts(name, *options):
    return nb("set", "Load_Balancer", name, *[f"options:{o}" for o in options])


def lb_vips(name, vips):
    """Set an LB's vips map as written (lb-add validates; NB rows need not)."""
    return nb("set", "Load_Balancer", name,
              "vips=" + "{" + ",".join(f'"{k}"="{v}"' for k, v in vips.items()) + "}")


def attach(routers, lbs):
    return [nb("lr-lb-add", r, name) for r in routers for name in lbs]



# A gateway router (gw0) and a distributed router (lr1), each with a port on
# its own switch.
ROUTERS = [nb("ls-add", "sw0"), nb("ls-add", "sw1"),
           *gateway("gw0", "ch1"),
           *link("sw0", "gw0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24", "fd00::1/64"),
           nb("lr-add", "lr1"),
           *link("sw1", "lr1", "lrp1", "00:00:00:00:ff:02", "10.0.1.1/24", "fd01::1/64")]
BOTH = ("gw0", "lr1")

SCENARIOS = {
    "v4_v6_with_and_without_port": [
        *ROUTERS, lb("lb0", "10.0.0.10:80", "10.0.0.3:80,10.0.0.4:8080"),
        lb("lb1", "[fd00::10]:80", "[fd00::3]:80,[fd00::4]:80"),
        lb("lb2", "10.0.1.20", "10.0.1.3,10.0.1.4"), lb("lb3", "FD01::0:20", "fd01::3"),
        *attach(BOTH, ["lb0", "lb1", "lb2", "lb3"])],
    "udp_sctp_and_several_vips": [
        *ROUTERS, lb("lb0", "10.0.0.10:53", "10.0.0.3:53", proto="udp"),
        lb("lb1", "10.0.0.11:99", "10.0.0.3:99", proto="sctp"),
        nb("lb-add", "lb1", "[fd00::11]:99", "[fd00::3]:99", "sctp"),
        nb("lb-add", "lb0", "10.0.0.12:53", "10.0.0.5:53,10.0.0.6:53", "udp"),
        *attach(BOTH, ["lb0", "lb1"])],
    "skip_snat_and_force_snat": [
        *ROUTERS, *gateway("gw2", "ch2", "options:lb_force_snat_ip=router_ip"),
        nb("lr-add", "lr3"),
        nb("set", "Logical_Router", "lr3", "options:lb_force_snat_ip=router_ip"),
        lb("lb0", "10.0.0.10:80", "10.0.0.3:80"), lb("lb1", "[fd00::11]", "[fd00::3]"),
        lb_opts("lb1", "skip_snat=true"),
        *attach(["gw0", "lr1", "gw2", "lr3"], ["lb0", "lb1"])],
    # (northd 23.03.1 crashes on an lb_force_snat_ip it cannot parse)
    "force_snat_ip_addresses": [
        *ROUTERS, nb("set", "Logical_Router", "lr1", "options:lb_force_snat_ip=10.0.1.100"),
        nb("lr-add", "lr2"), nb("set", "Logical_Router", "lr2", "options:lb_force_snat_ip=fd02::1"),
        nb("lr-add", "lr3"),
        nb("set", "Logical_Router", "lr3", 'options:lb_force_snat_ip="fd03::1 10.0.3.1"'),
        lb("lb0", "10.0.0.10:80", "10.0.0.3:80"), lb("lb1", "[fd00::11]", "[fd00::3]"),
        *attach(["lr1", "lr2", "lr3"], ["lb0", "lb1"])],
    "affinity_plain_skip_and_force": [
        *ROUTERS, *gateway("gw2", "ch2", "options:lb_force_snat_ip=router_ip"),
        lb("lb0", "10.0.0.10:80", "10.0.0.3:80,10.0.0.4:81"), lb_opts("lb0", "affinity_timeout=60"),
        lb("lb1", "[fd00::10]", "[fd00::3],fd00::4"), lb_opts("lb1", "affinity_timeout=99999"),
        lb("lb2", "10.0.0.12:53", "10.0.0.3:53", proto="udp"),
        lb_opts("lb2", "affinity_timeout=5", "skip_snat=true"),
        lb("lb3", "[fd00::13]:80", "[fd00::3]:80"), lb_opts("lb3", "affinity_timeout=7"),
        lb_vips("lb3", {"[fd00::13]:80": ""}),
        *attach(["gw0", "lr1", "gw2"], ["lb0", "lb1", "lb2", "lb3"])],
    "empty_backends_drop_reject_event_with_copp": [
        *ROUTERS, *gateway("gw2", "ch2", "options:lb_force_snat_ip=router_ip"),
        nb("meter-add", "m", "drop", "10", "pktps"),
        nb("copp-add", "cp", "reject", "m"), nb("copp-add", "cp", "event-elb", "m"),
        nb("lr-copp-add", "cp", "gw0"),
        lb("lb0", "10.0.0.10:80", "10.0.0.3:80"),
        lb_vips("lb0", {"10.0.0.10:80": "", "10.0.0.11": ""}),
        lb("lb1", "10.0.0.20:80", "10.0.0.3:80"), lb_vips("lb1", {"10.0.0.20:80": ""}),
        lb_opts("lb1", "reject=true"),
        lb("lb2", "[fd00::30]:80", "[fd00::3]:80"), lb_vips("lb2", {"[fd00::30]:80": ""}),
        lb_opts("lb2", "event=true"),
        lb("lb3", "10.0.0.40", "10.0.0.3"), lb_vips("lb3", {"10.0.0.40": ""}),
        lb_opts("lb3", "event=true", "reject=true", "skip_snat=true"),
        *attach(["gw0", "lr1", "gw2"], ["lb0", "lb1", "lb2", "lb3"])],
    "controller_event_nb_global": [
        *ROUTERS, lb("lb0", "10.0.0.10:80", "10.0.0.3:80"), lb_vips("lb0", {"10.0.0.10:80": ""}),
        *attach(BOTH, ["lb0"]), nb("set", "nb_global", ".", "options:controller_event=true")],
    "lb_group_on_routers_and_switches": [
        *ROUTERS, *gateway("gw2", "ch2", "options:lb_force_snat_ip=router_ip"),
        lb("lb0", "10.0.0.10:80", "10.0.0.3:80"), lb("lb1", "10.0.0.11:80", "10.0.0.4:80"),
        lb_opts("lb1", "skip_snat=true", "affinity_timeout=30"),
        lb("lb2", "10.0.0.10:80", "10.0.0.3:80"),
        lb_group("g", ["lb0", "lb1"], routers=["gw0", "lr1", "gw2"], switches=["sw0", "sw1"]),
        nb("lr-lb-add", "gw0", "lb0"), nb("lr-lb-add", "lr1", "lb2")],
    "same_vip_on_several_lbs_and_routers": [
        *ROUTERS, nb("lr-add", "lr2"),
        lb("lb1", "10.0.0.10:80", "10.0.0.3:80"), lb("lb2", "10.0.0.10:80", "10.0.0.3:80"),
        lb("lb3", "10.0.0.10:80", "10.0.0.9:80"),
        nb("lr-lb-add", "gw0", "lb1"), nb("lr-lb-add", "lr1", "lb2"), nb("lr-lb-add", "lr2", "lb3"),
        nb("lr-lb-add", "lr2", "lb1")],
    "selection_fields_and_hairpin_snat_ip": [
        *ROUTERS, lb("lb0", "10.0.0.10:80", "10.0.0.3:80,10.0.0.4:80"),
        nb("set", "Load_Balancer", "lb0", "selection_fields=ip_src,tp_dst,eth_src"),
        lb_opts("lb0", "hairpin_snat_ip=169.254.0.1"),
        *attach(BOTH, ["lb0"])],
    "neighbor_responder_modes": [
        *ROUTERS, lb("lb0", "10.0.0.10:80", "10.0.0.3:80"), lb("lb1", "[fd01::10]", "[fd01::3]"),
        lb("lb2", "192.168.0.10", "10.0.0.3"), lb_opts("lb2", "neighbor_responder=all"),
        lb("lb3", "10.0.0.30", "10.0.0.3"), lb_opts("lb3", "neighbor_responder=none"),
        lb("lb4", "[fd09::10]", "[fd01::3]"), lb_opts("lb4", "neighbor_responder=bogus"),
        nb("lr-lb-add", "gw0", "lb0"), nb("lr-lb-add", "gw0", "lb4"),
        *attach(["lr1"], ["lb1", "lb2", "lb3"])],
    "neighbor_responder_requested_tunnel_key": [
        *ROUTERS, nb("set", "Logical_Router", "lr1", "options:requested-tnl-key=7"),
        nb("set", "Logical_Switch", "sw0", "other_config:requested-tnl-key=1"),
        lb("lb0", "10.0.1.10:80", "10.0.1.3:80"), lb("lb1", "[fd00::10]", "[fd00::3]"),
        *attach(BOTH, ["lb0", "lb1"])],
    "vip_equal_to_router_ip": [
        *ROUTERS, lb("lb0", "10.0.0.1:80", "10.0.0.3:80"), lb("lb1", "fd01::1", "fd01::3"),
        *attach(BOTH, ["lb0", "lb1"])],
    "malformed_vips_and_backends": [
        *ROUTERS, lb("lb0", "10.0.0.10:80", "10.0.0.3:80"),
        lb_vips("lb0", {"10.0.0.10:80": "10.0.0.3:80,10.0.0.4,[fd00::1]:80,bad,10.0.0.5:80",
                        "10.0.0.11": "10.0.0.3:80,10.0.0.4", "300.0.0.1:80": "10.0.0.3:80",
                        "10.0.0.12:99999": "10.0.0.3:80", "10.0.0.13:80": "junk,:80"}),
        *attach(BOTH, ["lb0"])],
    "install_ls_lb_from_router": [
        *ROUTERS, lb("lb0", "10.0.0.10:80", "10.0.0.3:80"), lb("lb1", "10.0.1.10", "10.0.1.3"),
        lb_opts("lb1", "affinity_timeout=10"),
        nb("lr-lb-add", "gw0", "lb0"), nb("lr-lb-add", "lr1", "lb1"), nb("ls-lb-add", "sw0", "lb1"),
        nb("set", "nb_global", ".", "options:install_ls_lb_from_router=true")],
    "disabled_router_and_lb_without_vips": [
        *ROUTERS, nb("set", "Logical_Router", "lr1", "enabled=false"),
        lb("lb0", "10.0.0.10:80", "10.0.0.3:80"), lb("lb1", "10.0.0.11:80", "10.0.0.3:80"),
        nb("set", "Load_Balancer", "lb1", "vips={}", "options:skip_snat=true"),
        *attach(BOTH, ["lb0", "lb1"])],
    # routers with distributed gateway ports: per-router DNAT and UNDNAT
    "distributed_gateway_ports": [
        *ROUTERS, nb("lrp-set-gateway-chassis", "lrp1", "ch1", "10"),
        nb("ls-add", "sw2"), *link("sw2", "lr1", "lrp2", "00:00:00:00:ff:03", "10.0.2.1/24"),
        nb("lr-add", "lr3"),
        nb("set", "Logical_Router", "lr3", "options:lb_force_snat_ip=10.0.3.100"),
        nb("lrp-add", "lr3", "lrp3", "00:00:00:00:ff:04", "10.0.3.1/24", "fd01::1/64"),
        nb("lrp-set-gateway-chassis", "lrp3", "ch2", "10"),
        nb("meter-add", "m", "drop", "10", "pktps"),
        nb("copp-add", "cp", "reject", "m"), nb("copp-add", "cp", "event-elb", "m"),
        nb("lr-copp-add", "cp", "lr1"),
        lb("lb0", "10.0.1.10:80", "10.0.1.3:80"),
        lb_vips("lb0", {"10.0.1.10:80": "10.0.1.3:80,10.0.1.4:8080", "10.0.1.11": "10.0.1.5"}),
        lb("lb1", "[fd01::10]", "[fd01::3],fd01::4"),
        lb_opts("lb1", "skip_snat=true", "affinity_timeout=9"),
        lb("lb2", "10.0.1.20:80", "10.0.1.3:80"),
        lb_vips("lb2", {"10.0.1.20:80": "", "10.0.1.21": ""}), lb_opts("lb2", "reject=true"),
        lb("lb3", "10.0.1.30:80", "10.0.1.3:80"), lb_vips("lb3", {"10.0.1.30:80": ""}),
        lb_opts("lb3", "event=true"),
        lb("lb4", "10.0.1.40:80", "10.0.1.3:80", proto="udp"),
        lb_opts("lb4", "affinity_timeout=60"),
        *attach(["gw0", "lr1", "lr3"], ["lb0", "lb1", "lb2", "lb3", "lb4"])],
    "two_gateway_ports_and_ha_chassis_group": [
        *ROUTERS, nb("lrp-set-gateway-chassis", "lrp1", "ch1", "10"),
        nb("lrp-add", "lr1", "lrp2", "00:00:00:00:ff:03", "10.0.2.1/24"),
        nb("lrp-set-gateway-chassis", "lrp2", "ch2", "10"),
        nb("ha-chassis-group-add", "hg"), nb("ha-chassis-group-add-chassis", "hg", "ch1", "5"),
        nb("lrp-add", "gw0", "lrp9", "00:00:00:00:ff:09", "10.0.9.1/24"),
        nb("--id=@g", "get", "HA_Chassis_Group", "hg", "--",
           "set", "Logical_Router_Port", "lrp9", "ha_chassis_group=@g"),
        lb("lb0", "10.0.1.10:80", "10.0.1.3:80,10.0.2.3:80"),
        lb("lb1", "[fd01::10]:80", "[fd01::3]:80"),
        *attach(BOTH, ["lb0", "lb1"])],
    "chassis_without_features": [
        ["ovn-sbctl", "chassis-add", "ch1", "geneve", "127.0.0.1"],
        *ROUTERS, *gateway("gw2", "ch2", "options:lb_force_snat_ip=router_ip"),
        lb("lb0", "10.0.0.10:80", "10.0.0.3:80,10.0.0.4:80"), lb_opts("lb0", "affinity_timeout=60"),
        lb("lb1", "10.0.0.11", "10.0.0.3"), lb_opts("lb1", "skip_snat=true"),
        lb("lb2", "10.0.0.12:80", "10.0.0.3:80"), lb_vips("lb2", {"10.0.0.12:80": ""}),
        lb_opts("lb2", "reject=true", "skip_snat=true"),
        *attach(["gw0", "lr1", "gw2"], ["lb0", "lb1", "lb2"])],
}


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_router_lb_scenarios(commands):
    assert_matches_reference(commands)


def health_checked(*extra):
    return [*ROUTERS,
            nb("lsp-add", "sw0", "p3"), nb("lsp-set-addresses", "p3", "00:00:00:00:00:03 10.0.0.3"),
            nb("lsp-add", "sw0", "p4"), nb("lsp-set-addresses", "p4", "00:00:00:00:00:04 10.0.0.4"),
            lb("lb0", "10.0.0.10:80", "10.0.0.3:80,10.0.0.4:80"),
            nb("set", "Load_Balancer", "lb0",
               *[f'ip_port_mappings:"10.0.0.{i}"="p{i}:10.0.0.2"' for i in (3, 4)]),
            nb("--id=@hc", "create", "Load_Balancer_Health_Check", 'vip="10.0.0.10:80"',
               "--", "add", "Load_Balancer", "lb0", "health_check", "@hc"),
            nb("ls-lb-add", "sw0", "lb0"), *attach(BOTH, ["lb0"]), nb("--wait=sb", "sync"),
            *extra]


HEALTH = {
    "no_status_yet": health_checked(),
    "one_online_one_offline": health_checked(
        ["ovn-sbctl", "set", "Port_Binding", "p3", "up=true"],
        sb_set_monitor_status("10.0.0.3", "online"), sb_set_monitor_status("10.0.0.4", "offline")),
    "all_offline_with_reject_and_skip_snat": health_checked(
        sb_set_monitor_status("10.0.0.3", "offline"), sb_set_monitor_status("10.0.0.4", "error"),
        lb_opts("lb0", "reject=true", "skip_snat=true")),
    "all_offline_with_reject_on_a_gateway_port": health_checked(
        nb("lrp-set-gateway-chassis", "lrp1", "ch1", "10"),
        sb_set_monitor_status("10.0.0.3", "offline"), sb_set_monitor_status("10.0.0.4", "offline"),
        lb_opts("lb0", "reject=true")),
}


@pytest.mark.parametrize("commands", HEALTH.values(), ids=HEALTH.keys())
def test_router_lb_health_checks(commands):
    assert_matches_reference(commands)


NAT_IPS = ("10.0.0.10", "fd00::10", "10.0.0.12")


def _nat_flow(flow):
    """The NAT entries' own flows (another family): SNAT/DNAT actions,
    ARP/ND replies for their external IPs, the natted check."""
    return ("ct_snat" in flow["actions"] or "ct_dnat(" in flow["actions"]
            or flow["stage"] == "lr_out_chk_dnat_local"
            or (flow["stage"] == "lr_in_ip_input"
                and any(flow["match"].endswith(f" == {ip}") for ip in NAT_IPS)))


def test_vip_that_is_a_nat_external_ip():
    """A VIP equal to a NAT's external IP skips unSNAT (lr_in_unsnat p120)."""
    assert_matches_reference([
        *ROUTERS, nb("lr-nat-add", "gw0", "dnat_and_snat", "10.0.0.10", "10.0.0.3"),
        nb("lr-nat-add", "gw0", "snat", "fd00::10", "fd00::/64"),
        nb("lr-nat-add", "lr1", "snat", "10.0.0.12", "10.0.1.0/24"),
        lb("lb0", "10.0.0.10:80", "10.0.0.3:80"), lb("lb1", "fd00::10", "fd00::3"),
        lb("lb2", "10.0.0.12:53", "10.0.0.3:53", proto="udp"),
        *attach(BOTH, ["lb0", "lb1", "lb2"])], outside_scope=_nat_flow)



def test_add_route_on_a_gateway_port_routes_the_vips_on_the_other_routers():
    """options:add_route on a router with a gateway port routes its VIPs on
    the other routers of the switch (more in test_diff_gateway_ports.py)."""
    assert_matches_reference([
        nb("ls-add", "sw0"), nb("lr-add", "lr1"), nb("lr-add", "lr2"),
        *link("sw0", "lr1", "lrp1", "00:00:00:00:ff:01", "10.0.0.1/24"),
        *link("sw0", "lr2", "lrp2", "00:00:00:00:ff:02", "10.0.0.2/24"),
        nb("lrp-set-gateway-chassis", "lrp1", "ch1", "10"),
        lb("lb0", "172.16.0.10:80", "10.0.0.3:80"), lb_opts("lb0", "add_route=true"),
        nb("lr-lb-add", "lr1", "lb0")])

