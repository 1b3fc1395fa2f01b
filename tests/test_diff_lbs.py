"""Load balancers on switches, directly and through LB groups: VIP forms,
protocols, options, malformed VIPs/backends, health checks and affinity,
compared flow for flow with ovn-northd 23.03.1."""

import pytest

from conftest import assert_matches_reference, lb_group, sb_set_monitor_status

pytestmark = pytest.mark.usefixtures("reference_available")


def nb(*args):
    return ["ovn-nbctl", *args]


def switches(n):
    return [nb("ls-add", f"sw{i}") for i in range(n)]


def lb(name, vip, backends, *opts, proto=None):
    return nb(*opts, "lb-add", name, vip, backends, *([proto] if proto else []))



def lb_vips(name, vips):
    """Set an LB's vips map as written (lb-add validates; NB rows need not)."""
    return nb("set", "Load_Balancer", name,
              "vips=" + "{" + ",".join(f'"{k}"="{v}"' for k, v in vips.items()) + "}")


SCENARIOS = {
    "ipv4_vip_with_port_tcp": [
        *switches(2), lb("lb0", "10.0.0.10:80", "10.0.0.3:80,10.0.0.4:8080"),
        nb("ls-lb-add", "sw0", "lb0"), nb("ls-lb-add", "sw1", "lb0")],
    "ipv4_vip_without_port": [*switches(1), lb("lb0", "10.0.0.10", "10.0.0.3,10.0.0.4"),
                              nb("ls-lb-add", "sw0", "lb0")],
    "ipv6_vips": [*switches(1), lb("lb0", "[fd00::10]:80", "[fd00::3]:80,[fd00::4]:80"),
                  lb("lb1", "FD00::0:20", "fd00::3"),
                  nb("ls-lb-add", "sw0", "lb0"), nb("ls-lb-add", "sw0", "lb1")],
    "udp_and_sctp": [*switches(1), lb("lb0", "10.0.0.10:53", "10.0.0.3:53", proto="udp"),
                     lb("lb1", "10.0.0.11:99", "10.0.0.3:99", proto="sctp"),
                     nb("ls-lb-add", "sw0", "lb0"), nb("ls-lb-add", "sw0", "lb1")],
    "several_vips_per_lb": [
        *switches(1), lb("lb0", "10.0.0.10:80", "10.0.0.3:80"),
        nb("lb-add", "lb0", "10.0.0.10:443", "10.0.0.3:443"),
        nb("lb-add", "lb0", "10.0.0.11:80", "10.0.0.5:80,10.0.0.6:80"),
        nb("ls-lb-add", "sw0", "lb0")],
    "same_vip_on_two_lbs_unites_switches": [
        *switches(3), lb("lb1", "10.0.0.10:80", "10.0.0.3:80"),
        lb("lb2", "10.0.0.10:80", "10.0.0.3:80"),
        nb("ls-lb-add", "sw0", "lb1"), nb("ls-lb-add", "sw1", "lb2")],
    "lb_group_on_many_switches": [
        *switches(5), lb("lb0", "10.0.0.10:80", "10.0.0.3:80"),
        lb("lb1", "10.0.0.11:80", "10.0.0.4:80"),
        lb_group("g", ["lb0", "lb1"], switches=[f"sw{i}" for i in range(5)]),
        nb("ls-lb-add", "sw0", "lb0")],
    "empty_backends_drop_reject_and_event": [
        *switches(2), lb("lb0", "10.0.0.10:80", "10.0.0.3:80"),
        lb_vips("lb0", {"10.0.0.10:80": "", "10.0.0.11": ""}),
        lb("lb1", "10.0.0.20:80", "10.0.0.3:80"), lb_vips("lb1", {"10.0.0.20:80": ""}),
        nb("set", "Load_Balancer", "lb1", "options:reject=true"),
        lb("lb2", "[fd00::30]:80", "[fd00::3]:80"), lb_vips("lb2", {"[fd00::30]:80": ""}),
        nb("set", "Load_Balancer", "lb2", "options:event=true"),
        lb("lb3", "10.0.0.40", "10.0.0.3"), lb_vips("lb3", {"10.0.0.40": ""}),
        nb("set", "Load_Balancer", "lb3", "options:event=true", "options:reject=true"),
        *[nb("ls-lb-add", "sw0", f"lb{i}") for i in range(4)], nb("ls-lb-add", "sw1", "lb1")],
    "reject_and_event_meters_per_switch": [
        *switches(3), nb("meter-add", "m", "drop", "10", "pktps"),
        nb("copp-add", "cp", "reject", "m"), nb("copp-add", "cp", "event-elb", "m"),
        nb("ls-copp-add", "cp", "sw0"),
        lb("lb1", "10.0.0.20:80", "10.0.0.3:80"), lb_vips("lb1", {"10.0.0.20:80": ""}),
        nb("set", "Load_Balancer", "lb1", "options:reject=true"),
        lb("lb2", "10.0.0.30:80", "10.0.0.3:80"), lb_vips("lb2", {"10.0.0.30:80": ""}),
        nb("set", "Load_Balancer", "lb2", "options:event=true"),
        *[nb("ls-lb-add", f"sw{i}", f"lb{j}") for i in range(3) for j in (1, 2)]],
    "controller_event_nb_global": [
        *switches(1), lb("lb0", "10.0.0.10:80", "10.0.0.3:80"),
        lb_vips("lb0", {"10.0.0.10:80": ""}), nb("ls-lb-add", "sw0", "lb0"),
        nb("set", "nb_global", ".", "options:controller_event=true")],
    "selection_fields": [
        *switches(1), lb("lb0", "10.0.0.10:80", "10.0.0.3:80,10.0.0.4:80"),
        nb("set", "Load_Balancer", "lb0", "selection_fields=ip_src,tp_dst,eth_src"),
        lb("lb1", "10.0.0.11:80", "10.0.0.3:80"),
        nb("set", "Load_Balancer", "lb1", "selection_fields=tp_src,ip_dst", "protocol=[]"),
        nb("ls-lb-add", "sw0", "lb0"), nb("ls-lb-add", "sw0", "lb1")],
    "affinity_timeout": [
        *switches(2), lb("lb0", "10.0.0.10:80", "10.0.0.3:80,10.0.0.4:81"),
        nb("set", "Load_Balancer", "lb0", "options:affinity_timeout=60"),
        lb("lb1", "[fd00::10]", "[fd00::3],fd00::4"),
        nb("set", "Load_Balancer", "lb1", "options:affinity_timeout=99999"),
        lb("lb2", "10.0.0.12:53", "10.0.0.3:53", proto="udp"),
        nb("set", "Load_Balancer", "lb2", "options:affinity_timeout=5"),
        *[nb("ls-lb-add", "sw0", f"lb{i}") for i in range(3)], nb("ls-lb-add", "sw1", "lb0")],
    "options_without_switch_effect": [
        *switches(1), lb("lb0", "10.0.0.10:80", "10.0.0.3:80"),
        nb("set", "Load_Balancer", "lb0", "options:hairpin_snat_ip=169.254.0.1",
           "options:skip_snat=true", "options:neighbor_responder=all"),
        nb("ls-lb-add", "sw0", "lb0")],
    "malformed_vips_and_backends": [
        *switches(1), lb("lb0", "10.0.0.10:80", "10.0.0.3:80"),
        lb_vips("lb0", {"10.0.0.10:80": "10.0.0.3:80,10.0.0.4,[fd00::1]:80,bad,10.0.0.5:80",
                        "10.0.0.11": "10.0.0.3:80,10.0.0.4", "300.0.0.1:80": "10.0.0.3:80",
                        "10.0.0.12:99999": "10.0.0.3:80", "10.0.0.13:80": "junk,:80"}),
        nb("ls-lb-add", "sw0", "lb0")],
    "install_ls_lb_from_router": [
        *switches(2), nb("lr-add", "lr0"),
        nb("lrp-add", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        nb("lsp-add", "sw0", "sw0-lrp0"), nb("lsp-set-type", "sw0-lrp0", "router"),
        nb("lsp-set-options", "sw0-lrp0", "router-port=lrp0"),
        lb("lb0", "10.0.0.10:80", "10.0.0.3:80"), nb("lr-lb-add", "lr0", "lb0"),
        nb("set", "nb_global", ".", "options:install_ls_lb_from_router=true")],
    "chassis_without_features": [
        ["ovn-sbctl", "chassis-add", "ch1", "geneve", "127.0.0.1"],
        *switches(1), lb("lb0", "10.0.0.10:80", "10.0.0.3:80"),
        nb("set", "Load_Balancer", "lb0", "options:affinity_timeout=60"),
        nb("ls-lb-add", "sw0", "lb0")],
}


def _router_flow(flow):
    return flow["stage"].startswith("lr_")


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_lb_scenarios(commands):
    router = any(c[1:2] == ["lr-add"] for c in commands)
    assert_matches_reference(commands, outside_scope=_router_flow if router else None)


def health_checked(*extra):
    return [*switches(2),
            nb("lsp-add", "sw0", "p3"), nb("lsp-set-addresses", "p3", "00:00:00:00:00:03 10.0.0.3"),
            nb("lsp-add", "sw1", "p4"), nb("lsp-set-addresses", "p4", "00:00:00:00:00:04 10.0.0.4"),
            lb("lb0", "10.0.0.10:80", "10.0.0.3:80,10.0.0.4:80,10.0.0.5:80"),
            nb("set", "Load_Balancer", "lb0",
               *[f'ip_port_mappings:"10.0.0.{i}"="{port}:10.0.0.2"'
                 for i, port in ((3, "p3"), (4, "p4"), (5, "nope"))]),
            nb("--id=@hc", "create", "Load_Balancer_Health_Check", 'vip="10.0.0.10:80"',
               "--", "add", "Load_Balancer", "lb0", "health_check", "@hc"),
            nb("ls-lb-add", "sw0", "lb0"), nb("--wait=sb", "sync"), *extra]


HEALTH = {
    "no_status_yet": health_checked(),
    "one_online_one_offline": health_checked(
        ["ovn-sbctl", "set", "Port_Binding", "p3", "up=true"],
        sb_set_monitor_status("10.0.0.3", "online"), sb_set_monitor_status("10.0.0.4", "offline")),
    "online_but_port_down_counts_offline": health_checked(
        sb_set_monitor_status("10.0.0.3", "online"), sb_set_monitor_status("10.0.0.4", "online"),
        ["ovn-sbctl", "set", "Port_Binding", "p4", "up=true"]),
    "all_offline_with_reject": health_checked(
        sb_set_monitor_status("10.0.0.3", "offline"), sb_set_monitor_status("10.0.0.4", "error"),
        nb("set", "Load_Balancer", "lb0", "options:reject=true")),
    "disabled_backend_port": health_checked(nb("lsp-set-enabled", "p4", "disabled")),
    "ipv6_health_check": [
        *switches(1), nb("lsp-add", "sw0", "p3"),
        nb("lsp-set-addresses", "p3", "00:00:00:00:00:03 fd00::3"),
        lb("lb0", "[fd00::10]:80", "[fd00::3]:80"),
        nb("set", "Load_Balancer", "lb0", 'ip_port_mappings:"[fd00::3]"="p3:[fd00::2]"'),
        nb("--id=@hc", "create", "Load_Balancer_Health_Check", 'vip="[fd00::10]:80"',
           "--", "add", "Load_Balancer", "lb0", "health_check", "@hc"),
        nb("ls-lb-add", "sw0", "lb0")],
}


@pytest.mark.parametrize("commands", HEALTH.values(), ids=HEALTH.keys())
def test_health_checks(commands):
    assert_matches_reference(commands)


# The seed scenario: three LBs with the same VIP attached and detached step
# by step; the VIP's flows must cover the union of the switches of the LBs
# that still have the VIP, at every step.
def _attach(lb_name, *sws):
    return [nb("ls-lb-add", sw, lb_name) for sw in sws]


SEED_STEPS = [
    [*switches(6), lb("lb1", "10.0.0.10:80", "10.0.0.3:80"),
     lb("lb2", "10.0.0.10:80", "10.0.0.3:80"), *_attach("lb1", "sw0")],
    _attach("lb2", "sw1"),
    [nb("clear", "Load_Balancer", "lb2", "vips")],
    [*_attach("lb1", "sw1", "sw2"), nb("ls-lb-del", "sw1", "lb2"),
     nb("lb-add", "lb2", "10.0.0.10:80", "10.0.0.3:80"), *_attach("lb2", "sw3", "sw4", "sw5")],
    [nb("clear", "Load_Balancer", "lb2", "vips")],
    [nb("clear", "Load_Balancer", "lb1", "vips")],
    [nb("lb-add", "lb1", "10.0.0.10:80", "10.0.0.3:80"),
     nb("lb-add", "lb2", "10.0.0.10:80", "10.0.0.3:80"),
     lb("lb3", "10.0.0.10:80", "10.0.0.3:80"), *_attach("lb3", "sw0", "sw1"),
     nb("clear", "Load_Balancer", "lb1", "vips")],
    [nb("clear", "Load_Balancer", "lb3", "vips")],
]


@pytest.mark.parametrize("step", range(len(SEED_STEPS)))
def test_seed_scenario_step_by_step(step):
    commands = [c for s in SEED_STEPS[:step + 1] for c in s]
    d = assert_matches_reference(commands)
    vip_flow = [f for f in d.ours.grouped.flows.to_pylist()
                if f["match"] == "ct.new && ip4.dst == 10.0.0.10 && tcp.dst == 80"]
    assert len(vip_flow) <= 1     # one SB flow for the VIP, whatever its switch set


def test_lb_group_on_many_switches_shares_one_datapath_group(tmp_path):
    """An ovn-kubernetes-like cluster LB group (generate.lb_group_nb) on 150
    switches: exact, and every VIP rule is one SB flow on one shared group."""
    from relnorthd.generate import lb_group_nb
    nb_file = lb_group_nb(tmp_path / "lbg.db", switches=150, services=200, ports=2)
    d = assert_matches_reference(nb_file=nb_file)
    vip_flows = [f for f in d.ours.grouped.expanded().to_pylist()
                 if (f["stage"], f["priority"]) in {("ls_in_lb", 120), ("ls_in_lb", 150),
                                                    ("ls_in_pre_stateful", 120)}]
    assert len(vip_flows) == 2 * 200 + 2 * 20     # per VIP, + affinity per backend
    assert {f["dp_group"] for f in vip_flows} != {None}
    assert len({f["dp_group"] for f in vip_flows}) == 1
    assert all(len(f["datapaths"]) == 150 for f in vip_flows)
