"""Logical routers with ports (no NAT or gateway ports; routes, policies):
admission, neighbor lookup, IP input, connected routes, ARP resolve and
delivery, compared flow for flow with ovn-northd 23.03.1 (switch and router
pipelines both)."""
import json

import pytest

from conftest import assert_matches_reference, link, nb, sb

pytestmark = pytest.mark.usefixtures("reference_available")


def vif(sw, name, *addresses):
    return [nb("lsp-add", sw, name), nb("lsp-set-addresses", name, *addresses)]


TWO_SUBNETS = [nb("ls-add", "sw0"), nb("ls-add", "sw1"), nb("lr-add", "lr0"),
               *link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24", "fd00::1/64"),
               *link("sw1", "lr0", "lrp1", "00:00:00:00:ff:02", "10.1.0.1/24"),
               *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2 fd00::2"),
               *vif("sw1", "p2", "00:00:00:00:00:02 10.1.0.2", "00:00:00:00:00:12 10.9.9.9")]

def bfd(uuid_word, port, dst_ip, status=None):
    """An NB BFD row with a chosen uuid (routes name it with --bfd=UUID)."""
    row = {"logical_port": port, "dst_ip": dst_ip, **({"status": status} if status else {})}
    op = {"op": "insert", "table": "BFD", "row": row, "uuid": bfd_uuid(uuid_word)}
    return ["ovsdb-client", "transact", json.dumps(["OVN_Northbound", op])]


def bfd_uuid(uuid_word):
    return f"{uuid_word:08x}-0000-4000-8000-00000000bfd0"


def sb_bfd_status(dst_ip, status):
    """What ovn-controller writes when the BFD session to `dst_ip` changes."""
    op = {"op": "update", "table": "BFD", "where": [["dst_ip", "==", dst_ip]],
          "row": {"status": status}}
    return ["ovsdb-client", "transact", json.dumps(["OVN_Southbound", op])]


def claim(port, parent):
    """What ovn-controller writes when `parent` claims virtual `port`."""
    return sb("--id=@c", "get", "chassis", "hv1", "--", "set", "port_binding", port,
              f"virtual_parent={parent}", "chassis=@c")


SCENARIOS = {
    "two_subnets_dual_stack": TWO_SUBNETS,
    "several_networks_per_port": [
        nb("ls-add", "sw0"), nb("lr-add", "lr0"),
        *link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24", "192.168.0.1/16",
              "fd00::1/64", "fd01::1/48"),
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2 192.168.5.5 fd01::5")],
    "router_to_router_peers": [
        nb("lr-add", "lr0"), nb("lr-add", "lr1"),
        nb("lrp-add", "lr0", "lr0-lr1", "00:00:00:00:ff:01", "169.254.0.1/30",
           "peer=lr1-lr0"),
        nb("lrp-add", "lr1", "lr1-lr0", "00:00:00:00:ff:02", "169.254.0.2/30", "fd99::2/64",
           "peer=lr0-lr1")],
    "two_routers_on_one_switch": [
        nb("ls-add", "sw0"), nb("lr-add", "lr0"), nb("lr-add", "lr1"),
        *link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        *link("sw0", "lr1", "lrp1", "00:00:00:00:ff:02", "10.0.0.254/24", "fd00::fe/64"),
        *vif("sw0", "p1", "00:00:00:00:00:01 10.0.0.2")],
    "dynamic_neigh_routers": [
        nb("ls-add", "sw0"), nb("lr-add", "lr0"), nb("lr-add", "lr1"),
        *link("sw0", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24"),
        *link("sw0", "lr1", "lrp1", "00:00:00:00:ff:02", "10.0.0.254/24"),
        nb("set", "logical_router", "lr0", "options:dynamic_neigh_routers=true")],
    "disabled_ports": [*TWO_SUBNETS, nb("set", "logical_router_port", "lrp1", "enabled=false"),
                       nb("lsp-set-enabled", "p1", "disabled")],
    "learn_only_own_arp_requests": [
        *TWO_SUBNETS, nb("set", "logical_router", "lr0",
                         "options:always_learn_from_arp_request=false")],
    "gateway_mtu_with_bypass_and_vlan_localnet": [
        *TWO_SUBNETS, nb("set", "logical_router_port", "lrp0", "options:gateway_mtu=1400",
                         'options:gateway_mtu_bypass="tcp"'),
        nb("set", "logical_router_port", "lrp1", "options:gateway_mtu=9000"),
        nb("lsp-add", "sw1", "ln1"), nb("lsp-set-type", "ln1", "localnet"),
        nb("lsp-set-addresses", "ln1", "unknown"), nb("lsp-set-options", "ln1", "network_name=p"),
        nb("set", "logical_switch_port", "ln1", "tag_request=10")],
    "mcast_relay": [*TWO_SUBNETS, nb("set", "logical_router", "lr0", "options:mcast_relay=true"),
                    nb("set", "logical_switch", "sw0", "other_config:mcast_snoop=true")],
    "mcast_relay_with_flooding_port": [
        *TWO_SUBNETS, nb("set", "logical_router", "lr0", "options:mcast_relay=true"),
        nb("set", "logical_router_port", "lrp1", "options:mcast_flood=true")],
    "gateway_router": [*TWO_SUBNETS, nb("set", "logical_router", "lr0", "options:chassis=hv1")],
    "copp_on_router": [
        *TWO_SUBNETS, nb("meter-add", "m", "drop", "10", "pktps"),
        *[nb("copp-add", "cp", proto, "m") for proto in
          ("icmp4-error", "icmp6-error", "tcp-reset", "nd-na", "arp")],
        nb("lr-copp-add", "cp", "lr0")],
    "dynamic_and_localnet_addresses": [
        *TWO_SUBNETS, nb("set", "logical_switch", "sw1", "other_config:subnet=10.1.0.0/24"),
        *vif("sw1", "p3", "dynamic"),
        nb("lsp-add", "sw0", "ln0"), nb("lsp-set-type", "ln0", "localnet"),
        nb("lsp-set-addresses", "ln0", "00:00:00:00:00:aa 10.0.0.200"),
        *vif("sw0", "vp", "00:00:00:00:00:bb 10.0.0.100"), nb("lsp-set-type", "vp", "virtual")],
    "router_advertisements": [
        *TWO_SUBNETS,
        nb("set", "logical_router_port", "lrp0", "ipv6_ra_configs:address_mode=slaac",
           "ipv6_ra_configs:mtu=1500", "ipv6_ra_configs:router_preference=HIGH",
           'ipv6_ra_configs:rdnss="fd00::53"', "ipv6_ra_configs:dnssl=example.org",
           'ipv6_ra_configs:route_info="HIGH-fd20::/64"'),
        nb("set", "logical_router_port", "lrp1", "ipv6_ra_configs:address_mode=dhcpv6_stateful",
           "ipv6_ra_configs:mtu=1000"),
        nb("lrp-add", "lr0", "lrp2", "00:00:00:00:ff:03", "fd02::1/64", "fd03::1/64"),
        nb("ls-add", "sw2"), *link("sw2", "lr0", "lrp3", "00:00:00:00:ff:04", "fd04::1/64"),
        nb("set", "logical_router_port", "lrp3", "ipv6_ra_configs:address_mode=dhcpv6_stateless",
           "ipv6_ra_configs:mtu=1300x"),
        nb("set", "logical_router_port", "lrp2", "ipv6_ra_configs:address_mode=slaac")],
    "router_advertisement_bad_mode": [
        *TWO_SUBNETS, nb("set", "logical_router_port", "lrp0", "ipv6_ra_configs:address_mode=x")],
    "virtual_ports_resolve_to_zero_mac_until_claimed": [
        *TWO_SUBNETS,
        *vif("sw0", "vp4", "00:00:00:00:00:b4 10.0.0.100"), nb("lsp-set-type", "vp4", "virtual"),
        nb("lsp-set-options", "vp4", "virtual-ip=10.0.0.100", "virtual-parents=p1"),
        *vif("sw0", "vp6", "00:00:00:00:00:b6"), nb("lsp-set-type", "vp6", "virtual"),
        nb("lsp-set-options", "vp6", "virtual-ip=fd00::100", "virtual-parents=p1"),
        *vif("sw1", "vpx", "00:00:00:00:00:b7"), nb("lsp-set-type", "vpx", "virtual"),
        nb("lsp-set-options", "vpx", "virtual-ip=192.0.2.1", "virtual-parents=p2")],
    "virtual_ports_claimed_by_a_parent": [
        *TWO_SUBNETS, nb("ls-add", "sw2"),
        *link("sw2", "lr0", "lrp2", "00:00:00:00:ff:03", "10.2.0.1/24"),
        *vif("sw2", "p3", "00:00:00:00:00:33 10.2.0.3", "00:00:00:00:00:13 10.2.0.13"),
        *vif("sw0", "vp4", "00:00:00:00:00:b4 10.0.0.100"), nb("lsp-set-type", "vp4", "virtual"),
        nb("lsp-set-options", "vp4", "virtual-ip=10.0.0.100", "virtual-parents=p1"),
        *vif("sw0", "vp6", "00:00:00:00:00:b6"), nb("lsp-set-type", "vp6", "virtual"),
        nb("lsp-set-options", "vp6", "virtual-ip=fd00::100", "virtual-parents=p1"),
        *vif("sw0", "vpw", "00:00:00:00:00:b8"), nb("lsp-set-type", "vpw", "virtual"),
        nb("lsp-set-options", "vpw", "virtual-ip=10.2.0.100", "virtual-parents=p3"),
        *vif("sw0", "vpn", "00:00:00:00:00:b9"), nb("lsp-set-type", "vpn", "virtual"),
        nb("lsp-set-options", "vpn", "virtual-ip=10.0.0.101", "virtual-parents=p1"),
        sb("chassis-add", "hv1", "geneve", "127.0.0.1"),
        # claimed: parent and chassis set (vpw by a parent on another switch)
        claim("vp4", "p1"),
        claim("vp6", "p1"),
        claim("vpw", "p3"),
        # a parent without a chassis is no claim
        sb("set", "port_binding", "vpn", "virtual_parent=p1")],
    "lb_vip_on_router_subnet_is_not_dropped_as_own": [
        *TWO_SUBNETS, nb("lb-add", "lb0", "10.0.0.1:80", "10.0.0.2:80"),
        nb("ls-lb-add", "sw0", "lb0")],
}


@pytest.mark.parametrize("commands", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_router_port_scenarios(commands):
    assert_matches_reference(commands)


ROUTES = {
    "static_routes": [
        *TWO_SUBNETS,
        nb("lr-route-add", "lr0", "192.168.0.0/16", "10.0.0.254"),
        nb("lr-route-add", "lr0", "0.0.0.0/0", "10.1.0.254"),
        nb("lr-route-add", "lr0", "172.16.5.7", "10.1.0.9", "lrp1"),
        nb("lr-route-add", "lr0", "fd10::/64", "fd00::99"),
        nb("--policy=src-ip", "lr-route-add", "lr0", "10.0.0.128/25", "10.1.0.254"),
        nb("lr-route-add", "lr0", "203.0.113.0/24", "discard"),
        nb("lr-route-add", "lr0", "198.51.100.0/24", "192.0.2.1", "lrp0")],
    "ecmp_groups_and_route_tables": [
        *TWO_SUBNETS,
        nb("--ecmp", "lr-route-add", "lr0", "192.168.0.0/16", "10.0.0.254"),
        nb("--ecmp", "lr-route-add", "lr0", "192.168.0.0/16", "10.1.0.254"),
        nb("--ecmp", "lr-route-add", "lr0", "192.168.0.0/16", "10.1.0.253"),
        nb("--ecmp", "lr-route-add", "lr0", "fd10::/64", "fd00::98"),
        nb("--ecmp", "lr-route-add", "lr0", "fd10::/64", "fd00::99"),
        nb("lr-route-add", "lr0", "0.0.0.0/0", "10.1.0.254"),
        nb("set", "logical_router_port", "lrp0", "options:route_table=rtA"),
        nb("--route-table=rtA", "lr-route-add", "lr0", "0.0.0.0/0", "10.0.0.254"),
        nb("--route-table=rtB", "lr-route-add", "lr0", "10.9.0.0/16", "10.1.0.254"),
        nb("--route-table=rtB", "--ecmp", "lr-route-add", "lr0", "10.9.0.0/16", "10.1.0.253"),
        nb("--route-table=rtB", "--policy=src-ip", "lr-route-add", "lr0", "10.0.0.0/24",
           "10.1.0.254")],
    "policies": [
        *TWO_SUBNETS,
        nb("lr-policy-add", "lr0", "100", "ip4.src == 10.0.0.2", "drop"),
        nb("lr-policy-add", "lr0", "90", "ip4.dst == 172.16.0.0/16", "allow"),
        nb("lr-policy-add", "lr0", "95", "ip4.dst == 172.17.0.0/16", "allow", "pkt_mark=7"),
        nb("lr-policy-add", "lr0", "80", "ip4.src == 10.0.0.0/24", "reroute", "10.1.0.254"),
        nb("lr-policy-add", "lr0", "85", "ip6", "reroute", "fd00::99", "pkt_mark=3"),
        nb("lr-policy-add", "lr0", "70", "tcp", "reroute", "10.1.0.254,10.0.0.254"),
        nb("lr-policy-add", "lr0", "60", "udp", "reroute", "10.1.0.253,10.1.0.252,10.1.0.251"),
        nb("lr-policy-add", "lr0", "50", "icmp", "reroute", "10.1.0.9,10.9.9.9,10.0.0.9"),
        nb("lr-policy-add", "lr0", "30", "ip4.dst == 1.1.1.1", "reroute", "10.7.0.1"),
        nb("--id=@p", "create", "Logical_Router_Policy", "priority=40", 'match="sctp"',
           "action=reroute", 'nexthops="10.1.0.9","fd00::9"',   # mixed families: skipped
           "--", "add", "Logical_Router", "lr0", "policies", "@p"),
        nb("lr-policy-add", "lr0", "20", "ip4.dst == 2.2.2.2", "reroute",
           "10.1.0.7,10.0.0.7")],    # the group after the skipped one keeps counting
    "bfd_sessions_and_tracked_routes": [
        *TWO_SUBNETS, nb("meter-add", "m", "drop", "10", "pktps"),
        nb("copp-add", "cp", "bfd", "m"), nb("lr-copp-add", "cp", "lr0"),
        bfd(1, "lrp0", "10.0.0.254"), bfd(2, "lrp0", "10.0.0.253"),
        bfd(3, "lrp0", "fd00::99"), bfd(4, "lrp0", "10.0.0.9"),
        nb(f"--bfd={bfd_uuid(1)}", "lr-route-add", "lr0", "192.168.0.0/16", "10.0.0.254"),
        nb(f"--bfd={bfd_uuid(2)}", "lr-route-add", "lr0", "10.6.0.0/16", "10.0.0.253"),
        nb(f"--bfd={bfd_uuid(3)}", "lr-route-add", "lr0", "fd10::/64", "fd00::99"),
        # tracked by a session to another address: the route stays
        nb(f"--bfd={bfd_uuid(4)}", "lr-route-add", "lr0", "10.7.0.0/16", "10.0.0.250"),
        # a session starts admin_down and northd turns it down: the route it
        # tracks is withdrawn until ovn-controller reports it up (or init)
        nb("--bfd", "lr-route-add", "lr0", "10.5.0.0/16", "10.1.0.254", "lrp1"),
        nb("lr-route-add", "lr0", "10.8.0.0/16", "10.1.0.253"),
        sb_bfd_status("10.0.0.254", "up"), sb_bfd_status("10.0.0.253", "init"),
        sb_bfd_status("fd00::99", "up")],
    "bfd_session_down_withdraws_its_route": [
        *TWO_SUBNETS, bfd(1, "lrp1", "10.1.0.254"), bfd(2, "lrp9", "10.1.0.9"),
        nb(f"--bfd={bfd_uuid(1)}", "lr-route-add", "lr0", "0.0.0.0/0", "10.1.0.254"),
        sb_bfd_status("10.1.0.254", "up"), sb_bfd_status("10.1.0.254", "down")],
    "routes_without_path_are_skipped": [
        *TWO_SUBNETS, nb("lr-route-add", "lr0", "192.168.0.0/16", "10.2.0.254")],
}


@pytest.mark.parametrize("commands", ROUTES.values(), ids=ROUTES.keys())
def test_static_routes(commands):
    assert_matches_reference(commands)


SYMMETRIC = [
    nb("--ecmp-symmetric-reply", "lr-route-add", "lr0", "192.168.0.0/16", "10.0.0.254"),
    nb("--ecmp-symmetric-reply", "lr-route-add", "lr0", "192.168.0.0/16", "10.1.0.254"),
    nb("--ecmp-symmetric-reply", "lr-route-add", "lr0", "192.168.0.0/16", "10.1.0.253"),
    nb("--ecmp-symmetric-reply", "lr-route-add", "lr0", "fd10::/64", "fd00::98"),
    nb("--ecmp-symmetric-reply", "lr-route-add", "lr0", "fd10::/64", "fd00::99"),
    nb("--ecmp-symmetric-reply", "--policy=src-ip", "lr-route-add", "lr0", "10.0.0.128/25",
       "10.1.0.254"),
    nb("--ecmp-symmetric-reply", "--policy=src-ip", "lr-route-add", "lr0", "10.0.0.128/25",
       "10.0.0.254"),
    nb("--ecmp-symmetric-reply", "lr-route-add", "lr0", "172.16.0.5/32", "10.0.0.254"),
    nb("--ecmp-symmetric-reply", "lr-route-add", "lr0", "172.16.0.5/32", "10.1.0.254"),
    # only one member of this group asks for symmetric replies
    nb("--ecmp", "lr-route-add", "lr0", "10.9.0.0/16", "10.0.0.254"),
    nb("--ecmp-symmetric-reply", "lr-route-add", "lr0", "10.9.0.0/16", "10.1.0.254")]


@pytest.mark.parametrize("gateway", [True, False], ids=["gateway_router", "distributed_router"])
@pytest.mark.parametrize("features", ["", "other_config:ct-no-masked-label=true"],
                         ids=["chassis_without_features", "chassis_with_features"])
def test_ecmp_symmetric_reply(gateway, features):
    """Symmetric replies need a gateway router; elsewhere the option does
    nothing. The flows print the output port's tunnel key."""
    chassis = sb("chassis-add", "ch1", "geneve", "127.0.0.1",
                 *(["--", "set", "chassis", "ch1", features] if features else []))
    gw = [nb("set", "logical_router", "lr0", "options:chassis=hv1")] if gateway else []
    d = assert_matches_reference([chassis, *TWO_SUBNETS, *gw, *SYMMETRIC])
    stateful = [f for f in d.reference.flows.to_pylist() if f["stage"] == "lr_in_ecmp_stateful"]
    assert len(stateful) == (8 * 6 + 1 if gateway else 1)   # 8 (group, port) pairs


def test_fresh_port_tunnel_keys(tmp_path):
    """Without an SB, ports get the tunnel keys northd gives them on a fresh
    SB (requested-tnl-key first, then in port order)."""
    from relnorthd.pipeline import compute
    from relnorthd.reference import Sandbox, run_reference
    from relnorthd.compare import compare
    with Sandbox() as box:
        box.run_script([*TWO_SUBNETS, nb("set", "logical_router", "lr0", "options:chassis=hv1"),
                        nb("lrp-add", "lr0", "lrp2", "00:00:00:00:ff:03", "10.2.0.1/24"),
                        nb("set", "logical_router_port", "lrp2", "options:requested-tnl-key=2"),
                        *SYMMETRIC,
                        nb("--ecmp-symmetric-reply", "lr-route-add", "lr0", "10.10.0.0/16",
                           "10.2.0.9"),
                        nb("--ecmp-symmetric-reply", "lr-route-add", "lr0", "10.10.0.0/16",
                           "10.1.0.9")])
        box.sync()
        nb_file = box.backup("nb", tmp_path / "nb.db")
    ref = run_reference(nb_file=nb_file)
    ours = compute(ref.nb)          # no SB: keys as northd allocates them
    c = compare(ours.grouped.expanded(), ref.flows)
    assert c.equal, (c.only_reference[:5], c.only_ours[:5])
    assert any("ecmp_reply_port = 2;" in f["actions"] for f in ref.flows.to_pylist())


@pytest.mark.parametrize("nodes", [20, 120])
def test_ovn_kubernetes_cluster_router(nodes, tmp_path):
    """The ovn-k8s-cluster profile: the cluster router (join switch, a node
    switch per node, per-node src-ip routes and policies, LB group, policy
    ACLs)."""
    from relnorthd.profiles import generate
    generate("ovn-k8s-cluster", nodes, tmp_path / "nb.db", seed=7)
    assert_matches_reference(nb_file=tmp_path / "nb.db")
