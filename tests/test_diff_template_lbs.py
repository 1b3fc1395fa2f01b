"""Template load balancers (options:template=true, options:address-family)
whose VIPs and backends name Chassis_Template_Var variables (`^VAR`), on
switches, gateway routers and distributed routers, directly and through LB
groups, IPv4 and IPv6; invalid template VIPs are skipped as northd skips
them. Compared flow for flow with ovn-northd 23.03.1."""

import pytest

from conftest import assert_matches_reference, link, nb
from relnorthd.pipeline import compute
from relnorthd.reference import run_reference

pytestmark = pytest.mark.usefixtures("reference_available")


def tmpl_lb(name, vips, *options, family="ipv4", proto=None):
    """A template LB with its vips map as written."""
    return nb("create", "Load_Balancer", f"name={name}", "options:template=true",
              f"options:address-family={family}", *[f"options:{o}" for o in options],
              *([f"protocol={proto}"] if proto else []),
              "vips={" + ",".join(f'"{k}"="{v}"' for k, v in vips.items()) + "}")


def template_vars(chassis, **variables):
    return nb("create", "Chassis_Template_Var", f"chassis={chassis}",
              "variables={" + ",".join(f'{k}="{v}"' for k, v in variables.items()) + "}")


def lb_group(group, lbs, routers=(), switches=()):
    """One transaction: a Load_Balancer_Group of `lbs` on routers and switches."""
    args = []
    for i, name in enumerate(lbs):
        args += ["--", f"--id=@lb{i}", "get", "Load_Balancer", name]
    refs = ",".join(f"@lb{i}" for i in range(len(lbs)))
    args += ["--", "--id=@g", "create", "Load_Balancer_Group", f"name={group}",
             f"load_balancer=[{refs}]"]
    for table, names in (("Logical_Router", routers), ("Logical_Switch", switches)):
        for name in names:
            args += ["--", "add", table, name, "load_balancer_group", "@g"]
    return nb(*args)


# A gateway router (gw0), a distributed router (lr1) and a router with a
# distributed gateway port (lr2), each with a port on its own switch.
ROUTERS = [nb("ls-add", "sw0"), nb("ls-add", "sw1"), nb("ls-add", "sw2"), nb("ls-add", "ext"),
           nb("lr-add", "gw0"), nb("set", "Logical_Router", "gw0", "options:chassis=ch1"),
           *link("sw0", "gw0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24", "fd00::1/64"),
           nb("lr-add", "lr1"),
           *link("sw1", "lr1", "lrp1", "00:00:00:00:ff:02", "10.0.1.1/24", "fd01::1/64"),
           nb("lr-add", "lr2"),
           *link("sw2", "lr2", "lrp2", "00:00:00:00:ff:03", "10.0.2.1/24", "fd02::1/64"),
           *link("ext", "lr2", "lrp2-ext", "00:00:00:00:ff:04", "172.16.0.1/24", "fd99::1/64"),
           nb("lrp-set-gateway-chassis", "lrp2-ext", "ch1"),
           template_vars("ch1", vip="10.0.0.10", vport="80", backends="10.0.0.3:80"),
           template_vars("ch2", vip6="fd00::10", vport="80", backends6="[fd00::3]:80")]
ROUTER_NAMES = ("gw0", "lr1", "lr2")


def attach(lbs, switches=("sw0", "sw1", "sw2"), routers=ROUTER_NAMES):
    return [*[nb("ls-lb-add", s, name) for s in switches for name in lbs],
            *[nb("lr-lb-add", r, name) for r in routers for name in lbs]]


SCENARIOS = {
    # VIPs with and without a port, template and explicit backends, IPv4
    # and IPv6, on LBs attached directly and through a group.
    "v4_v6_direct_and_in_groups": [
        *ROUTERS,
        tmpl_lb("lb4", {"^vip:^vport": "^backends", "^vip2": "^b1,^b2:^bport",
                        "^vip3:8080": "10.0.0.5:80,10.0.0.6:81"}),
        tmpl_lb("lb6", {"^vip6:^vport": "^backends6", "^vip7": "^b6",
                        "^vip8:99": "[fd00::5]:99,[FD00::0:6]:100"}, family="ipv6"),
        tmpl_lb("lbg4", {"^gvip:^gport": "^gb1:^gp1,^gb2"}, proto="udp"),
        tmpl_lb("lbg6", {"^gvip6": "fd00::7,fd00::8"}, family="ipv6", proto="sctp"),
        *attach(["lb4", "lb6"], switches=("sw0",), routers=("gw0", "lr2")),
        lb_group("grp", ["lbg4", "lbg6"], routers=ROUTER_NAMES, switches=("sw0", "sw1")),
        nb("lr-lb-add", "lr1", "lb4")],
    # Options as template LBs take them: neighbor_responder (only `all`
    # answers ARP/ND), skip_snat, reject/event on empty backends, affinity,
    # selection fields; add_route and health checks are ignored.
    "options": [
        *ROUTERS,
        nb("set", "Logical_Router", "gw0", "options:lb_force_snat_ip=router_ip"),
        tmpl_lb("all4", {"^vip:^vport": "^backends"}, "neighbor_responder=all",
                "skip_snat=true"),
        tmpl_lb("all6", {"^vip6": "^backends6"}, "neighbor_responder=all", family="ipv6"),
        tmpl_lb("reach", {"^rvip": "^rb"}, "neighbor_responder=reachable", "add_route=true"),
        tmpl_lb("empty", {"^evip:^eport": "", "^evip6": ""}, "reject=true"),
        tmpl_lb("event", {"^xvip:^xport": "", "^xvip6": ""}, "event=true", family="ipv6"),
        tmpl_lb("aff", {"^avip:^aport": "^ab1:^abp,10.0.0.3:80", "^avip2": "^ab2"},
                "affinity_timeout=60"),
        tmpl_lb("aff6", {"^avip6:^aport": "[fd00::3]:80,[fd00::4]:81"}, "affinity_timeout=30",
                family="ipv6"),
        nb("set", "Load_Balancer", "aff", "selection_fields=ip_src,tp_dst"),
        nb("--", "--id=@hc", "create", "Load_Balancer_Health_Check", "vip=^avip2",
           "--", "add", "Load_Balancer", "aff", "health_check", "@hc"),
        nb("set", "Load_Balancer", "aff", "ip_port_mappings:^ab2=sw0-p:10.0.0.99"),
        *attach(["all4", "all6", "reach", "empty", "event", "aff", "aff6"])],
    # VIPs northd skips (a key or backend of more than two ':'-parts that is
    # no explicit backend list of the LB's family either), explicit
    # fallbacks, an address family other than ipv4 (IPv6), and the same
    # vips entry in a template LB and a plain one.
    "invalid_fallbacks_and_shared_entries": [
        *ROUTERS,
        tmpl_lb("bad", {"^a:^b:^c": "^x", ":": "^x", "^ok1": "^x:1:2",
                        "^ok2:80": "[fd00::3]:80", "^ok3": "10.0.0.3:80",
                        "^ok4:80": "10.0.0.3", "^ok5": "10.0.0.3,,^y", "^ok6": "::"}),
        tmpl_lb("bad6", {"^v6:80": "10.0.0.3:80", "^w6": "fd00::3,^z",
                         "^u6": "fd00::3,[fd00::4]", "[fd00::1]:80": "[fd00::3]:80"},
                family="inet6"),
        tmpl_lb("lit", {"10.0.0.20:80": "10.0.0.3:80", "10.0.0.21": "10.0.0.3"}),
        nb("lb-add", "plain", "10.0.0.20:80", "10.0.0.3:80"),
        nb("lb-add", "plain", "10.0.0.21", "10.0.0.3"),
        tmpl_lb("off", {"^ovip": "^ob"}, "template=false"),
        *attach(["bad", "bad6", "lit", "plain"]),
        nb("ls-lb-add", "sw0", "off")],
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_template_lbs_match_reference(name):
    assert_matches_reference(SCENARIOS[name])


# A gateway router's gateway port announces its LB VIPs (nat-addresses=router):
# a template LB's VIP texts come after the IPv4 VIPs, among the IPv6 ones
# (SB Port_Binding nat_addresses, compared with the reference's row).
NAT_ADDRESSES = [
    nb("ls-add", "ext"), nb("lr-add", "gw0"),
    nb("set", "Logical_Router", "gw0", "options:chassis=ch1"),
    *link("ext", "gw0", "gw0-ext", "00:00:00:00:ff:01", "172.16.0.1/24", "fd72::1/64"),
    nb("lsp-set-options", "ext-gw0-ext", "router-port=gw0-ext", "nat-addresses=router"),
    tmpl_lb("t4", {"^vip:^vport": "^backends", "^vip2": "^b", "^a:^b:^c": "^x"}),
    tmpl_lb("t6", {"^vip6:80": "^b6", "^vip7": "fd00::3"}, "add_route=true", family="ipv6"),
    nb("lb-add", "plain", "172.16.0.100:80", "10.0.0.5:8080"),
    nb("lb-add", "plain", "fd72::100", "fd00::5"),
    *[nb("lr-lb-add", "gw0", name) for name in ("t4", "t6", "plain")]]


def nat_addresses(rows):
    return {r["logical_port"]: sorted(r["nat_addresses"]) for r in rows}


def test_template_vips_in_nat_addresses():
    ref = run_reference(NAT_ADDRESSES)
    want = nat_addresses(ref.sb["Port_Binding"].to_pylist())
    got = nat_addresses(compute(ref.nb, ref.sb).sb_rows["Port_Binding"].to_pylist())
    assert got == want
    assert "^vip" in want["ext-gw0-ext"][0], want
